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

/** Names of places, people, organizations and other proper nouns, as written, without repeats. */
export function properNounPhrases(text: string): string[] {
  const doc = nlp(text.slice(0, MAX_NLP_CHARS));
  const spans = [
    ...doc.topics().out("array"),
    ...doc.match("#ProperNoun+").out("array"),
    ...doc.match("#Demonym").out("array"),
  ] as string[];
  const seen = new Set<string>();
  const phrases: string[] = [];
  for (const phrase of spans.flatMap(splitSpan)) {
    if (!seen.has(phrase)) {
      seen.add(phrase);
      phrases.push(phrase);
    }
  }
  return phrases;
}
