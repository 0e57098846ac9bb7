import type { RawItem } from "../article.js";
import type { Clock } from "../clock.js";
import type { Config } from "../config/index.js";
import { hostOf } from "../format/card.js";
import type { Store, StoredArticle } from "../store/index.js";
import { cutAtWord } from "../summarize/index.js";
import type { AliasMap } from "../topics/index.js";
import { buildArticle } from "./build-article.js";
import { canonicalUrl } from "./canonical-url.js";
import { decodeBody } from "./decode.js";
import { FetchError, fetchResource, guardedFetchOptions, PrivateAddressError, type PrivateAddressRefusal } from "./fetch.js";
import { extractArticle } from "./full-text.js";

/** As a feed's title on a card: a runaway og:site_name must not break it. */
const MAX_SOURCE_CHARS = 80;
const HTML_TYPES = /^\s*(text\/html|application\/xhtml\+xml)\s*(;|$)/i;
/** A page served without a Content-Type is taken as HTML when it starts like one. */
const HTML_START = /^\s*(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html|head|body)[\s>]/i;

/** Why a pasted link gave no article. JSON, so that a dialog's state can keep it. */
export type LinkRefusal =
  /** The link, or a redirect, leads to an address the guard refuses. */
  | PrivateAddressRefusal
  | { reason: "timeout"; seconds: number }
  | { reason: "http-status"; httpStatus: number }
  | { reason: "too-large"; maxBytes: number }
  | { reason: "not-html"; contentType: string }
  | { reason: "no-article" }
  /** Not a web address, no such host, down, endless redirects, or a redirect away from the web. */
  | { reason: "unreachable" }
  /** The link leads to a story the editors retracted: it is never published again. */
  | { reason: "retracted"; headline: string };

export type LinkResult = { status: "new" | "stored"; article: StoredArticle } | ({ status: "refused" } & LinkRefusal);

export interface LinkDeps {
  store: Store;
  clock: Clock;
  aliases: AliasMap;
  settings: Pick<Config["ingest"], "timeoutMs" | "maxBytes" | "summaryMaxChars" | "allowPrivateFeeds">;
}

/**
 * An article link an editor pasted → the stored article. A link stored before (its canonical URL is an item key) is
 * that article, unfetched. Otherwise the page is fetched through the address guard (an admin's paste is not trusted
 * more than a feed's content), extracted, and built as a feed item with a teaser is: cleaned, summarized, tagged. Its
 * source is the site's name (og:site_name) or host. It is stored, not queued: publishing it is the editor's call.
 * A link to a retracted story, known or found again after the fetch, is refused.
 */
export async function ingestArticleLink(url: string, deps: LinkDeps): Promise<LinkResult> {
  const canonical = canonicalUrl(url);
  if (canonical === undefined) return { status: "refused", reason: "unreachable" };
  const known = await deps.store.articles.byKey(`url:${canonical}`);
  if (known) return found("stored", known);

  const page = await fetchPage(url, deps);
  if ("reason" in page) return { status: "refused", ...page };
  const extracted = extractArticle(page.html, page.finalUrl);
  if (!extracted) return { status: "refused", reason: "no-article" };

  const now = new Date(deps.clock.now());
  // The pasted address is the guid, so both it and the page's final address (after redirects) find the article again.
  const raw: RawItem = {
    guid: url,
    title: extracted.title ?? "",
    link: page.finalUrl,
    description: extracted.excerpt,
    categories: [],
  };
  const built = buildArticle(raw, {
    aliases: deps.aliases,
    summaryMaxChars: deps.settings.summaryMaxChars,
    source: cutAtWord(extracted.siteName ?? hostOf(page.finalUrl), MAX_SOURCE_CHARS),
    keyScope: "desk",
    now,
    fullTextHtml: extracted.contentHtml,
  });
  if (!built) return { status: "refused", reason: "no-article" };
  const [outcome] = await deps.store.articles.save([{ ...built, sourceLink: built.article.link, isNews: false }], { now });
  if (!outcome) throw new Error("the store saved nothing");
  const article = await deps.store.articles.get(outcome.articleId);
  if (!article) throw new Error(`article ${outcome.articleId} vanished right after it was saved`);
  return found(outcome.status === "new" ? "new" : "stored", article);
}

function found(status: "new" | "stored", article: StoredArticle): LinkResult {
  if (article.retractedAt !== undefined) return { status: "refused", reason: "retracted", headline: article.headline };
  return { status, article };
}

/** The page as text, or why there is none: the fetch's failures as refusals, and anything but HTML refused. */
async function fetchPage(url: string, deps: LinkDeps): Promise<{ html: string; finalUrl: string } | LinkRefusal> {
  try {
    const response = await fetchResource(url, guardedFetchOptions(deps.settings));
    // No validators were sent, so a 304 is the server's mistake: there is no page.
    if (response.status !== "ok") return { reason: "http-status", httpStatus: 304 };
    const contentType = response.contentType ?? "";
    const html = decodeBody(response.bytes, response.contentType);
    if (contentType ? !HTML_TYPES.test(contentType) : !HTML_START.test(html)) {
      return { reason: "not-html", contentType: contentType.split(";")[0]?.trim() || "unknown" };
    }
    return { html, finalUrl: response.finalUrl };
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    return refusalOf(error, deps.settings);
  }
}

function refusalOf(error: FetchError, settings: LinkDeps["settings"]): LinkRefusal {
  if (error instanceof PrivateAddressError) return error.refusal;
  switch (error.reason) {
    case "timeout":
      return { reason: "timeout", seconds: settings.timeoutMs / 1000 };
    case "http-status":
      return { reason: "http-status", httpStatus: error.httpStatus ?? 0 };
    case "too-large":
      return { reason: "too-large", maxBytes: settings.maxBytes };
    default:
      return { reason: "unreachable" };
  }
}
