import nlp from "compromise";
import { foldText } from "./fold.js";
import { startsCapitalized } from "./text-tokens.js";

/** compromise is the slow part; the lead of a long article says what it is about. */
const MAX_NLP_CHARS = 20_000;
const MAX_PHRASE_WORDS = 5;

/** Lower-case words allowed inside a name: "House of Commons", "Bank of England". */
const CONNECTORS = new Set(["of", "and", "for", "the", "de", "del", "la", "le", "van", "von", "al", "bin", "da"]);
const TITLES = new Set(["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "dame"]);

/**
 * compromise over-reaches ("north-western Chinese region of Xinjiang", "China's Xinjiang"):
 * cut a span at punctuation, possessives and lower-case words, then trim connectors and titles.
 */
function splitSpan(span: string): string[] {
  const phrases: string[] = [];
  for (const chunk of span.split(/[^\p{L}\p{N}\p{M}'’\s-]+/u)) {
    let current: string[] = [];
    const flush = (): void => {
      while (current.length > 0 && CONNECTORS.has(foldText(current[0] ?? ""))) current.shift();
      while (current.length > 0 && TITLES.has(foldText(current[0] ?? ""))) current.shift();
      while (current.length > 0 && CONNECTORS.has(foldText(current[current.length - 1] ?? ""))) current.pop();
      if (current.length > 0 && current.length <= MAX_PHRASE_WORDS) phrases.push(current.join(" "));
      current = [];
    };
    for (const word of chunk.split(/\s+/).filter((w) => w !== "")) {
      const possessive = /['’]s$/i.test(word);
      const bare = word.replace(/['’]s$/i, "").replace(/['’]$/, "");
      const folded = foldText(bare);
      if (folded === "" || (!startsCapitalized(bare) && !CONNECTORS.has(folded))) {
        flush();
        continue;
      }
      current.push(bare);
      if (possessive) flush();
    }
    flush();
  }
  return phrases;
}

/** Names of places, people, organizations and other proper nouns, as written, without repeats (compromise). */
export function properNounPhrases(text: string): string[] {
  const doc = nlp(text.slice(0, MAX_NLP_CHARS));
  const spans = [...(doc.match("#ProperNoun+").out("array") as string[]), ...(doc.match("#Demonym").out("array") as string[])];
  return unique(spans.flatMap(splitSpan));
}

/**
 * Runs of capitalized words, without NLP: cheap enough for whole bodies. Sentence-initial words
 * slip in too, which is why body-only names must recur (and the stoplist drops "The", "He" …).
 */
export function capitalizedPhrases(text: string): string[] {
  return unique(splitSpan(text));
}

/**
 * A headline in Title Case capitalizes every word, so only NLP can tell its names; in sentence case
 * (most newsrooms) the capitals already mark the names, and compromise (about 1 ms) is not needed.
 */
export function headlinePhrases(headline: string): string[] {
  const words = headline.split(/\s+/).filter((word) => /^\p{L}{4,}/u.test(word));
  const capitalized = words.filter(startsCapitalized).length;
  return words.length >= 3 && capitalized / words.length > 0.6
    ? properNounPhrases(headline)
    : capitalizedPhrases(headline).filter((p, i) => i > 0 || !isFirstWordOnly(p, headline));
}

/** The headline's first word is capitalized by grammar, not because it is a name. */
function isFirstWordOnly(phrase: string, headline: string): boolean {
  return !phrase.includes(" ") && headline.trimStart().startsWith(phrase);
}

function unique(phrases: string[]): string[] {
  return [...new Set(phrases)];
}
