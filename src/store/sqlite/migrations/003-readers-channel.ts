import type { Migration } from "./migration.js";

/**
 * What readers follow, the outbox of every message to send (channel posts, alerts, later digests and
 * pushes), and when each scheduled job last ran (node-cron keeps nothing, so catch-up needs this).
 */
export const readersChannelMigration: Migration = {
  version: 3,
  name: "subscriptions, outbox, job runs",
  sql: `
    CREATE TABLE subscriptions (
      chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
      topic      TEXT    NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (chat_id, topic)
    ) WITHOUT ROWID;
    CREATE INDEX subscriptions_topic ON subscriptions (topic, chat_id);

    -- Set once an article's channel post and alerts are in the outbox: it is released exactly once.
    ALTER TABLE articles ADD COLUMN released_at INTEGER;
    CREATE INDEX articles_unreleased ON articles (queued_at) WHERE queued_at IS NOT NULL AND released_at IS NULL;

    -- The durable outbox: one row per (kind, article, destination), written before any send.
    CREATE TABLE outbox (
      id              INTEGER PRIMARY KEY,
      kind            TEXT    NOT NULL CHECK (kind IN ('push', 'post', 'alert', 'digest', 'correction')),
      priority        INTEGER NOT NULL,
      article_id      INTEGER REFERENCES articles (id) ON DELETE SET NULL,
      chat_id         TEXT    NOT NULL,
      topic           TEXT,
      payload         TEXT    NOT NULL,
      state           TEXT    NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'blocked')),
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      message_id      INTEGER,
      last_error      TEXT,
      created_at      INTEGER NOT NULL,
      sent_at         INTEGER,
      UNIQUE (kind, article_id, chat_id)
    );
    CREATE INDEX outbox_ready ON outbox (priority, next_attempt_at, id) WHERE state = 'pending';
    CREATE INDEX outbox_article ON outbox (article_id, state);
    CREATE INDEX outbox_chat ON outbox (chat_id) WHERE state IN ('pending', 'sending');

    -- /topics and suggestions count the tags of recent articles: reach the tags from the articles.
    CREATE INDEX article_tags_article ON article_tags (article_id, tag);

    CREATE TABLE job_runs (
      name        TEXT    PRIMARY KEY,
      last_run_at INTEGER NOT NULL
    ) WITHOUT ROWID;
  `,
};
