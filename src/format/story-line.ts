import type { Article } from "../article.js";
import { formatAge } from "./age.js";
import { oneLine } from "./lists.js";

/** Widths that keep a list of stories inside one message whatever a feed sends (fitItems is only the safety net). */
const HEADLINE_CHARS = 200;
const SOURCE_CHARS = 60;

/**
 * One story in a list (the digest, /latest under the card, /topic): its headline, link and source on one line each.
 * A type, not an interface: template values are plain records.
 */
export type StoryLine = { headline: string; link: string | undefined; source: string };

export function storyLine(article: Pick<Article, "headline" | "link" | "source">): StoryLine {
  return { headline: oneLine(article.headline, HEADLINE_CHARS), link: article.link, source: oneLine(article.source, SOURCE_CHARS) };
}

/** The same with its age at `now` (epoch ms), for lists a reader asked for: "2 h ago". */
export function agedStoryLine(
  article: Pick<Article, "headline" | "link" | "source" | "publishedAt">,
  now: number,
): StoryLine & { age: string } {
  return { ...storyLine(article), age: formatAge(article.publishedAt, new Date(now)) };
}
