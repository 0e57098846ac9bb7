/**
 * The shared vocabulary of the pipeline (see ../shared/DESIGN.md, "Words to use everywhere").
 * Pure types only: every room may import this file.
 */

/** One item as it comes out of a feed or a pasted text, before cleaning. */
export interface RawItem {
  /** Feed guid/id, when the feed gives one. */
  guid?: string;
  title: string;
  /** Link to the article page as the feed gives it (not yet canonical). */
  link?: string;
  /** Short description or teaser, HTML or text. */
  description?: string;
  /** Full body (content:encoded, Atom content, JSON Feed content_html/content_text), HTML or text. */
  content?: string;
  /** Publication time, when the feed gives a parseable one. */
  publishedAt?: Date;
  author?: string;
  categories: string[];
  imageUrl?: string;
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
