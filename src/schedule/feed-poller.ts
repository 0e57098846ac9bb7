import { runFeed, type FeedRunResult, type IngestDeps } from "../ingest/feed-run.js";
import { mapWithConcurrency } from "../ingest/concurrency.js";

/** Feeds fetched at once: a slow feed holds one slot, the others go on. */
const FEED_CONCURRENCY = 4;

export interface FeedPoller {
  /** One poll of every due feed. The schedule runs it one at a time (a tick while it runs joins it). */
  poll(): Promise<FeedRunResult[]>;
}

/**
 * Polls the configured and stored feeds. Feeds in backoff after failures are skipped until their
 * retry time; the FEEDS list is added to the store on every poll, so a restart with a new list works.
 */
export function createFeedPoller(deps: IngestDeps, configuredFeeds: readonly string[]): FeedPoller {
  return {
    async poll() {
      const now = new Date(deps.clock.now());
      const feeds = await deps.store.feeds.ensure(configuredFeeds, "config");
      // A feed taken out of FEEDS stays in the store (its articles keep their source) but is not fetched.
      const wanted = new Set(configuredFeeds);
      const due = feeds.filter(
        (feed) =>
          feed.enabled && (feed.origin !== "config" || wanted.has(feed.url)) && (feed.nextFetchAt === undefined || feed.nextFetchAt <= now),
      );
      return mapWithConcurrency(due, FEED_CONCURRENCY, (feed) => runFeed(feed, deps));
    },
  };
}
