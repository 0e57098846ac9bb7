/** The database was written by a newer Newsdesk than this one. */
export class SchemaTooNewError extends Error {
  override name = "SchemaTooNewError";
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `The database is at schema version ${found}, but this Newsdesk only knows up to ${known}. ` +
        "It was written by a newer version: upgrade Newsdesk, or point DATABASE_URL at another file.",
    );
  }
}

/** The database file could not be opened or migrated. */
export class StoreOpenError extends Error {
  override name = "StoreOpenError";
  constructor(path: string, cause: unknown) {
    super(
      `Could not open the database at ${path}: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        "Check that the directory is writable and DATABASE_URL points at a SQLite file.",
      { cause },
    );
  }
}

/**
 * Errors that pass on their own (another connection holds a lock) and deserve a retry with backoff.
 * Anything else from the store (a closed or corrupt database, a bug) will not mend by waiting.
 */
export function isTransientStoreError(error: unknown): boolean {
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  return /^SQLITE_(BUSY|LOCKED)/.test(code);
}
