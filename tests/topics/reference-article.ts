import { readFileSync } from "node:fs";

/** The project's reference article, shared by every room (read-only). */
const FIXTURE = new URL("../../../shared/fixtures/articles/xinjiang-embassy.txt", import.meta.url);

export interface ReferenceArticle {
  headline: string;
  /** As stored in the fixture: caption, dateline and promo line still in. */
  paragraphs: string[];
  /** What the cleaner is meant to leave: no caption, no promo, no dateline prefix. */
  cleanParagraphs: string[];
}

export function readReferenceArticle(): ReferenceArticle {
  const [headline = "", ...rest] = readFileSync(FIXTURE, "utf8").split("\n");
  const paragraphs = rest
    .join("\n")
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const cleanParagraphs = paragraphs
    .filter((p) => !/PHOTO:/.test(p) && !/^Join ST's Telegram/.test(p))
    .map((p) => p.replace(/^[A-Z]+ \([A-Z, ]+\) - /, ""));
  return { headline: headline.trim(), paragraphs, cleanParagraphs };
}
