import type { Migration } from "./migration.js";

/** /stats counts the readers who blocked the bot: an index of those chats, as chats_active indexes the rest. */
export const chatsBlockedMigration: Migration = {
  version: 7,
  name: "chats: index of blocked chats",
  sql: `
    CREATE INDEX chats_blocked ON chats (kind) WHERE blocked_at IS NOT NULL;
  `,
};
