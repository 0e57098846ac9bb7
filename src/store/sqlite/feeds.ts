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
  alerted: number;
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
  alerted: row.alerted === 1,
});

/** Stored articles per feed (a story two feeds share counts for both): read from article_sources_feed alone. */
export const ARTICLE_COUNTS_SQL =
  "SELECT feed_id, COUNT(DISTINCT article_id) AS n FROM article_sources WHERE feed_id IS NOT NULL GROUP BY feed_id";

export function sqliteFeeds(db: Database.Database, clock: Clock): FeedStore {
  const insert = db.prepare<[string, FeedOrigin, number]>("INSERT OR IGNORE INTO feeds (url, origin, added_at) VALUES (?, ?, ?)");
  const all = db.prepare<[], FeedRow>("SELECT * FROM feeds ORDER BY id");
  const insertTitled = db.prepare<[string, FeedOrigin, number, string | null]>(
    "INSERT OR IGNORE INTO feeds (url, origin, added_at, title) VALUES (?, ?, ?, ?)",
  );
  const byId = db.prepare<[number], FeedRow>("SELECT * FROM feeds WHERE id = ?");
  const byUrl = db.prepare<[string], FeedRow>("SELECT * FROM feeds WHERE url = ?");
  const enable = db.prepare<[number, number, number]>("UPDATE feeds SET enabled = ? WHERE id = ? AND enabled <> ?");
  const alert = db.prepare<[number, number, number]>("UPDATE feeds SET alerted = ? WHERE id = ? AND alerted <> ?");
  const drop = db.prepare<[number]>("DELETE FROM feeds WHERE id = ?");
  const perFeed = db.prepare<[], { feed_id: number; n: number }>(ARTICLE_COUNTS_SQL);
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
    async add(url, origin, title) {
      const added = insertTitled.run(url, origin, clock.now(), title ?? null).changes === 1;
      const row = byUrl.get(url);
      if (!row) throw new Error(`feed ${url} vanished right after it was added`);
      return { feed: toRecord(row), added };
    },
    async get(id) {
      const row = byId.get(id);
      return row && toRecord(row);
    },
    async setEnabled(id, enabled) {
      const flag = enabled ? 1 : 0;
      return enable.run(flag, id, flag).changes === 1;
    },
    async remove(id) {
      return drop.run(id).changes === 1;
    },
    async articleCounts() {
      return new Map(perFeed.all().map((row) => [row.feed_id, row.n]));
    },
    async setAlerted(id, alerted) {
      const flag = alerted ? 1 : 0;
      return alert.run(flag, id, flag).changes === 1;
    },
  };
}
