import type { Migration } from "./migration.js";

/**
 * A feed's health alert: set when the admins were told it keeps failing, cleared when they were told it
 * recovered. Kept on the feed, so that a restart in the middle of a failing streak sends no second alert.
 */
export const feedAlertsMigration: Migration = {
  version: 5,
  name: "feeds: health alert sent",
  sql: `
    ALTER TABLE feeds ADD COLUMN alerted INTEGER NOT NULL DEFAULT 0;
  `,
};
