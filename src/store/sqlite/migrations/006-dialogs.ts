import type { Migration } from "./migration.js";

/**
 * The admin desk's dialogs (@grammyjs/conversations), one row per chat: kept in the database so that a restart in
 * the middle of a dialog goes on where it stopped.
 */
export const dialogsMigration: Migration = {
  version: 6,
  name: "dialogs: conversation state",
  sql: `
    CREATE TABLE dialogs (
      key        TEXT    PRIMARY KEY,
      state      TEXT    NOT NULL,
      updated_at INTEGER NOT NULL
    );
  `,
};
