import type { Clock } from "../clock.js";
import type { Config } from "../config/index.js";
import { openSqliteStore } from "./sqlite/index.js";
import type { Store } from "./types.js";

export type * from "./types.js";
export { isTransientStoreError, SchemaTooNewError, StoreOpenError } from "./errors.js";

/**
 * Opens the store that DATABASE_URL names. The store stamps what it records on its own (a chat's start,
 * a follow, a feed added, a chat blocked, the present that search ranks recency against) with `clock`;
 * a method takes a time only when it is the caller's moment (a feed run's, a send's, a retry's, a tick's).
 */
export function openStore(database: Config["database"], clock: Clock): Store {
  return openSqliteStore(database.path, clock);
}
