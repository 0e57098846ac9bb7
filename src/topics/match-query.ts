import type { AliasMap } from "./alias-map.js";
import { foldText, stripPossessive } from "./fold.js";

/** A reader's query past this length is noise, and costs the FTS index for nothing. */
export const MAX_QUERY_CHARS = 256;
export const MAX_QUERY_TERMS = 8;
/** Longest alias phrase looked for among unquoted words ("north atlantic treaty organization"). */
const MAX_ALIAS_WORDS = 4;

/** Unquoted filler: ANDed as terms it would only demand that a story say "the". Boolean words are not operators here. */
const FILLER = new Set(["a", "an", "the", "and", "or", "not", "of", "in", "on", "at", "to", "for", "by"]);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Split on straight quotes; an unclosed quote runs to the end ("forced labour → a phrase). */
function segments(text: string): { text: string; quoted: boolean }[] {
  const parts: { text: string; quoted: boolean }[] = [];
  for (const m of text.matchAll(/"([^"]*)(?:"|$)|[^"]+/g)) {
    parts.push(m[1] !== undefined ? { text: m[1], quoted: true } : { text: m[0], quoted: false });
  }
  return parts;
}

/** An FTS5 string: everything inside is literal; hyphens become spaces so "forced-labour" reads as a phrase. */
function quote(phrase: string): string {
  return `"${phrase.replace(/-/g, " ").replace(/"/g, '""')}"`;
}

/** Unquoted words → folded terms, joining runs that spell a known alias ("united kingdom"). */
function wordTerms(text: string, aliases: AliasMap): string[] {
  const words = text
    .split(/\s+/)
    .map((w) => foldText(stripPossessive(w.replace(/['’]$/, ""))))
    .filter((w) => w !== "");
  const terms: string[] = [];
  for (let i = 0; i < words.length;) {
    let taken = 1;
    for (let n = Math.min(MAX_ALIAS_WORDS, words.length - i); n >= 2; n--) {
      if (aliases.spellings.has(words.slice(i, i + n).join(" "))) {
        taken = n;
        break;
      }
    }
    const term = words.slice(i, i + taken).join(" ");
    if (taken > 1 || !FILLER.has(term)) terms.push(term);
    i += taken;
  }
  return terms;
}

/** One term as FTS5: the reader's words, or (words OR canonical OR alias...) for a known topic. */
function renderTerm(term: string, aliases: AliasMap): string {
  const alternatives = [term];
  const topic = aliases.canonical(term);
  if (aliases.spellings.get(topic) === topic) alternatives.push(topic, ...aliases.aliasesOf(topic));
  const quoted = [...new Set(alternatives.map(quote))];
  return quoted.length === 1 ? (quoted[0] ?? "") : `(${quoted.join(" OR ")})`;
}

/**
 * Arbitrary reader text → a safe FTS5 MATCH expression, or undefined when nothing searchable remains.
 * Every term is a quoted string, so AND/OR/NOT/NEAR, "col:", "*", "^", "-" and parentheses are plain text.
 */
export function buildMatchQuery(userInput: string, aliases: AliasMap): string | undefined {
  const text = userInput
    .slice(0, MAX_QUERY_CHARS)
    .replace(LONE_SURROGATE, "")
    .normalize("NFKC")
    .replace(/[“”„‟″«»]/g, '"');
  const terms: string[] = [];
  for (const part of segments(text)) {
    if (part.quoted) {
      const phrase = foldText(part.text);
      if (phrase !== "") terms.push(phrase);
    } else {
      terms.push(...wordTerms(part.text, aliases));
    }
  }
  const rendered = [...new Set(terms.map((t) => renderTerm(t, aliases)))].slice(0, MAX_QUERY_TERMS);
  return rendered.length === 0 ? undefined : rendered.join(" AND ");
}
