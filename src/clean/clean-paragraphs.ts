/**
 * Apply the cleaning rules (./rules.ts) to a list of paragraphs.
 */
import { matchingRule, splitDateline } from "./rules.js";
import { collapseWhitespace } from "./whitespace.js";

export interface Dateline {
  /** Place as written in the dateline, e.g. "LONDON" or "NEW YORK". */
  place: string;
  /** Agency credit from the parentheses, e.g. "XINHUA, AFP". */
  credit?: string;
}

export interface CleanedParagraphs {
  paragraphs: string[];
  dateline?: Dateline;
}

/**
 * Drop captions, credits, promos and bylines line by line (a paragraph may hold several
 * <br>-separated lines), drop paragraphs left empty, then take the dateline off the first
 * remaining paragraph.
 */
export function cleanParagraphs(paragraphs: string[]): CleanedParagraphs {
  const kept: string[] = [];
  for (const paragraph of paragraphs) {
    const lines = paragraph
      .split(/\r\n|\r|\n/)
      .map(collapseWhitespace)
      .filter((line) => line !== "" && matchingRule(line) === undefined);
    if (lines.length > 0) kept.push(lines.join("\n"));
  }

  const lead = kept[0];
  if (lead === undefined) return { paragraphs: kept };
  const split = splitDateline(lead);
  if (!split) return { paragraphs: kept };

  if (split.rest === "") kept.shift();
  else kept[0] = split.rest;
  if (split.place === undefined) return { paragraphs: kept };
  return {
    paragraphs: kept,
    dateline: split.credit ? { place: split.place, credit: split.credit } : { place: split.place },
  };
}
