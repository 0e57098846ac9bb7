import type { Migration } from "./migration.js";

/**
 * /feeds counts each feed's articles on every redraw, and removing a feed sets its sources' feed_id to NULL: both
 * looked at every row of article_sources. This index gives both a seek, and the count reads the index alone.
 */
export const sourcesByFeedMigration: Migration = {
  version: 9,
  name: "article_sources: by feed",
  sql: `
    CREATE INDEX article_sources_feed ON article_sources (feed_id, article_id) WHERE feed_id IS NOT NULL;
  `,
};
