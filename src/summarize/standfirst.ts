/**
 * When is a feed's description an editor's standfirst worth using as the summary?
 *
 * Rule (all must hold):
 *  1. after cleaning (HTML to text, captions/promos/dateline removed) it has at least 40 characters;
 *  2. it does not end in a truncation marker: "…", "...", "[…]", "[...]", "(more…)",
 *     "Continue reading", "Read more" (checked before cleaning, since cleaning drops those lines);
 *  3. it is not the body's lead again: after normalizing (lower case, letters and digits only)
 *     the first 100 characters of the two are not prefix-equal, and at least 80% of its first
 *     20 words are not found among the body's first 40 words.
 * Otherwise the summary is taken from the body.
 */
import { cleanParagraphs } from "../clean/clean-paragraphs.js";
import { htmlToParagraphs } from "../clean/html.js";

export const MIN_STANDFIRST_CHARS = 40;

const TRUNCATION_MARKER = /(?:…|\.{3}|\[\s*(?:…|\.{3})\s*\]|\(\s*more\s*(?:…|\.{3})?\s*\)|Continue reading\W*|Read more\W*)\s*$/iu;

/** The standfirst as clean text (paragraphs joined by "\n"), or undefined when the rule says no. */
export function usableStandfirst(standfirst: string | undefined, body: readonly string[]): string | undefined {
  const { text, truncated } = standfirstText(standfirst);
  if (truncated || text.length < MIN_STANDFIRST_CHARS) return undefined;
  if (isNearDuplicate(text, body.join("\n"))) return undefined;
  return text;
}

/**
 * The standfirst cleaned like a body (HTML or text in), and whether it ended in a truncation
 * marker before cleaning (cleaning removes a trailing "Continue reading..." line).
 */
export function standfirstText(standfirst: string | undefined): { text: string; truncated: boolean } {
  if (!standfirst || standfirst.trim() === "") return { text: "", truncated: false };
  const paragraphs = htmlToParagraphs(standfirst);
  return {
    text: cleanParagraphs(paragraphs).paragraphs.join("\n"),
    truncated: endsTruncated(paragraphs.join("\n")),
  };
}

export function endsTruncated(text: string): boolean {
  return TRUNCATION_MARKER.test(text);
}

/** Text with a trailing truncation marker removed. */
export function withoutTruncationMarker(text: string): string {
  return text.replace(TRUNCATION_MARKER, "").trimEnd();
}

function normalize(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Is the standfirst just (a part of) the body's opening? */
export function isNearDuplicate(standfirst: string, body: string): boolean {
  const a = normalize(standfirst).slice(0, 100);
  const b = normalize(body).slice(0, 100);
  if (a === "" || b === "") return false;
  const n = Math.min(a.length, b.length);
  if (a.slice(0, n) === b.slice(0, n)) return true;

  const standfirstWords = a.split(" ").slice(0, 20);
  const bodyWords = new Set(normalize(body).split(" ").slice(0, 40));
  const shared = standfirstWords.filter((word) => bodyWords.has(word)).length;
  return shared / standfirstWords.length >= 0.8;
}
