import type { Article, RawItem } from "../article.js";
import { cleanParagraphs, htmlToParagraphs } from "../clean/index.js";
import { cutAtWord, splitSentences, summarize } from "../summarize/index.js";
import { extractTags, type AliasMap } from "../topics/index.js";
import { canonicalUrl, headlineFingerprint } from "./canonical-url.js";
import { itemKeys } from "./item-keys.js";
import { htmlToLine } from "./html-text.js";

/**
 * Telegram shows about this much of a headline comfortably; longer ones are cut at a word. An editor's headline (/push,
 * /correct) has the same limit, so that any stored headline can be saved again unchanged.
 */
export const MAX_HEADLINE_CHARS = 300;

export interface BuildOptions {
  aliases: AliasMap;
  summaryMaxChars: number;
  /** Name of the source: the feed's title, or its host. */
  source: string;
  /** Where guids are unique: the feed ("feed:12"), or "desk" for pasted articles. */
  keyScope: string;
  now: Date;
  /** The article page's body, when the item was only a teaser and full text was fetched. */
  fullTextHtml?: string | undefined;
}

/** An article plus the keys the store deduplicates by. */
export interface BuiltArticle {
  article: Article;
  keys: string[];
  headlineKey: string;
}

/**
 * normalize → clean → summarize → tag: one feed item (or pasted text) becomes one Article.
 * Returns undefined for an item with neither headline nor text: there is nothing to post.
 */
export function buildArticle(raw: RawItem, options: BuildOptions): BuiltArticle | undefined {
  const bodyHtml = options.fullTextHtml ?? raw.content ?? raw.description ?? "";
  const cleaned = cleanParagraphs(htmlToParagraphs(bodyHtml));
  // A description next to a full body may be an editor's standfirst; summarize decides.
  const standfirst = raw.content !== undefined || options.fullTextHtml !== undefined ? raw.description : undefined;
  const summary = summarize(cleaned.paragraphs, {
    maxChars: options.summaryMaxChars,
    ...(standfirst ? { standfirst: htmlToLine(standfirst) } : {}),
  });
  const headline = cutAtWord(htmlToLine(raw.title) || splitSentences(summary)[0] || "", MAX_HEADLINE_CHARS);
  if (!headline) return undefined;

  const link = raw.link === undefined ? undefined : canonicalUrl(raw.link);
  const keys = itemKeys(raw, options.keyScope);
  const dedupKey = keys[0] ?? `url:${link}`;
  const tags = extractTags({ headline, paragraphs: cleaned.paragraphs, categories: raw.categories }, options.aliases);
  // A date in the future would pin an item to the top of /latest: clamp it to now.
  const published = raw.publishedAt && raw.publishedAt.getTime() < options.now.getTime() ? raw.publishedAt : options.now;

  return {
    article: {
      dedupKey,
      headline,
      summary,
      body: cleaned.paragraphs.join("\n\n"),
      ...(link ? { link } : {}),
      source: options.source,
      publishedAt: published,
      tags,
      ...(cleaned.dateline ? { dateline: cleaned.dateline.place } : {}),
      ...(raw.imageUrl ? { imageUrl: raw.imageUrl } : {}),
    },
    keys,
    headlineKey: headlineFingerprint(headline),
  };
}
