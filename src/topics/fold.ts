/**
 * Text folding shared by topics, aliases, tags and search: one definition of "the same word",
 * so a tag, a follower's topic and an alias spelling compare equal.
 */

/** Latin letters that carry no combining mark to strip but still have a plain spelling. */
const PLAIN_LATIN: Record<string, string> = {
  ß: "ss",
  ø: "o",
  đ: "d",
  ł: "l",
  æ: "ae",
  œ: "oe",
  ı: "i",
  þ: "th",
  ð: "d",
};

const PLAIN_WORD = /^[A-Za-z0-9]+$/;

/** "u.s.", "U.K.", "u.s.a": single letters joined by dots are one acronym, not separate words. */
const DOTTED_ACRONYM = /(?<![\p{L}\p{N}.])\p{L}(?:\.\p{L})+\.?(?![\p{L}\p{N}])/gu;

/** Joins dotted acronyms ("U.S." → "US"), keeping case so callers can still tell "US" from "us". */
export function joinDottedAcronyms(text: string): string {
  return text.replace(DOTTED_ACRONYM, (m) => m.replace(/\./g, ""));
}

/**
 * Lower-case, NFKC, Latin diacritics stripped (CJK, Cyrillic, Arabic... kept as they are),
 * punctuation dropped except hyphens/apostrophes inside a word, whitespace collapsed.
 * Returns "" when nothing word-like remains (emoji, punctuation).
 */
export function foldText(input: string): string {
  // Most words are plain ASCII, and folding runs once per word of every article: skip the Unicode passes.
  if (PLAIN_WORD.test(input)) return input.toLowerCase();
  let s = input.normalize("NFKC").toLowerCase();
  // Only Latin loses its marks: a Cyrillic "й" or Arabic harakat are letters of their own.
  s = s
    .normalize("NFD")
    .replace(/(\p{Script=Latin})\p{M}+/gu, "$1")
    .normalize("NFC");
  s = s.replace(/[ßøđłæœıþð]/g, (ch) => PLAIN_LATIN[ch] ?? ch);
  s = s.replace(/[’‘ʼ`´]/g, "'").replace(/[‐‑]/g, "-");
  s = joinDottedAcronyms(s);
  s = s.replace(/[^\p{L}\p{N}\p{M}'-]+/gu, " ");
  // Marks not attached to a letter are emoji variation selectors and keycaps.
  s = s.replace(/(?<![\p{L}\p{M}])\p{M}+/gu, "");
  // Hyphens/apostrophes survive only between two word characters ("covid-19", "o'brien").
  s = s.replace(/(?<![\p{L}\p{N}\p{M}'-])['-]+|['-]+(?![\p{L}\p{N}'-])/gu, " ");
  s = s.replace(/(['-])['-]+/g, "$1");
  return s.replace(/\s+/g, " ").trim();
}

/** "China's" → "China": a possessive names the same thing. */
export function stripPossessive(word: string): string {
  return word.replace(/['’]s$/i, "");
}

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const CJK_OR_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/gu;

/**
 * Splits one word into match units: CJK text has no spaces, so each Han/kana character is
 * its own unit and "新疆" is found inside "中国新疆维吾尔自治区".
 */
export function splitCjk(word: string): string[] {
  return CJK_CHAR.test(word) ? (word.match(CJK_OR_RUN) ?? []) : [word];
}

/** The match units of an already folded term: "people's republic of china" → [people, republic, of, china]. */
export function termWords(folded: string): string[] {
  return folded
    .split(/[\s-]+/)
    .map(stripPossessive)
    .flatMap(splitCjk)
    .filter((w) => w !== "");
}
