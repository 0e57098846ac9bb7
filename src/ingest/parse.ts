import { DetectError, parseFeed, type AnyFeed, type AtomFeed, type JsonFeed, type MediaNs, type RdfFeed, type RssFeed } from "feedsmith";
import type { RawItem } from "../article.js";
import { htmlToLine } from "./html-text.js";

export type FeedFormat = "rss" | "atom" | "rdf" | "json";

/** As in RawItem, a field the feed lacks may be present and undefined. */
export interface ParsedFeed {
  format: FeedFormat;
  title?: string | undefined;
  /** The site's home page (http(s) only, resolved when relative). */
  link?: string | undefined;
  items: RawItem[];
}

/** The body is not a usable feed. The message says what the admin can do about it. */
export class FeedParseError extends Error {
  override name = "FeedParseError";
}

/**
 * Parses RSS 0.9x/2.0, Atom, RSS 1.0 (RDF) or JSON Feed text into RawItems.
 * Relative item links and images are resolved against `baseUrl` (the address the feed was fetched
 * from), else the feed's own link; links that are not http(s) (javascript:, data:) are dropped.
 */
export function parseFeedText(xmlOrJson: string, baseUrl?: string): ParsedFeed {
  const text = xmlOrJson.replace(/^\uFEFF/, "");
  refuseNonFeeds(text);
  let parsed: AnyFeed<string>;
  try {
    parsed = parseFeed<string>(text);
  } catch (error) {
    if (error instanceof DetectError) {
      const what = /^\s*[[{]/.test(text) ? "JSON that is not a valid JSON Feed" : "something that is not an RSS, Atom, RDF or JSON feed";
      throw new FeedParseError(`This URL returned ${what}. Check that it is the feed's address, not a page or an API.`, {
        cause: error,
      });
    }
    const detail = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
    throw new FeedParseError(
      `The feed is broken and could not be read${detail}. Open it in a browser to check; if it stays broken, tell the publisher or remove the feed.`,
      { cause: error },
    );
  }
  switch (parsed.format) {
    case "rss": {
      const { feed } = parsed;
      return parsedFeed("rss", feed.title, feed.link, (feed.items ?? []).map(fromRss), baseUrl);
    }
    case "atom": {
      const { feed } = parsed;
      // Entries without an author inherit the feed's (Atom and JSON Feed both say so).
      const feedAuthor = feed.authors?.[0]?.name;
      const drafts = (feed.entries ?? []).map((entry) => fromAtom(entry, feedAuthor));
      return parsedFeed("atom", feed.title?.value, alternateLink(feed.links), drafts, baseUrl);
    }
    case "rdf": {
      const { feed } = parsed;
      return parsedFeed("rdf", feed.title, feed.link, (feed.items ?? []).map(fromRdf), baseUrl);
    }
    case "json": {
      const { feed } = parsed;
      const feedAuthor = feed.authors?.[0]?.name;
      const drafts = (feed.items ?? []).map((entry) => fromJson(entry, feedAuthor));
      return parsedFeed("json", feed.title, feed.home_page_url, drafts, baseUrl);
    }
  }
}

/** Cheap checks before the parser sees the text, so that each failure gets a message that helps. */
function refuseNonFeeds(text: string): void {
  if (text.trim() === "") {
    throw new FeedParseError("The feed answered with an empty body. Check the URL in a browser; the feed may have moved.");
  }
  const head = text.slice(0, 4096);
  // Control characters and undecodable bytes: an image, an archive, or a body that was not decompressed.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
  const binary = head.match(/[\u0000-\u0008\u000E-\u001F\uFFFD]/g)?.length ?? 0;
  if (binary > head.length / 20) {
    throw new FeedParseError("This URL returned binary data, not a feed. Check that the address points to the feed itself.");
  }
  const firstTag = head.replace(/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*/, "").slice(0, 20);
  if (/^<(!doctype\s+html|html[\s>])/i.test(firstTag)) {
    throw new FeedParseError(
      "This URL returned an HTML page, not a feed. Open the page, look for its RSS or Atom link (often /feed or /rss), and add that address instead.",
    );
  }
  // The parser does not expand DTD entities, but nothing a feed needs lives there, while
  // "billion laughs" and external-entity attacks do: refuse the document outright.
  if (/<!DOCTYPE/i.test(text) && /<!ENTITY/i.test(text)) {
    throw new FeedParseError(
      "This feed declares its own XML entities (<!DOCTYPE … <!ENTITY>), which feeds never need and which can exhaust memory. It was refused; ask the publisher for a plain feed.",
    );
  }
}

/** An item's fields as read from one format, before cleaning. */
type Draft = Omit<RawItem, "title" | "categories"> & { title?: string | undefined; categories: (string | undefined)[] };

function parsedFeed(
  format: FeedFormat,
  title: string | undefined,
  link: string | undefined,
  drafts: Draft[],
  baseUrl?: string,
): ParsedFeed {
  const base = httpUrl(link, baseUrl) ?? baseUrl;
  return {
    format,
    title: title ? htmlToLine(title) || undefined : undefined,
    link: httpUrl(link, baseUrl),
    items: drafts.map((draft) => toRawItem(draft, base)).filter((item): item is RawItem => item !== undefined),
  };
}

/** Cleans a draft; drops items with nothing to identify or show. */
function toRawItem(draft: Draft, base: string | undefined): RawItem | undefined {
  const nonEmpty = (value: string | undefined) => (value?.trim() ? value : undefined);
  const item: RawItem = {
    guid: nonEmpty(draft.guid)?.trim(),
    title: draft.title ? htmlToLine(draft.title) : "",
    link: httpUrl(draft.link, base),
    description: nonEmpty(draft.description),
    content: nonEmpty(draft.content),
    publishedAt: draft.publishedAt,
    author: nonEmpty(draft.author)?.trim(),
    categories: [...new Set(draft.categories.map((c) => c?.trim()).filter((c): c is string => !!c))],
    imageUrl: httpUrl(draft.imageUrl, base),
  };
  if (!item.guid && !item.link && !item.title && !item.description && !item.content) return undefined;
  return item;
}

/** An absolute http(s) URL as the feed wrote it, a relative one resolved, anything else undefined. */
function httpUrl(raw: string | undefined, base: string | undefined): string | undefined {
  const trimmed = raw?.trim();
  if (!trimmed) return undefined;
  try {
    const url = new URL(trimmed, base);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    return /^https?:/i.test(trimmed) ? trimmed : url.href;
  } catch {
    return undefined;
  }
}

function fromRss(entry: RssFeed.Item<string>): Draft {
  const guid = entry.guid?.value;
  // A permalink guid is the article's address when the item has no <link>.
  const guidLink = entry.guid?.isPermaLink !== false && guid && /^https?:\/\//i.test(guid) ? guid : undefined;
  return {
    guid,
    title: entry.title ?? entry.dc?.titles?.[0],
    link: entry.link ?? guidLink ?? alternateLink(entry.atom?.links),
    description: entry.description,
    content: entry.content?.encoded,
    publishedAt: firstDate(entry.pubDate, entry.dc?.dates?.[0], entry.dcterms?.issued?.[0], entry.atom?.published, entry.atom?.updated),
    author: entry.dc?.creators?.[0] ?? entry.authors?.[0]?.name ?? entry.authors?.[0]?.email,
    categories: [...(entry.categories ?? []).map((c) => c.name), ...(entry.dc?.subjects ?? [])],
    imageUrl: entry.enclosures?.find((e) => e.type?.startsWith("image/") || isImageUrl(e.url))?.url ?? mediaImage(entry.media),
  };
}

function fromAtom(entry: AtomFeed.Entry<string>, feedAuthor: string | undefined): Draft {
  return {
    guid: entry.id,
    title: entry.title?.value,
    link: alternateLink(entry.links),
    description: entry.summary?.value,
    content: entry.content?.value,
    publishedAt: firstDate(entry.published, entry.updated, entry.dc?.dates?.[0]),
    author: entry.authors?.[0]?.name ?? entry.dc?.creators?.[0] ?? feedAuthor,
    categories: [...(entry.categories ?? []).map((c) => c.label ?? c.term), ...(entry.dc?.subjects ?? [])],
    imageUrl: entry.links?.find((l) => l.rel === "enclosure" && l.type?.startsWith("image/"))?.href ?? mediaImage(entry.media),
  };
}

function fromRdf(entry: RdfFeed.Item<string>): Draft {
  return {
    guid: entry.rdf?.about,
    title: entry.title ?? entry.dc?.titles?.[0],
    link: entry.link,
    description: entry.description ?? entry.dc?.descriptions?.[0],
    content: entry.content?.encoded,
    publishedAt: firstDate(entry.dc?.dates?.[0], entry.dcterms?.issued?.[0]),
    author: entry.dc?.creators?.[0],
    categories: entry.dc?.subjects ?? [],
    imageUrl: mediaImage(entry.media),
  };
}

function fromJson(entry: JsonFeed.Item<string>, feedAuthor: string | undefined): Draft {
  return {
    guid: entry.id,
    title: entry.title,
    link: entry.url ?? entry.external_url,
    description: entry.summary,
    content: entry.content_html ?? entry.content_text,
    publishedAt: firstDate(entry.date_published, entry.date_modified),
    author: entry.authors?.[0]?.name ?? feedAuthor,
    categories: entry.tags ?? [],
    imageUrl: entry.image ?? entry.banner_image ?? entry.attachments?.find((a) => a.mime_type?.startsWith("image/"))?.url,
  };
}

/** Atom's rel defaults to "alternate"; without one, the first link is the best guess. */
function alternateLink(links: { href?: string; rel?: string }[] | undefined): string | undefined {
  return (links?.find((l) => (l.rel ?? "alternate") === "alternate") ?? links?.[0])?.href;
}

/** The widest image among media:content (also in media:group), else the first thumbnail. */
function mediaImage(media: MediaNs.ItemOrFeed | undefined): string | undefined {
  if (!media) return undefined;
  const contents = [...(media.contents ?? []), ...(media.groups ?? []).flatMap((g) => g.contents ?? [])];
  const images = contents.filter(
    (c) => c.url && (c.medium === "image" || c.type?.startsWith("image/") || (!c.medium && !c.type && isImageUrl(c.url))),
  );
  images.sort((a, b) => (b.width ?? 0) - (a.width ?? 0));
  return images[0]?.url ?? media.thumbnails?.[0]?.url ?? contents.flatMap((c) => c.thumbnails ?? [])[0]?.url;
}

function isImageUrl(url: string | undefined): boolean {
  return !!url && /\.(jpe?g|png|gif|webp|avif)(\?|$)/i.test(url);
}

function firstDate(...candidates: (string | undefined)[]): Date | undefined {
  for (const raw of candidates) {
    if (!raw) continue;
    const date = new Date(raw.trim());
    if (!Number.isNaN(date.getTime())) return date;
  }
  return undefined;
}
