import { Readability } from "@mozilla/readability";
import { parseDocument, type DomDocument } from "../clean/dom.js";
import type { RawItem } from "../article.js";
import { htmlToText } from "./html-text.js";

/** Readability's metadata fields are present and undefined when the page has none. */
export interface ExtractedArticle {
  title?: string | undefined;
  byline?: string | undefined;
  excerpt?: string | undefined;
  siteName?: string | undefined;
  /** Readability's cleaned article HTML. */
  contentHtml: string;
  /** The article's text, one paragraph per block, paragraphs joined with blank lines. */
  textContent: string;
}

/**
 * Reader-mode extraction of an article page (Mozilla Readability on linkedom).
 * `url` is the page's address, so that relative links and images come out absolute.
 * Returns undefined when the page holds no recognizable article.
 */
export function extractArticle(html: string, url?: string): ExtractedArticle | undefined {
  // linkedom builds no documentElement from a bare fragment, and Readability refuses such a document.
  const document = parseDocument(/<(?:html|body)[\s>]/i.test(html) ? html : `<!doctype html><html><body>${html}</body></html>`);
  if (url) setBaseUri(document, url);
  // linkedom's Document is structurally what Readability reads; the DOM lib types are not loaded here.
  const article = new Readability(document).parse();
  const contentHtml = article?.content ?? "";
  const textContent = htmlToText(contentHtml);
  if (!article || !textContent) return undefined;
  const optional = (value: string | null | undefined) => value?.replace(/\s+/g, " ").trim() || undefined;
  return {
    title: optional(article.title),
    byline: optional(article.byline),
    excerpt: optional(article.excerpt),
    siteName: optional(article.siteName),
    contentHtml,
    textContent,
  };
}

/** linkedom leaves baseURI empty; Readability resolves relative URLs against it (honouring <base href>). */
function setBaseUri(document: DomDocument, url: string): void {
  let base: string;
  try {
    const baseHref = document.querySelector("base[href]")?.getAttribute("href");
    base = new URL(baseHref ?? "", url).href;
  } catch {
    return;
  }
  Object.defineProperty(document, "baseURI", { value: base, configurable: true });
  Object.defineProperty(document, "documentURI", { value: url, configurable: true });
}

const TEASER_ENDING = /(…|\.\.\.|continue reading|read more|read the full (story|article))[\s.…»›→)\]]*$/i;
const TEASER_MAX_CHARS = 500;

/**
 * True when a feed item brings only a teaser, so the full article is worth fetching: no content and
 * a short description, or text that ends in "…", "Continue reading", "Read more".
 */
export function isTeaser(item: RawItem): boolean {
  const content = item.content ? htmlToText(item.content) : "";
  if (content) return TEASER_ENDING.test(content);
  const description = item.description ? htmlToText(item.description) : "";
  return description.length < TEASER_MAX_CHARS || TEASER_ENDING.test(description);
}
