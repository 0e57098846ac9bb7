/**
 * FEED_TIMEOUT_MS and FEED_MAX_BYTES unset: also what a fetch without settings (a benchmark, a test) uses.
 * A module of its own, with no imports, so that ingest/fetch.ts takes these two numbers without the schema (and zod).
 */
export const FETCH_DEFAULTS = { timeoutMs: 15_000, maxBytes: 5_000_000 } as const;
