import type { RawItem } from "../article.js";

/** A pasted article cannot be used. The message tells the admin what to send instead. */
export class RawArticleError extends Error {
  override name = "RawArticleError";
}

const HOW_TO = "Send the headline on the first line, the article text below it, and the article's link on a line of its own if it has one.";

/**
 * Reads an article pasted by an admin: the first non-empty line is the headline, the rest the body.
 * A line holding only an http(s) URL is the article's link and leaves the body; options.link wins over it.
 */
export function parseRawArticle(text: string, options: { link?: string } = {}): RawItem {
  const lines = text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .split("\n");
  const linkLine = lines.findIndex((line) => isUrlLine(line));
  const foundLink = linkLine === -1 ? undefined : lines[linkLine]?.trim().replace(/^<|>$/g, "");
  if (linkLine !== -1) lines.splice(linkLine, 1);

  const headlineLine = lines.findIndex((line) => line.trim() !== "");
  if (headlineLine === -1) {
    throw new RawArticleError(`${foundLink ? "Only a link was found, no headline or text." : "The text is empty."} ${HOW_TO}`);
  }
  const headline = (lines[headlineLine] ?? "").replace(/\s+/g, " ").trim();
  const body = paragraphs(lines.slice(headlineLine + 1));
  if (!body) {
    throw new RawArticleError(`Only a headline was found ("${headline.slice(0, 80)}"), no article text. ${HOW_TO}`);
  }
  const link = options.link?.trim() || foundLink;
  return { title: headline, content: body, ...(link ? { link } : {}), categories: [] };
}

function isUrlLine(line: string): boolean {
  const candidate = line.trim().replace(/^<|>$/g, "");
  if (!/^https?:\/\/\S+$/i.test(candidate)) return false;
  try {
    new URL(candidate);
    return true;
  } catch {
    return false;
  }
}

/**
 * Paragraphs are separated by blank lines; lines inside one are joined (hard-wrapped text).
 * A body without any blank line is taken as one paragraph per line, as chat messages are written.
 */
function paragraphs(lines: string[]): string {
  const text = lines
    .map((line) => line.trim())
    .join("\n")
    .trim();
  if (!text) return "";
  const blocks = /\n\s*\n/.test(text) ? text.split(/\n\s*\n/) : text.split("\n");
  return blocks
    .map((block) => block.replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .join("\n\n");
}
