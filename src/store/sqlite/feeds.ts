import type Database from "better-sqlite3";
import type { Clock } from "../../clock.js";
import type { FeedOrigin, FeedRecord, FeedStore } from "../types.js";

interface FeedRow {
  id: number;
  url: string;
  title: string | null;
  origin: FeedOrigin;
  enabled: number;
  etag: string | null;
  last_modified: string | null;
  first_fetched_at: number | null;
  last_fetched_at: number | null;
  last_success_at: number | null;
  failures: number;
  total_failures: number;
  last_error: string | null;
  next_fetch_at: number | null;
}

const date = (ms: number | null) => (ms === null ? undefined : new Date(ms));

const toRecord = (row: FeedRow): FeedRecord => ({
  id: row.id,
  url: row.url,
  title: row.title ?? undefined,
  origin: row.origin,
  enabled: row.enabled === 1,
  etag: row.etag ?? undefined,
  lastModified: row.last_modified ?? undefined,
  firstFetchedAt: date(row.first_fetched_at),
  lastFetchedAt: date(row.last_fetched_at),
  lastSuccessAt: date(row.last_success_at),
  failures: row.failures,
  totalFailures: row.total_failures,
  lastError: row.last_error ?? undefined,
  nextFetchAt: date(row.next_fetch_at),
});

export function sqliteFeeds(db: Database.Database, clock: Clock): FeedStore {
  const insert = db.prepare<[string, FeedOrigin, number]>("INSERT OR IGNORE INTO feeds (url, origin, added_at) VALUES (?, ?, ?)");
  const all = db.prepare<[], FeedRow>("SELECT * FROM feeds ORDER BY id");
  const success = db.prepare<{ id: number; title: string | null; etag: string | null; lastModified: string | null; at: number }>(`
    UPDATE feeds SET
      title = COALESCE(@title, title), etag = @etag, last_modified = @lastModified,
      first_fetched_at = COALESCE(first_fetched_at, @at), last_fetched_at = @at, last_success_at = @at,
      failures = 0, last_error = NULL, next_fetch_at = NULL
    WHERE id = @id`);
  const notModified = db.prepare<[number, number, number]>(
    "UPDATE feeds SET last_fetched_at = ?, last_success_at = ?, failures = 0, last_error = NULL, next_fetch_at = NULL WHERE id = ?",
  );
  const failure = db.prepare<[number, string, number, number]>(`
    UPDATE feeds SET last_fetched_at = ?, last_error = ?, next_fetch_at = ?,
      failures = failures + 1, total_failures = total_failures + 1
    WHERE id = ?`);

  return {
    async ensure(urls, origin) {
      const now = clock.now();
      db.transaction(() => {
        for (const url of urls) insert.run(url, origin, now);
      })();
      return all.all().map(toRecord);
    },
    async list() {
      return all.all().map(toRecord);
    },
    async recordSuccess(id, { title, etag, lastModified, at }) {
      success.run({ id, title: title ?? null, etag: etag ?? null, lastModified: lastModified ?? null, at: at.getTime() });
    },
    async recordNotModified(id, at) {
      notModified.run(at.getTime(), at.getTime(), id);
    },
    async recordFailure(id, reason, at, retryAt) {
      failure.run(at.getTime(), reason.slice(0, 1000), retryAt.getTime(), id);
    },
  };
}
