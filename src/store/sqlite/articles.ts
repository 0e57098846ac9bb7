import type Database from "better-sqlite3";
import type { Clock } from "../../clock.js";
import type { ArticleInput, ArticleStore, QueueOutcome, SaveOutcome, SearchHit, StoredArticle } from "../types.js";

const HOUR = 3_600_000;
/** Tags may have spaces ("forced labour"); FTS5's tokenizer treats "|" as a word break. */
const TAG_SEPARATOR = "|";
/** The same story from two feeds within this window is one article. */
export const CROSS_FEED_WINDOW_MS = 48 * HOUR;
/** Recency weight: a match this many days old counts half as much as a fresh one. */
const HALF_WEIGHT_DAYS = 14;
/** How many of the newest matches a search ranks. */
const SEARCH_CANDIDATES = 500;

interface ArticleRow {
  id: number;
  dedup_key: string;
  url: string | null;
  headline: string;
  summary: string;
  body: string;
  source: string;
  dateline: string | null;
  image_url: string | null;
  tags: string;
  published_at: number;
  first_seen_at: number;
  queued_at: number | null;
  released_at: number | null;
  retracted_at: number | null;
  sources: string | null;
}

const SELECT_ARTICLE = `
  SELECT a.*, (SELECT group_concat(source, char(31)) FROM (
    SELECT source FROM article_sources s WHERE s.article_id = a.id ORDER BY s.seen_at, s.rowid)) AS sources
  FROM articles a`;

function toArticle(row: ArticleRow): StoredArticle {
  const sources = row.sources ? row.sources.split("\u001f") : [row.source];
  return {
    id: row.id,
    dedupKey: row.dedup_key,
    headline: row.headline,
    summary: row.summary,
    body: row.body,
    ...(row.url ? { link: row.url } : {}),
    source: row.source,
    publishedAt: new Date(row.published_at),
    tags: row.tags ? row.tags.split(TAG_SEPARATOR) : [],
    ...(row.dateline ? { dateline: row.dateline } : {}),
    ...(row.image_url ? { imageUrl: row.image_url } : {}),
    firstSeenAt: new Date(row.first_seen_at),
    queuedAt: row.queued_at === null ? undefined : new Date(row.queued_at),
    releasedAt: row.released_at === null ? undefined : new Date(row.released_at),
    sources,
    retractedAt: row.retracted_at === null ? undefined : new Date(row.retracted_at),
  };
}

export function sqliteArticles(db: Database.Database, clock: Clock): ArticleStore {
  const keyLookup = db.prepare<[string], { article_id: number }>("SELECT article_id FROM item_keys WHERE key = ?");
  const addKey = db.prepare<[string, number]>("INSERT OR IGNORE INTO item_keys (key, article_id) VALUES (?, ?)");
  // The same story from another feed: one feed repeating a headline ("Live updates") is two stories,
  // and a headline with no words to compare (emoji only) never merges.
  const sameHeadline = db.prepare<{ key: string; since: number; feedId: number | null }, { id: number }>(`
    SELECT id FROM articles a WHERE headline_key = @key AND @key <> '' AND first_seen_at >= @since
      AND NOT EXISTS (SELECT 1 FROM article_sources s WHERE s.article_id = a.id AND s.feed_id IS @feedId)
    ORDER BY id LIMIT 1`);
  const insertArticle = db.prepare(`
    INSERT INTO articles (dedup_key, url, headline, headline_key, summary, body, source, dateline, image_url, tags,
                          published_at, first_seen_at, queued_at)
    VALUES (@dedupKey, @url, @headline, @headlineKey, @summary, @body, @source, @dateline, @imageUrl, @tags,
            @publishedAt, @firstSeenAt, @queuedAt)`);
  const addSource = db.prepare<[number, string, number | null, string | null, number]>(
    "INSERT OR IGNORE INTO article_sources (article_id, source, feed_id, link, seen_at) VALUES (?, ?, ?, ?, ?)",
  );
  const addTag = db.prepare<[number, string]>("INSERT OR IGNORE INTO article_tags (article_id, tag) VALUES (?, ?)");
  const byId = db.prepare<[number], ArticleRow>(`${SELECT_ARTICLE} WHERE a.id = ?`);
  const latest = db.prepare<[number], ArticleRow>(
    `${SELECT_ARTICLE} WHERE a.retracted_at IS NULL ORDER BY a.published_at DESC, a.id DESC LIMIT ?`,
  );
  const published = db.prepare<[number], ArticleRow>(
    `${SELECT_ARTICLE} WHERE a.released_at IS NOT NULL AND a.retracted_at IS NULL ORDER BY a.released_at DESC, a.id DESC LIMIT ?`,
  );
  const queue = db.prepare<[number, number]>(
    "UPDATE articles SET queued_at = ? WHERE id = ? AND queued_at IS NULL AND released_at IS NULL",
  );
  const queueState = db.prepare<[number], { queued_at: number | null; released_at: number | null }>(
    "SELECT queued_at, released_at FROM articles WHERE id = ?",
  );
  const unreleased = db.prepare<[number], ArticleRow>(
    `${SELECT_ARTICLE} WHERE a.queued_at IS NOT NULL AND a.released_at IS NULL AND a.retracted_at IS NULL ORDER BY a.queued_at, a.published_at, a.id LIMIT ?`,
  );
  const count = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM articles");
  const unqueue = db.prepare<[number]>(
    "UPDATE articles SET queued_at = NULL WHERE id = ? AND queued_at IS NOT NULL AND released_at IS NULL",
  );
  // Ids grow with first_seen_at (stamped at insert): walking back from the newest to the first older row and
  // counting the id range after it costs the rows counted, with no index on first_seen_at.
  const storedSince = db.prepare<[number], { n: number }>(`
    SELECT COUNT(*) AS n FROM articles
    WHERE id > COALESCE((SELECT id FROM articles WHERE first_seen_at < ? ORDER BY id DESC LIMIT 1), 0)`);
  const topTags = db.prepare<[number, number], { tag: string; count: number }>(`
    SELECT t.tag AS tag, COUNT(*) AS count FROM articles a INDEXED BY articles_published
    JOIN article_tags t INDEXED BY article_tags_article ON t.article_id = a.id
    WHERE a.published_at >= ? GROUP BY t.tag ORDER BY count DESC, t.tag LIMIT ?`);
  // News search favours the recent: only the newest CANDIDATES matches are ranked (FTS5 walks its
  // index newest first and stops), which keeps a common word on 100,000 articles as cheap as a rare one.
  const search = db.prepare<{ match: string; now: number; limit: number; offset: number }, ArticleRow & { snippet: string }>(`
    WITH candidates AS (
      SELECT rowid AS id, bm25(articles_fts, 10.0, 4.0, 1.0, 6.0) AS rank
      FROM articles_fts WHERE articles_fts MATCH @match ORDER BY rowid DESC LIMIT ${SEARCH_CANDIDATES}
    ),
    page AS (
      SELECT c.id, c.rank / (1.0 + max(0, @now - a.published_at) / (86400000.0 * ${HALF_WEIGHT_DAYS})) AS score
      FROM candidates c JOIN articles a ON a.id = c.id
      WHERE a.retracted_at IS NULL
      ORDER BY score, c.id DESC LIMIT @limit OFFSET @offset
    )
    SELECT a.*, NULL AS sources,
      (SELECT snippet(articles_fts, -1, '', '', '…', 24) FROM articles_fts WHERE articles_fts MATCH @match AND rowid = p.id) AS snippet
    FROM page p JOIN articles a ON a.id = p.id
    ORDER BY p.score, p.id DESC`);
  // The rowid goes in as a BigInt: bound as a JS number (a double), FTS5 ignores the rowid constraint
  // and answers for any matching article (found by bench/search, pinned by tests/search).
  // A retracted article matches no one: it is never alerted again.
  const matchOne = db.prepare<[string, bigint], { hit: number }>(`
    SELECT 1 AS hit FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
    WHERE articles_fts MATCH ? AND articles_fts.rowid = ? AND a.retracted_at IS NULL`);

  const edit = articleEditor(db);

  const saveOne = (input: ArticleInput, now: number, windowMs: number): SaveOutcome => {
    const { article } = input;
    const source = article.source;
    for (const key of input.keys) {
      const known = keyLookup.get(key);
      if (known) {
        for (const other of input.keys) addKey.run(other, known.article_id);
        addSource.run(known.article_id, source, input.feedId ?? null, input.sourceLink ?? null, now);
        return { status: "seen", articleId: known.article_id };
      }
    }
    const twin = sameHeadline.get({ key: input.headlineKey, since: now - windowMs, feedId: input.feedId ?? null });
    if (twin) {
      for (const key of input.keys) addKey.run(key, twin.id);
      addSource.run(twin.id, source, input.feedId ?? null, input.sourceLink ?? null, now);
      return { status: "merged", articleId: twin.id };
    }
    const result = insertArticle.run({
      dedupKey: input.keys[0] ?? article.dedupKey,
      url: article.link ?? null,
      headline: article.headline,
      headlineKey: input.headlineKey,
      summary: article.summary,
      body: article.body,
      source,
      dateline: article.dateline ?? null,
      imageUrl: article.imageUrl ?? null,
      tags: article.tags.join(TAG_SEPARATOR),
      publishedAt: article.publishedAt.getTime(),
      firstSeenAt: now,
      queuedAt: input.isNews ? now : null,
    });
    const id = Number(result.lastInsertRowid);
    for (const key of new Set([article.dedupKey, ...input.keys])) addKey.run(key, id);
    addSource.run(id, source, input.feedId ?? null, input.sourceLink ?? null, now);
    for (const tag of article.tags) addTag.run(id, tag);
    return { status: "new", articleId: id, queued: input.isNews };
  };

  return {
    async save(inputs, options) {
      const now = options.now.getTime();
      const windowMs = options.crossFeedWindowMs ?? CROSS_FEED_WINDOW_MS;
      return db.transaction(() => inputs.map((input) => saveOne(input, now, windowMs)))();
    },
    async get(id) {
      const row = byId.get(id);
      return row ? toArticle(row) : undefined;
    },
    async knownKeys(keys) {
      return new Set(keys.filter((key) => keyLookup.get(key) !== undefined));
    },
    async edit(id, fields) {
      return edit(id, fields);
    },
    async latest(limit) {
      return latest.all(limit).map(toArticle);
    },
    async search(match, { limit, offset }): Promise<SearchHit[]> {
      return search.all({ match, now: clock.now(), limit, offset }).map((row) => ({ article: toArticle(row), snippet: row.snippet }));
    },
    async matches(articleId, match) {
      return matchOne.get(match, BigInt(articleId)) !== undefined;
    },
    async queue(id): Promise<QueueOutcome> {
      if (queue.run(clock.now(), id).changes === 1) return "queued";
      const state = queueState.get(id);
      if (!state) throw new Error(`article ${id} is not stored`);
      return state.released_at === null ? "already-queued" : "released";
    },
    async topTags(since, limit) {
      return topTags.all(since.getTime(), limit);
    },
    async unreleased(limit) {
      return unreleased.all(limit).map(toArticle);
    },
    async count() {
      return count.get()?.n ?? 0;
    },
    async unqueue(id) {
      return unqueue.run(id).changes === 1;
    },
    async countStoredSince(since) {
      return storedSince.get(since.getTime())?.n ?? 0;
    },
    async byKey(key) {
      const known = keyLookup.get(key);
      const row = known === undefined ? undefined : byId.get(known.article_id);
      return row ? toArticle(row) : undefined;
    },
    async published(limit) {
      return published.all(limit).map(toArticle);
    },
  };
}

/** An editor's correction of an article's headline or summary (the fields left out stay): false when there is no such article. */
export function articleEditor(
  db: Database.Database,
): (id: number, fields: { headline?: string | undefined; summary?: string | undefined }) => boolean {
  const edit = db.prepare<{ id: number; headline: string | null; summary: string | null }>(
    "UPDATE articles SET headline = coalesce(@headline, headline), summary = coalesce(@summary, summary) WHERE id = @id",
  );
  return (id, fields) => edit.run({ id, headline: fields.headline ?? null, summary: fields.summary ?? null }).changes === 1;
}
