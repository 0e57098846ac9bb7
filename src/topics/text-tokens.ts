import { foldText, joinDottedAcronyms, splitCjk, stripPossessive } from "./fold.js";

/** One word of article text: as written (for case checks) and folded (for comparison). */
export interface TextToken {
  raw: string;
  norm: string;
}

/** Hyphens split words here, so "Covid-19" and "north-western" line up with termWords(). */
const WORD = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*/gu;

export function tokenizeText(text: string): TextToken[] {
  const tokens: TextToken[] = [];
  const prepared = joinDottedAcronyms(text.normalize("NFKC"));
  for (const match of prepared.matchAll(WORD)) {
    for (const raw of splitCjk(stripPossessive(match[0]))) {
      const norm = foldText(raw);
      if (norm !== "") tokens.push({ raw, norm });
    }
  }
  return tokens;
}

function isLowerCased(ch: string): boolean {
  return ch !== ch.toUpperCase() && ch === ch.toLowerCase();
}

/** "Britain", "UK", "新疆" pass; "britain" does not. Uncased scripts always pass. */
export function startsCapitalized(raw: string): boolean {
  const first = raw[0];
  return first !== undefined && !isLowerCased(first);
}

/** "US", "G7" pass; "us", "Us" do not: short acronyms collide with everyday words. */
export function isAllCaps(raw: string): boolean {
  return [...raw].every((ch) => !isLowerCased(ch));
}

/** Where each folded word occurs, so a phrase is found without rescanning the text per phrase. */
export class TokenIndex {
  private readonly positions = new Map<string, number[]>();

  constructor(readonly tokens: readonly TextToken[]) {
    tokens.forEach((t, i) => {
      const list = this.positions.get(t.norm);
      if (list) list.push(i);
      else this.positions.set(t.norm, [i]);
    });
  }

  /** Start positions of `words` in the text where every written token passes `accept`. */
  find(words: readonly string[], accept: (raw: string, word: string) => boolean): number[] {
    const first = words[0];
    if (first === undefined) return [];
    const starts = this.positions.get(first) ?? [];
    return starts.filter((start) =>
      words.every((word, k) => {
        const token = this.tokens[start + k];
        return token !== undefined && token.norm === word && accept(token.raw, word);
      }),
    );
  }
}
