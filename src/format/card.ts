import type { Article } from "../article.js";
import { cutAtWord, shortenAtSentence } from "../summarize/index.js";
import { MAX_MESSAGE_CHARS, telegramLength } from "./telegram-length.js";
import type { Templates } from "./templates.js";

const MAX_SOURCE_CHARS = 80;

export interface CardOptions {
  timeZone: string;
  /** Room to leave for other parts of a message that includes the card. */
  maxChars?: number;
  /** A correction's moment: the card then says "Updated HH:MM" (in timeZone). */
  updatedAt?: Date | undefined;
}

/**
 * The article card: headline in bold, the summary, the link as a readable anchor, source and time,
 * tags as hashtags. It always fits Telegram's limit: the summary gives way first, at a sentence,
 * then the headline, at a word. Values are escaped by the template, so no tag or entity is ever cut.
 */
export function renderArticleCard(article: Article, templates: Templates, options: CardOptions): string {
  const limit = options.maxChars ?? MAX_MESSAGE_CHARS;
  const values = {
    headline: article.headline,
    summary: article.summary,
    link: article.link,
    host: article.link ? hostOf(article.link) : undefined,
    // The card guarantees the limit whatever the fields hold: a source name is a line, not a paragraph.
    source: cutAtWord(article.source, MAX_SOURCE_CHARS),
    time: formatTime(article.publishedAt, options.timeZone),
    hashtags: article.tags.map((tag) => ({ tag: hashtag(tag) })).filter((h) => h.tag !== ""),
    updated: options.updatedAt ? formatClock(options.updatedAt, options.timeZone) : undefined,
  };
  let html = templates.render("article", values);
  for (let budget = values.summary.length; telegramLength(html) > limit && budget > 0;) {
    budget = Math.max(0, budget - (telegramLength(html) - limit) - 1);
    values.summary = budget > 0 ? shortenAtSentence(article.summary, budget) : "";
    html = templates.render("article", values);
  }
  if (telegramLength(html) > limit) {
    values.hashtags = [];
    values.headline = cutAtWord(
      article.headline,
      Math.max(20, limit - (telegramLength(templates.render("article", { ...values, headline: "" })) + 1)),
    );
    html = templates.render("article", values);
  }
  return html;
}

/** Telegram hashtags take letters, digits and underscores. */
export function hashtag(tag: string): string {
  return tag.replace(/[^\p{L}\p{N}_]+/gu, "_").replace(/^_+|_+$/g, "");
}

/** A link's site as readers name it: its host without "www." ("scmp.com"). */
export function hostOf(link: string): string {
  try {
    return new URL(link).host.replace(/^www\./, "");
  } catch {
    return link;
  }
}

/** What a feed (or a site) is called: its title, or else its host. */
export function titleOrHost(title: string | undefined, url: string): string {
  return title || hostOf(url);
}

/** HH:MM in the zone, 24-hour: a correction's "Updated" line, a retraction notice. */
export function formatClock(date: Date, timeZone: string): string {
  return dateFormat(timeZone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(date);
}

export function formatTime(date: Date, timeZone: string): string {
  return dateFormat(timeZone, {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(date);
}

/** Building a DateTimeFormat costs far more than formatting with it (a tenth of a /latest answer): one per zone and shape. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(timeZone: string, shape: Omit<Intl.DateTimeFormatOptions, "timeZone">): Intl.DateTimeFormat {
  const key = `${timeZone} ${JSON.stringify(shape)}`;
  let format = dateFormats.get(key);
  if (!format) dateFormats.set(key, (format = new Intl.DateTimeFormat("en-GB", { timeZone, ...shape })));
  return format;
}
