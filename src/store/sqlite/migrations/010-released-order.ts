import type { Migration } from "./migration.js";

/**
 * /correct and /retract offer the stories released last (articles.published(): newest release first). Without this
 * index SQLite read every released article and sorted them in a temp B-tree on every pick.
 */
export const releasedOrderMigration: Migration = {
  version: 10,
  name: "articles: by release",
  sql: `
    CREATE INDEX articles_released ON articles (released_at DESC, id DESC) WHERE released_at IS NOT NULL;
  `,
};
