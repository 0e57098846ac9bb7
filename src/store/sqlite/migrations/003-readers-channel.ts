import type { Migration } from "./migration.js";

/**
 * What readers follow, what reached the channel, the alerts to followers, and when each scheduled
 * job last ran (node-cron keeps nothing, so catch-up after downtime needs this).
 */
export const readersChannelMigration: Migration = {
  version: 3,
  name: "subscriptions, channel posts, alerts, job runs",
  sql: `
    CREATE TABLE subscriptions (
      chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
      topic      TEXT    NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (chat_id, topic)
    ) WITHOUT ROWID;
    CREATE INDEX subscriptions_topic ON subscriptions (topic, chat_id);

    -- A row is written before the post is sent: an article reaches the channel at most once, ever.
    CREATE TABLE channel_posts (
      article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
      channel    TEXT    NOT NULL,
      state      TEXT    NOT NULL CHECK (state IN ('sending', 'sent', 'failed', 'skipped')),
      message_id INTEGER,
      error      TEXT,
      claimed_at INTEGER NOT NULL,
      posted_at  INTEGER
    );

    CREATE TABLE alerts (
      article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
      chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
      topic      TEXT    NOT NULL,
      state      TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'blocked')),
      queued_at  INTEGER NOT NULL,
      sent_at    INTEGER,
      message_id INTEGER,
      error      TEXT,
      PRIMARY KEY (article_id, chat_id)
    ) WITHOUT ROWID;
    CREATE INDEX alerts_pending ON alerts (queued_at) WHERE state = 'pending';

    CREATE TABLE job_runs (
      name        TEXT    PRIMARY KEY,
      last_run_at INTEGER NOT NULL
    ) WITHOUT ROWID;
  `,
};
