import { parseDocument } from "../clean/dom.js";
import { decodeBody } from "./decode.js";
import { FetchError, fetchResource, type FetchOptions } from "./fetch.js";
import { FeedParseError, parseFeedText } from "./parse.js";

export interface DiscoveredFeed {
  /** The feed's own address: the one given, after redirects, or the one its page links to. */
  url: string;
  title: string | undefined;
  items: number;
}

const FEED_TYPES = ["application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml"];

/**
 * Proves that `url` is a feed by fetching and parsing it once; an HTML page is followed to the first feed its
 * `<link rel="alternate">` names (one more guarded fetch). Throws FetchError or FeedParseError, whose messages say
 * what to do. What an admin gives is never trusted: `options` should not allow private addresses unless
 * ALLOW_PRIVATE_FEEDS says so.
 */
export async function discoverFeed(url: string, options: FetchOptions): Promise<DiscoveredFeed> {
  const page = await fetchText(url, options);
  try {
    return described(page);
  } catch (error) {
    const alternate = error instanceof FeedParseError ? alternateFeedOf(page.text, page.url) : undefined;
    if (alternate === undefined) throw error;
    return described(await fetchText(alternate, options));
  }
}

async function fetchText(url: string, options: FetchOptions): Promise<{ url: string; text: string }> {
  const result = await fetchResource(url, options);
  // Without validators a 304 is the server's mistake.
  if (result.status !== "ok")
    throw new FetchError("http-status", url, `${url} answered 304 Not Modified unasked. Check it in a browser.`, 304);
  return { url: result.finalUrl, text: decodeBody(result.bytes, result.contentType) };
}

function described({ url, text }: { url: string; text: string }): DiscoveredFeed {
  const parsed = parseFeedText(text, url);
  return { url, title: parsed.title, items: parsed.items.length };
}

/** The first feed an HTML page announces, as an absolute http(s) URL. */
function alternateFeedOf(html: string, pageUrl: string): string | undefined {
  if (!/<link\b/i.test(html)) return undefined;
  const links = parseDocument(html).querySelector("head")?.querySelectorAll('link[rel~="alternate"][href]') ?? [];
  for (const link of Array.from(links)) {
    const type = link.getAttribute("type")?.toLowerCase().split(";")[0]?.trim() ?? "";
    if (!FEED_TYPES.includes(type)) continue;
    try {
      const absolute = new URL(link.getAttribute("href") ?? "", pageUrl);
      if (absolute.protocol === "http:" || absolute.protocol === "https:") return absolute.href;
    } catch {
      // A broken href: try the next link.
    }
  }
  return undefined;
}
