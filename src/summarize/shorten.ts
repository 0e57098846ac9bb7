/**
 * Fit text into a character budget without cutting a sentence, or at worst a word.
 *
 * Lengths are JavaScript string lengths (UTF-16 code units), which is also how Telegram counts
 * its 4096-character message limit.
 */
import { sentenceEnds } from "./sentences.js";

export const ELLIPSIS = "…";

/**
 * Whole sentences from the start of text, as many as fit in maxChars. The original text between
 * sentences (line breaks, spacing) is kept, so a renderer can use it on formatted plain text.
 * If even the first sentence is too long, cut at the last word boundary that leaves room for "…"
 * and append "…". Returns "" for blank text or maxChars < 1.
 */
export function shortenAtSentence(text: string, maxChars: number): string {
  if (!(maxChars >= 1)) return "";
  const trimmed = text.trim();
  if (trimmed.length <= maxChars) return trimmed;

  let best = 0;
  for (const end of sentenceEnds(trimmed)) {
    if (trimmed.slice(0, end).trimEnd().length > maxChars) break;
    best = end;
  }
  if (best > 0) return trimmed.slice(0, best).trimEnd();
  return cutAtWord(trimmed, maxChars);
}

/**
 * Cut text to at most maxChars including a trailing "…", at the last whitespace before the limit.
 * Text with no whitespace there (a giant token, CJK) is cut at a character boundary that never
 * splits an emoji or other grapheme.
 */
export function cutAtWord(text: string, maxChars: number): string {
  if (!(maxChars >= 1)) return "";
  if (text.length <= maxChars) return text;
  const limit = maxChars - ELLIPSIS.length;
  if (limit <= 0) return ELLIPSIS;

  let cut: string;
  if (/\s/u.test(text[limit] ?? "")) {
    cut = text.slice(0, limit);
  } else {
    const lastSpace = text.slice(0, limit).search(/\s\S*$/u);
    cut = lastSpace > 0 ? text.slice(0, lastSpace) : graphemePrefix(text, limit);
  }
  // Do not leave "word, …" or "word (…": drop dangling punctuation before the ellipsis.
  const tidy = cut.replace(/[\s,;:.\-–—([{“"‘'«]+$/u, "");
  return (tidy === "" ? graphemePrefix(text, limit) : tidy) + ELLIPSIS;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The longest prefix of whole graphemes with length <= limit. */
function graphemePrefix(text: string, limit: number): string {
  let length = 0;
  for (const { segment } of graphemes.segment(text.slice(0, limit + 16))) {
    if (length + segment.length > limit) break;
    length += segment.length;
  }
  return text.slice(0, length);
}
