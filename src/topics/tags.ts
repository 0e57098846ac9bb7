import type { AliasMap } from "./alias-map.js";
import { termWords } from "./fold.js";
import { normalizeTopic } from "./normalize.js";
import { MAX_TOPIC_LENGTH } from "./topic-length.js";
import { capitalizedPhrases, headlinePhrases } from "./proper-nouns.js";
import { isStopTag } from "./stoplist.js";
import { isAllCaps, startsCapitalized, TokenIndex, tokenizeText } from "./text-tokens.js";

export const DEFAULT_MAX_TAGS = 8;

const CATEGORY_WEIGHT = 6; // an editor chose it
const HEADLINE_WEIGHT = 4; // the desk thought it worth the headline
const BODY_MENTION_CAP = 6; // the tenth mention says no more than the sixth
const MIN_BODY_ONLY_MENTIONS = 3; // a name only in the body must recur to be the story
const CATEGORY_ORDER_BASE = -1_000_000; // categories come first among equal scores

export interface TagInput {
  headline: string;
  paragraphs: string[];
  categories: string[];
}

interface Evidence {
  tag: string;
  category: boolean;
  /** A topic of the alias map: kept as its own tag, never folded into a longer name. */
  known: boolean;
  /** Where it first appears: categories, then headline, then body. Breaks ties in score. */
  first: number;
  score: number;
}

/** Spellings of each known topic as word lists, computed once per alias map. */
const spellingCache = new WeakMap<AliasMap, Map<string, string[][]>>();
function spellingsByTopic(aliases: AliasMap): Map<string, string[][]> {
  let byTopic = spellingCache.get(aliases);
  if (!byTopic) {
    byTopic = new Map();
    for (const [spelling, topic] of aliases.spellings) {
      const words = termWords(spelling);
      if (words.length > 0) byTopic.set(topic, [...(byTopic.get(topic) ?? []), words]);
    }
    spellingCache.set(aliases, byTopic);
  }
  return byTopic;
}

/** "US", "UN", "AI" only count in capitals: "us" and "un" are everyday words. */
function acceptKnown(words: string[]): (raw: string) => boolean {
  const short = words.length === 1 && (words[0]?.length ?? 0) <= 3;
  return short ? isAllCaps : () => true;
}

/** A name found by compromise counts only where it is written as a name ("Turkey", not "turkey"). */
function acceptName(raw: string, word: string): boolean {
  return startsCapitalized(raw) || ["of", "and", "for", "the"].includes(word);
}

function isAcceptableTag(tag: string | undefined): tag is string {
  return tag !== undefined && tag.length >= 2 && tag.length <= MAX_TOPIC_LENGTH && /\p{L}/u.test(tag) && !isStopTag(tag);
}

/** Is `inner` a run of whole words inside `outer` ("trump" in "donald trump")? */
function isSubPhrase(inner: string[], outer: string[]): boolean {
  if (inner.length >= outer.length) return false;
  for (let i = 0; i + inner.length <= outer.length; i++) {
    if (inner.every((w, k) => outer[i + k] === w)) return true;
  }
  return false;
}

interface Context {
  head: TokenIndex;
  text: TokenIndex;
  known: Map<string, string[][]>;
  categories: Map<string, number>;
  headlineNames: Set<string>;
}

/** Names in the headline (compromise when it is Title Case) and capitalized runs in the body, as normalized tags. */
function nameTags(input: TagInput, body: string, aliases: AliasMap): { all: Set<string>; headline: Set<string> } {
  const all = new Set<string>();
  const headline = new Set<string>();
  for (const [inHeadline, phrases] of [
    [true, headlinePhrases(input.headline)],
    [false, capitalizedPhrases(body)],
  ] as const) {
    for (const phrase of phrases) {
      const tag = normalizeTopic(phrase, aliases);
      if (!isAcceptableTag(tag)) continue;
      all.add(tag);
      if (inHeadline) headline.add(tag);
    }
  }
  return { all, headline };
}

/** Counts a candidate's mentions and decides whether it earns a place; undefined when not. */
function weigh(tag: string, ctx: Context): Evidence | undefined {
  const known = ctx.known.has(tag);
  const category = ctx.categories.has(tag);
  // Known topics count every spelling; category words may be lower case in the text.
  const spellings = ctx.known.get(tag) ?? [termWords(tag)];
  const accept = (words: string[]) => (known ? acceptKnown(words) : category ? () => true : acceptName);
  const headHits = new Set<number>();
  const bodyHits = new Set<number>();
  for (const words of spellings) {
    for (const p of ctx.head.find(words, accept(words))) headHits.add(p);
    for (const p of ctx.text.find(words, accept(words))) bodyHits.add(p);
  }
  const inHeadline = headHits.size > 0 || ctx.headlineNames.has(tag);
  const mentions = bodyHits.size;
  const keep = category || (known && (inHeadline || mentions > 0)) || (inHeadline && mentions > 0) || mentions >= MIN_BODY_ONLY_MENTIONS;
  if (!keep) return undefined;

  // Loops, not Math.min(...spread): a long body would overflow the argument list.
  let first = Number.MAX_SAFE_INTEGER;
  for (const p of headHits) first = Math.min(first, p);
  for (const p of bodyHits) first = Math.min(first, p + ctx.head.tokens.length);
  if (category) first = CATEGORY_ORDER_BASE + (ctx.categories.get(tag) ?? 0);
  const score = (category ? CATEGORY_WEIGHT : 0) + (inHeadline ? HEADLINE_WEIGHT : 0) + Math.min(mentions, BODY_MENTION_CAP);
  return { tag, category, known, first, score };
}

/** "Trump" next to "Donald Trump" is the same person: keep the longer name, with the better rank. */
function mergeShortNames(admitted: Evidence[]): Evidence[] {
  return admitted.filter((c) => {
    if (c.category || c.known) return true;
    const words = termWords(c.tag);
    const outer = admitted.find((d) => d !== c && isSubPhrase(words, termWords(d.tag)));
    if (!outer) return true;
    outer.score = Math.max(outer.score, c.score);
    outer.first = Math.min(outer.first, c.first);
    return false;
  });
}

/**
 * Topic tags for an article, best first: feed categories, alias-map topics named in the text,
 * headline names the body repeats, and names the body repeats at least three times.
 */
export function extractTags(input: TagInput, aliases: AliasMap, options: { max?: number } = {}): string[] {
  const max = options.max ?? DEFAULT_MAX_TAGS;
  const body = input.paragraphs.join("\n\n");
  const categories = new Map<string, number>();
  input.categories.forEach((c, i) => {
    const tag = normalizeTopic(c, aliases);
    if (isAcceptableTag(tag) && !categories.has(tag)) categories.set(tag, i);
  });
  const names = nameTags(input, body, aliases);
  const ctx: Context = {
    head: new TokenIndex(tokenizeText(input.headline)),
    text: new TokenIndex(tokenizeText(body)),
    known: spellingsByTopic(aliases),
    categories,
    headlineNames: names.headline,
  };

  const admitted: Evidence[] = [];
  for (const tag of new Set([...categories.keys(), ...ctx.known.keys(), ...names.all])) {
    const evidence = isAcceptableTag(tag) ? weigh(tag, ctx) : undefined;
    if (evidence) admitted.push(evidence);
  }
  return mergeShortNames(admitted)
    .sort((a, b) => b.score - a.score || a.first - b.first)
    .slice(0, Math.max(0, max))
    .map((c) => c.tag);
}
