import type { Clock } from "../clock.js";
import type { Config } from "../config/index.js";
import { backupSqlite, type BackupReport } from "./sqlite/backup.js";
import { openSqliteStore } from "./sqlite/index.js";
import type { Store } from "./types.js";

export type * from "./types.js";
export { isTransientStoreError, SchemaTooNewError, StoreOpenError } from "./errors.js";
export { BackupError, type BackupReport } from "./sqlite/backup.js";

/**
 * Opens the store that DATABASE_URL names. The store stamps what it records on its own (a chat's start,
 * a follow, a feed added, a chat blocked, the present that search ranks recency against) with `clock`;
 * a method takes a time only when it is the caller's moment (a feed run's, a send's, a retry's, a tick's).
 */
export function openStore(database: Config["database"], clock: Clock): Store {
  return openSqliteStore(database.path, clock);
}

/**
 * Copies the database DATABASE_URL names to `file` while the bot may be running (SQLite's online backup), checks
 * the copy and says what it holds. `overwrite` allows replacing an existing `file`.
 */
export function backupStore(database: Config["database"], file: string, options: { overwrite: boolean }): Promise<BackupReport> {
  return backupSqlite(database.path, file, options);
}
