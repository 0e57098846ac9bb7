import type { Migration } from "./migration.js";

/**
 * outbox.ready picks the best pending row of each chat. Walking the pending rows in priority order, it
 * asks of each whether its chat has a better one: one step down this index, so that a chat with hundreds
 * of rows (the channel) costs a seek per row, not a scan of the outbox.
 */
export const outboxPerChatMigration: Migration = {
  version: 4,
  name: "outbox: best pending row per chat",
  sql: `
    CREATE INDEX outbox_chat_ready ON outbox (chat_id, priority, next_attempt_at) WHERE state = 'pending';
  `,
};
