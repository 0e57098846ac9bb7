import type { Store } from "../store/index.js";
import { mapWithConcurrency } from "./concurrency.js";
import { discoverFeed } from "./discover-feed.js";
import { FetchError, PrivateAddressError, type FetchOptions, type PrivateAddressRefusal } from "./fetch.js";
import { FeedParseError } from "./parse.js";
import { OpmlError, readOpml, type OpmlFeed } from "./opml.js";

/** An import checks each new feed with a fetch: a bigger list is refused whole, so that one file cannot keep the bot busy for long. */
const OPML_MAX_FEEDS = 200;
/** Feeds checked at once: a large list finishes in a few timeouts, without opening a connection per feed. */
const CHECKS_AT_ONCE = 4;

/** Why one feed of the file was not added; the import-report template words each. */
export type Refusal =
  | { reason: "not-http" | "not-a-feed" | "fetch-failed" }
  /** The address guard refused an address, on the feed's URL or where it redirected. */
  | PrivateAddressRefusal;

/** What became of one feed of the file. `detail` is the check's own message (it says what to do), for the log and the report. */
export type ImportOutcome =
  | { status: "added"; url: string; title: string; items: number }
  | { status: "exists"; url: string; title: string }
  | ({ status: "refused"; url: string; title: string; detail: string } & Refusal)
  /** The caller's signal cut the import before this feed's check ended (the caller's time budget). */
  | { status: "unchecked"; url: string; title: string };

/** The feeds of an OPML file, refused whole (OpmlError) when it is not OPML, lists no feed, or lists more than OPML_MAX_FEEDS. */
export function feedsToImport(text: string): OpmlFeed[] {
  const feeds = readOpml(text);
  if (feeds.length > OPML_MAX_FEEDS) {
    throw new OpmlError({ problem: "too-many", feeds: feeds.length, max: OPML_MAX_FEEDS });
  }
  return feeds;
}

/**
 * Adds the feeds of an OPML list as an admin's feeds, each new URL checked as /addfeed checks it (discoverFeed: the
 * address guard, one fetch, a feed or a page linking to one). A URL stored already is not fetched. As for /addfeed,
 * the poller's first fetch of an added feed is backfill. Once `signal` aborts, the checks still running are cut and
 * those not started are skipped: both are "unchecked". `onChecked` is called as each feed's outcome is known.
 * Outcomes come in the file's order.
 */
export async function importFeeds(
  feeds: readonly OpmlFeed[],
  deps: { store: Store; fetch: Omit<FetchOptions, "signal">; signal?: AbortSignal; onChecked?: () => void },
): Promise<ImportOutcome[]> {
  const stored = new Map((await deps.store.feeds.list()).map((feed) => [feed.url, feed.title]));
  const check = async ({ url, title }: OpmlFeed): Promise<ImportOutcome> => {
    if (stored.has(url)) return { status: "exists", url, title: stored.get(url) ?? title };
    if (deps.signal?.aborted) return { status: "unchecked", url, title };
    let found;
    try {
      found = await discoverFeed(url, { ...deps.fetch, ...(deps.signal ? { signal: deps.signal } : {}) });
    } catch (error) {
      if (error instanceof FetchError || error instanceof FeedParseError) {
        return { status: "refused", url, title, detail: error.message, ...refusalOf(error) };
      }
      // The fetch rethrows the signal's reason as is.
      if (deps.signal?.aborted) return { status: "unchecked", url, title };
      throw error;
    }
    const { feed, added } = await deps.store.feeds.add(found.url, "admin", found.title ?? title);
    const name = feed.title ?? title;
    return added ? { status: "added", url: found.url, title: name, items: found.items } : { status: "exists", url: found.url, title: name };
  };
  return mapWithConcurrency(feeds, CHECKS_AT_ONCE, async (feed) => {
    const outcome = await check(feed);
    deps.onChecked?.();
    return outcome;
  });
}

function refusalOf(error: FetchError | FeedParseError): Refusal {
  if (error instanceof FeedParseError) return { reason: "not-a-feed" };
  if (error instanceof PrivateAddressError) return error.refusal;
  return { reason: error.reason === "bad-url" ? "not-http" : "fetch-failed" };
}
