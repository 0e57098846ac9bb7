/**
 * Sentence splitting for news text (English first, CJK punctuation supported).
 *
 * A candidate end is a run of . ! ? … 。！？ ؟ plus any closing quotes/brackets after it.
 * It is a real end when:
 *  - it is CJK punctuation (no space needed after it), or
 *  - it is followed by whitespace (so "3.5", "U.S.-China", "example.com" never split) and
 *    the next visible character is not lower case ('"Is it?" he asked.' stays one sentence), and
 *  - for a single period, the word before it is not an abbreviation (./abbreviations.ts) and not a
 *    lone capital initial ("J. K. Rowling"). Dotted acronyms and company suffixes ("U.S.", "Inc.")
 *    end a sentence only before a typical opener ("… in the U.S. The …").
 * A line break is also an end when the next line does not start in lower case (headings, list lines).
 *
 * Known limits: a sentence ending in a single capital ("… grade A. The …") is not split.
 */
import { collapseWhitespace } from "../clean/whitespace.js";
import { isDottedAcronym, MAY_END_SENTENCE, NEVER_ENDS_SENTENCE, SENTENCE_OPENERS } from "./abbreviations.js";

const CANDIDATE_END = /([.!?…。！？؟]+)["'”’»)\]」』】》〉]*/gu;
const CJK_END = /[。！？]/u;
const LOWER_CASE = /\p{Ll}/u;

/**
 * Offsets just after each sentence end, ascending; the last is always text.length
 * (when the text is not blank). text.slice(previous, offset) is one sentence plus leading space.
 */
export function sentenceEnds(text: string): number[] {
  const ends = new Set<number>();
  for (const match of text.matchAll(CANDIDATE_END)) {
    const start = match.index;
    const end = start + match[0].length;
    if (isSentenceEnd(text, start, match[1] ?? "", end)) ends.add(end);
  }
  for (const match of text.matchAll(/\n/g)) {
    const next = nextVisibleChar(text, match.index);
    if (next !== undefined && !LOWER_CASE.test(next)) ends.add(trimEndOffset(text, match.index));
  }
  if (text.trim() !== "") ends.add(text.length);
  return [...ends].filter((offset) => offset > 0).sort((a, b) => a - b);
}

/** Split text into sentences, each trimmed with whitespace collapsed. */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let previous = 0;
  for (const end of sentenceEnds(text)) {
    const sentence = collapseWhitespace(text.slice(previous, end));
    if (sentence !== "") sentences.push(sentence);
    previous = end;
  }
  return sentences;
}

function isSentenceEnd(text: string, start: number, terminators: string, end: number): boolean {
  if (CJK_END.test(terminators)) return true;
  if (end >= text.length) return true;
  if (!/\s/u.test(text[end] ?? "")) return false;
  const next = nextVisibleChar(text, end);
  if (next === undefined) return true;
  if (LOWER_CASE.test(next)) return false;
  if (terminators !== ".") return true; // "!", "?", "?!", "...", "…"

  const word = wordBefore(text, start);
  if (NEVER_ENDS_SENTENCE.has(word) || /^\p{Lu}$/u.test(word)) return false;
  if (MAY_END_SENTENCE.has(word) || isDottedAcronym(word)) {
    return SENTENCE_OPENERS.has(nextWord(text, end));
  }
  return true;
}

/** The word just before offset, without opening quotes/brackets: 'said "Mr' -> "Mr". */
function wordBefore(text: string, offset: number): string {
  const match = /[^\s(["“‘'«]+$/u.exec(text.slice(Math.max(0, offset - 40), offset));
  return match?.[0] ?? "";
}

function nextWord(text: string, offset: number): string {
  const match = /^\s*["“‘'«(]*([\p{L}'’]+)/u.exec(text.slice(offset, offset + 60));
  return match?.[1] ?? "";
}

function nextVisibleChar(text: string, offset: number): string | undefined {
  const match = /\S/u.exec(text.slice(offset, offset + 200));
  return match?.[0];
}

/** Offset just after the last non-space character before offset. */
function trimEndOffset(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && /\s/u.test(text[i - 1] ?? "")) i--;
  return i;
}
