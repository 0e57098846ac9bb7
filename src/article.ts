/**
 * The shared vocabulary of the pipeline (see ../shared/DESIGN.md, "Words to use everywhere").
 * Pure types only: every room may import this file.
 */

/**
 * One item as it comes out of a feed or a pasted text, before cleaning. The parser writes every
 * field it reads, so a field the feed lacks may be present and undefined.
 */
export interface RawItem {
  /** Feed guid/id, when the feed gives one. */
  guid?: string | undefined;
  title: string;
  /** Link to the article page as the feed gives it (not yet canonical). */
  link?: string | undefined;
  /** Short description or teaser, HTML or text. */
  description?: string | undefined;
  /** Full body (content:encoded, Atom content, JSON Feed content_html/content_text), HTML or text. */
  content?: string | undefined;
  /** Publication time, when the feed gives a parseable one. */
  publishedAt?: Date | undefined;
  author?: string | undefined;
  categories: string[];
  imageUrl?: string | undefined;
}

/** An article after normalization, cleaning, summarizing and tagging: what the store keeps. */
export interface Article {
  /** Dedup key: the feed guid, else the canonical URL, else a hash of the headline. */
  dedupKey: string;
  headline: string;
  summary: string;
  /** Cleaned body paragraphs joined with blank lines. */
  body: string;
  /** Canonical link, when there is one. */
  link?: string;
  /** Feed title or host name of the source. */
  source: string;
  publishedAt: Date;
  /** Normalized topic tags (lower case, aliases folded). */
  tags: string[];
  /** Place name from the dateline ("LONDON"), kept as metadata. */
  dateline?: string;
  imageUrl?: string;
}
