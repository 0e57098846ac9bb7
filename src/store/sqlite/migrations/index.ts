import { chatsMigration } from "./001-chats.js";
import { feedsArticlesMigration } from "./002-feeds-articles.js";
import { readersChannelMigration } from "./003-readers-channel.js";
import { outboxPerChatMigration } from "./004-outbox-per-chat.js";
import { feedAlertsMigration } from "./005-feed-alerts.js";
import { dialogsMigration } from "./006-dialogs.js";
import { chatsBlockedMigration } from "./007-chats-blocked.js";
import { revisionsMigration } from "./008-revisions.js";
import { sourcesByFeedMigration } from "./009-sources-by-feed.js";
import { releasedOrderMigration } from "./010-released-order.js";
import type { Migration } from "./migration.js";

export type { Migration } from "./migration.js";

/** Every migration, in order. Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [
  chatsMigration,
  feedsArticlesMigration,
  readersChannelMigration,
  outboxPerChatMigration,
  feedAlertsMigration,
  dialogsMigration,
  chatsBlockedMigration,
  revisionsMigration,
  sourcesByFeedMigration,
  releasedOrderMigration,
];
