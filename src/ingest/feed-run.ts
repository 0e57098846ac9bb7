import type { Clock } from "../clock.js";
import type { Config } from "../config/index.js";
import type { Logger } from "../logger.js";
import type { FeedRecord, SaveOutcome, Store } from "../store/index.js";
import { cutAtWord } from "../summarize/index.js";
import type { AliasMap } from "../topics/index.js";
import { backoffMs } from "../backoff.js";
import { buildArticle, type BuiltArticle } from "./build-article.js";
import { decodeBody } from "./decode.js";
import { fetchResource, guardedFetchOptions, type FetchOptions } from "./fetch.js";
import { reportFeedHealth, type FeedAlerts } from "./feed-health.js";
import { extractArticle, isTeaser } from "./full-text.js";
import { parseFeedText } from "./parse.js";
import { itemKeys } from "./item-keys.js";
import { mapWithConcurrency } from "./concurrency.js";

export interface IngestDeps {
  store: Store;
  logger: Logger;
  aliases: AliasMap;
  settings: Config["ingest"];
  /** Timestamps the fetch, the stored articles and the feed's next retry. */
  clock: Clock;
  /** Tells the admins about a failing feed and its recovery; without it (tools, tests), nobody is told. */
  alerts?: Omit<FeedAlerts, "after">;
  /** Aborted when the bot stops: fetches end at once and the feed is not counted as failing. */
  signal?: AbortSignal;
}

export type FeedRunResult =
  | { feedId: number; status: "ok"; items: number; added: number; queued: number; seen: number; merged: number; backfill: boolean }
  | { feedId: number; status: "not-modified" }
  | { feedId: number; status: "failed"; reason: string };

const MAX_SOURCE_CHARS = 80;

/** A failing feed is retried after 1, 2, 4 … minutes, at most every 6 hours. */
const FEED_RETRY = { firstMs: 60_000, maxMs: 6 * 3_600_000 };

/** Article pages fetched at once for one feed. */
const FULL_TEXT_CONCURRENCY = 4;

/**
 * One feed, once: fetch → decode → parse → build → store. Never throws: a failure is logged with
 * the feed's URL and reason, and recorded on the feed with a backoff.
 */
export async function runFeed(feed: FeedRecord, deps: IngestDeps): Promise<FeedRunResult> {
  const now = new Date(deps.clock.now());
  const log = deps.logger.child({ feed: feed.url });
  const fetchOptions: FetchOptions = {
    // Full-text pages are named by the feed's content, so they are guarded even for the operator's feeds.
    ...guardedFetchOptions(deps.settings),
    ...(deps.signal ? { signal: deps.signal } : {}),
  };
  try {
    const response = await fetchResource(feed.url, {
      ...fetchOptions,
      allowPrivateAddresses: deps.settings.allowPrivateFeeds || feed.origin === "config",
      etag: feed.etag,
      lastModified: feed.lastModified,
    });
    if (response.status === "not-modified") {
      await deps.store.feeds.recordNotModified(feed.id, now);
      await reportHealth(feed, { status: "ok" }, deps, now);
      log.debug("not modified");
      return { feedId: feed.id, status: "not-modified" };
    }
    const parsed = parseFeedText(decodeBody(response.bytes, response.contentType), response.finalUrl);
    // A feed's title is the source line of every card: a runaway one must not break them all.
    const source = cutAtWord(parsed.title || new URL(feed.url).host, MAX_SOURCE_CHARS);
    const backfill = feed.firstFetchedAt === undefined;
    const scope = `feed:${feed.id}`;

    const known = await deps.store.articles.knownKeys(parsed.items.flatMap((item) => itemKeys(item, scope)));
    const fresh = parsed.items.filter((item) => !itemKeys(item, scope).some((key) => known.has(key)));
    const built = await mapWithConcurrency(fresh, FULL_TEXT_CONCURRENCY, async (item) => {
      const fullTextHtml = await fullTextFor(item, deps, fetchOptions, log);
      return buildArticle(item, {
        aliases: deps.aliases,
        summaryMaxChars: deps.settings.summaryMaxChars,
        source,
        keyScope: scope,
        now,
        fullTextHtml,
      });
    });
    const outcomes = await deps.store.articles.save(
      built
        .filter((b): b is BuiltArticle => b !== undefined)
        .map((b) => ({ ...b, feedId: feed.id, sourceLink: b.article.link, isNews: !backfill })),
      { now },
    );
    await deps.store.feeds.recordSuccess(feed.id, {
      title: parsed.title,
      etag: response.etag,
      lastModified: response.lastModified,
      at: now,
    });
    await reportHealth(feed, { status: "ok", title: parsed.title }, deps, now);
    const counts = tally(outcomes);
    const result = {
      feedId: feed.id,
      status: "ok" as const,
      items: parsed.items.length,
      backfill,
      ...counts,
      seen: counts.seen + parsed.items.length - fresh.length,
    };
    log.info(result, backfill ? "feed backfilled" : "feed fetched");
    return result;
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (deps.signal?.aborted) return { feedId: feed.id, status: "failed", reason: "stopped" };
    const failures = feed.failures + 1;
    await deps.store.feeds.recordFailure(feed.id, reason, now, new Date(now.getTime() + backoffMs(failures, FEED_RETRY)));
    log.warn({ reason, failures }, "feed failed");
    await reportHealth(feed, { status: "failed", failures, reason }, deps, now);
    return { feedId: feed.id, status: "failed", reason };
  }
}

function reportHealth(feed: FeedRecord, health: Parameters<typeof reportFeedHealth>[1], deps: IngestDeps, now: Date): Promise<void> {
  if (!deps.alerts) return Promise.resolve();
  return reportFeedHealth(feed, health, deps.store, { ...deps.alerts, after: deps.settings.alertAfter }, now);
}

async function fullTextFor(item: Parameters<typeof isTeaser>[0], deps: IngestDeps, options: FetchOptions, log: Logger) {
  const mode = deps.settings.fullText;
  if (mode === "never" || !item.link || (mode === "auto" && !isTeaser(item))) return undefined;
  try {
    const page = await fetchResource(item.link, options);
    if (page.status !== "ok") return undefined;
    return extractArticle(decodeBody(page.bytes, page.contentType), page.finalUrl)?.contentHtml;
  } catch (error) {
    // The teaser is still worth posting; the page can fail on its own.
    log.info({ link: item.link, reason: error instanceof Error ? error.message : String(error) }, "full text unavailable");
    return undefined;
  }
}

function tally(outcomes: SaveOutcome[]) {
  const count = (status: SaveOutcome["status"]) => outcomes.filter((o) => o.status === status).length;
  return {
    added: count("new"),
    queued: outcomes.filter((o) => o.status === "new" && o.queued).length,
    seen: count("seen"),
    merged: count("merged"),
  };
}
