import type { Config } from "../config/index.js";
import { openSqliteStore } from "./sqlite/index.js";
import type { Store } from "./types.js";

export type * from "./types.js";
export { isTransientStoreError, SchemaTooNewError, StoreOpenError } from "./errors.js";

/** Opens the store that DATABASE_URL names. */
export function openStore(database: Config["database"]): Store {
  return openSqliteStore(database.path);
}
