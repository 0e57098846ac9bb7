import { articleMatches } from "../search/index.js";
import type { PendingAlert, Store, StoredArticle } from "../store/index.js";
import { foldText, type AliasMap } from "../topics/index.js";

/**
 * Who should hear about this article, and which of their topics matched. Work grows with the number of
 * distinct followed topics, not of subscriptions: a topic that is one of the article's tags matches by
 * lookup; for the others a cheap word check rules most out, and the survivors run the same search as
 * /topic against this one article, which has the final say.
 */
export async function alertsFor(
  article: StoredArticle,
  store: Store,
  aliases: AliasMap,
  topics?: readonly string[],
): Promise<PendingAlert[]> {
  const followed = topics ?? (await store.subscriptions.distinctTopics());
  const tags = new Set(article.tags);
  const prefixes = wordPrefixes(article);
  const matched = followed.filter((topic) => tags.has(topic));
  for (const topic of followed) {
    if (tags.has(topic) || !mayMatch(topic, aliases, prefixes)) continue;
    if (await articleMatches(store, aliases, article.id, topic)) matched.push(topic);
  }
  if (matched.length === 0) return [];
  const followers = await store.subscriptions.followersOf(matched);
  return followers.map(({ chatId, topic }) => ({ articleId: article.id, chatId, topic }));
}

/**
 * Three letters of every word: stemming only changes the end of a word ("embassies" → "embassi"),
 * so a word the search would match always shares its first three letters with the topic's word.
 */
const PREFIX = 3;
/** Where the search index splits words: spaces, and the hyphens and apostrophes that folding keeps. */
const WORD_BREAK = /[\s'-]+/;

function wordPrefixes(article: StoredArticle): Set<string> {
  const text = [article.headline, article.summary, article.body, article.tags.join(" ")].join(" ");
  const prefixes = new Set<string>();
  for (const word of foldText(text).split(WORD_BREAK)) prefixes.add(word.slice(0, PREFIX));
  return prefixes;
}

/** False only when no spelling of the topic can match; anything it cannot judge (CJK, say) goes on to the search. */
function mayMatch(topic: string, aliases: AliasMap, prefixes: Set<string>): boolean {
  return spellingPrefixes(topic, aliases).some((words) => words.every((word) => word === undefined || prefixes.has(word)));
}

/**
 * Each spelling of a topic (itself and its aliases) as the prefixes of its words; undefined stands for a
 * word the check cannot judge. Topics are few and every article asks about all of them: fold them once.
 */
const spellingCache = new WeakMap<AliasMap, Map<string, (string | undefined)[][]>>();
function spellingPrefixes(topic: string, aliases: AliasMap): (string | undefined)[][] {
  let byTopic = spellingCache.get(aliases);
  if (!byTopic) spellingCache.set(aliases, (byTopic = new Map<string, (string | undefined)[][]>()));
  let spellings = byTopic.get(topic);
  if (!spellings) {
    spellings = [topic, ...aliases.aliasesOf(topic)].map((spelling) =>
      foldText(spelling)
        .split(WORD_BREAK)
        .map((word) => (/^[a-z0-9']+$/.test(word) ? word.slice(0, PREFIX) : undefined)),
    );
    byTopic.set(topic, spellings);
  }
  return spellings;
}
