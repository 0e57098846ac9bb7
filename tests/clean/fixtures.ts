/** Shared fixture loading for the clean and summarize tests (not a test file itself). */
import { readFileSync } from "node:fs";

const SHARED = new URL("../../../shared/fixtures/", import.meta.url);

export function readFixture(relativePath: string): string {
  return readFileSync(new URL(relativePath, SHARED), "utf8");
}

/** The reference article: line 1 is the headline, the rest is the body split on blank lines. */
export function referenceArticle(): { headline: string; body: string[] } {
  const [headline = "", ...rest] = readFixture("articles/xinjiang-embassy.txt").split("\n");
  const body = rest
    .join("\n")
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== "");
  return { headline, body };
}

/** The HTML of every <item><description> in an RSS fixture, with the XML escaping undone. */
export function rssDescriptions(file: string): string[] {
  const xml = readFixture(`feeds/${file}`);
  return [...xml.matchAll(/<item>[\s\S]*?<description>([\s\S]*?)<\/description>/g)].map((match) =>
    (match[1] ?? "")
      .replace(/^<!\[CDATA\[|\]\]>$/g, "")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&"),
  );
}

/** The HTML of every <content:encoded> in an RSS fixture. */
export function rssContents(file: string): string[] {
  const xml = readFixture(`feeds/${file}`);
  return [...xml.matchAll(/<content:encoded><!\[CDATA\[([\s\S]*?)\]\]><\/content:encoded>/g)].map((match) => match[1] ?? "");
}
