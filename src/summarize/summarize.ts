/**
 * The summary of an article: its lead, as whole sentences, within a character budget.
 */
import { collapseWhitespace } from "../clean/whitespace.js";
import { splitSentences } from "./sentences.js";
import { ELLIPSIS, shortenAtSentence } from "./shorten.js";
import { standfirstText, usableStandfirst, withoutTruncationMarker } from "./standfirst.js";

/** The budget callers use for a summary. */
export const DEFAULT_SUMMARY_MAX_CHARS = 400;

export interface SummarizeOptions {
  maxChars: number;
  /** The feed's description, if any. Used instead of the body when it is an editor's standfirst (see ./standfirst.ts). */
  standfirst?: string | undefined;
}

/**
 * Summary = the standfirst if usable (./standfirst.ts), else the lead of the cleaned body,
 * shortened to whole sentences within maxChars (or cut at a word with "…" when the first sentence
 * alone is too long). Leading headings of the body (under 40 characters, no sentence punctuation
 * at the end) are skipped when more follows. A paragraph or line with no punctuation at its end
 * (e.g. a Guardian standfirst) gets a full stop, so that it does not run into the next sentence.
 * With no body, a truncated or short standfirst is still used (its cut-off last sentence dropped).
 * Returns "" when there is no content.
 */
export function summarize(paragraphs: string[], options: SummarizeOptions): string {
  const lines = paragraphs
    .flatMap((paragraph) => paragraph.split("\n"))
    .map(collapseWhitespace)
    .filter((line) => line !== "");
  const source = usableStandfirst(options.standfirst, lines) ?? leadText(lines) ?? fallbackFromStandfirst(options.standfirst);
  if (source === undefined) return "";
  // Lines are joined by "\n" so that a paragraph end is a sentence end; flatten afterwards.
  const terminated = source.split("\n").map(terminate).join("\n");
  return shortenAtSentence(terminated, options.maxChars).replace(/\s*\n\s*/g, " ");
}

const ENDS_LIKE_PROSE = /[.!?…。！？]["'”’»)\]」』】》]*$/u;
/** Ends in punctuation that leads on to the next line ("Here is a thing:"). */
const ENDS_LEADING_ON = /[:;,–—-]$/u;
const MAX_HEADING_CHARS = 40;

function isHeading(line: string): boolean {
  return line.length < MAX_HEADING_CHARS && !ENDS_LIKE_PROSE.test(line) && !ENDS_LEADING_ON.test(line);
}

/** The body from its first non-heading line on, one line per paragraph; undefined when empty. */
function leadText(lines: readonly string[]): string | undefined {
  if (lines.length === 0) return undefined;
  let start = 0;
  while (start < lines.length - 1 && isHeading(lines[start] ?? "")) start++;
  return lines.slice(start).join("\n");
}

/** Give a line with no punctuation at its end a full stop. */
function terminate(line: string): string {
  return line === "" || ENDS_LIKE_PROSE.test(line) || ENDS_LEADING_ON.test(line) ? line : `${line}.`;
}

/** A standfirst that failed the rule, used only because there is no body at all. */
function fallbackFromStandfirst(standfirst: string | undefined): string | undefined {
  const { text, truncated } = standfirstText(standfirst);
  if (text === "") return undefined;
  if (!truncated) return text;
  // Drop the sentence the feed cut off, or mark it as cut when it is the only one.
  const sentences = splitSentences(withoutTruncationMarker(text));
  const last = sentences.at(-1);
  if (last === undefined) return undefined;
  if (ENDS_LIKE_PROSE.test(last)) return sentences.join(" ");
  if (sentences.length > 1) return sentences.slice(0, -1).join(" ");
  return last + ELLIPSIS;
}
