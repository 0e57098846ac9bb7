import type { Migration } from "./migration.js";

/**
 * Corrections and retractions. SQLite cannot change a CHECK or a UNIQUE in place, so the outbox is rebuilt (new table,
 * copy, drop, rename) with every index of migrations 003 and 004:
 * - kind 'retraction' (a message deleted, or edited into a notice) beside 'correction' (a message edited);
 * - state 'cancelled': a pending message that a retraction or a newer correction made pointless;
 * - target_id: the row whose sent message a correction edits or a retraction deletes;
 * - revision: 0 for an article's first messages, then one number per correction or retraction, so that an article
 *   may be corrected more than once (UNIQUE per kind, article, chat and revision);
 * - priorities: push 0, correction and retraction 1, post 2, alert 3, digest 4: fixing what is out goes ahead of new
 *   posts, behind a breaking push.
 * articles.retracted_at takes a story out of /latest, search and the channel queue; its dedup keys stay, so a feed's
 * next copy is still "seen" and never comes back.
 */
export const revisionsMigration: Migration = {
  version: 8,
  name: "outbox: corrections and retractions; articles: retracted",
  sql: `
    CREATE TABLE outbox_revised (
      id              INTEGER PRIMARY KEY,
      kind            TEXT    NOT NULL CHECK (kind IN ('push', 'post', 'alert', 'digest', 'correction', 'retraction')),
      priority        INTEGER NOT NULL,
      article_id      INTEGER REFERENCES articles (id) ON DELETE SET NULL,
      chat_id         TEXT    NOT NULL,
      topic           TEXT,
      payload         TEXT    NOT NULL,
      state           TEXT    NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'blocked', 'cancelled')),
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      message_id      INTEGER,
      last_error      TEXT,
      created_at      INTEGER NOT NULL,
      sent_at         INTEGER,
      target_id       INTEGER REFERENCES outbox_revised (id),
      revision        INTEGER NOT NULL DEFAULT 0,
      UNIQUE (kind, article_id, chat_id, revision)
    );
    INSERT INTO outbox_revised (id, kind, priority, article_id, chat_id, topic, payload, state, attempts, next_attempt_at,
                                message_id, last_error, created_at, sent_at)
      SELECT id, kind,
             CASE kind WHEN 'push' THEN 0 WHEN 'correction' THEN 1 WHEN 'post' THEN 2 WHEN 'alert' THEN 3 ELSE 4 END,
             article_id, chat_id, topic, payload, state, attempts, next_attempt_at, message_id, last_error, created_at, sent_at
      FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_revised RENAME TO outbox;
    CREATE INDEX outbox_ready ON outbox (priority, next_attempt_at, id) WHERE state = 'pending';
    CREATE INDEX outbox_article ON outbox (article_id, state);
    CREATE INDEX outbox_chat ON outbox (chat_id) WHERE state IN ('pending', 'sending');
    CREATE INDEX outbox_chat_ready ON outbox (chat_id, priority, next_attempt_at) WHERE state = 'pending';
    -- A new correction cancels the pending corrections of the same message.
    CREATE INDEX outbox_target ON outbox (target_id) WHERE target_id IS NOT NULL;

    ALTER TABLE articles ADD COLUMN retracted_at INTEGER;
  `,
};
