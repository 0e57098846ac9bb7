import type { Migration } from "./migration.js";

/** Everyone who talked to the bot: private chats (subscribers), groups and channels. */
export const chatsMigration: Migration = {
  version: 1,
  name: "chats",
  sql: `
    CREATE TABLE chats (
      id          INTEGER PRIMARY KEY,
      kind        TEXT    NOT NULL CHECK (kind IN ('private', 'group', 'supergroup', 'channel')),
      title       TEXT,
      username    TEXT,
      language    TEXT,
      started_at  INTEGER NOT NULL,
      blocked_at  INTEGER
    );
    CREATE INDEX chats_active ON chats (kind) WHERE blocked_at IS NULL;
  `,
};
