import type { SearchHit, Store } from "../store/index.js";
import { buildMatchQuery, type AliasMap } from "../topics/index.js";

export type SearchResult =
  | { status: "ok"; hits: SearchHit[]; hasMore: boolean }
  /** Nothing searchable was left of the input (only punctuation, only stop words). */
  | { status: "empty-query" };

/**
 * The one search: /topic uses it, and follower matching uses articleMatches with the same query
 * building, so a reader's topic finds the same articles in both places.
 */
export async function searchArticles(
  store: Store,
  aliases: AliasMap,
  query: string,
  page: { limit: number; offset: number },
): Promise<SearchResult> {
  const match = buildMatchQuery(query, aliases);
  if (match === undefined) return { status: "empty-query" };
  const hits = await store.articles.search(match, { limit: page.limit + 1, offset: page.offset });
  return { status: "ok", hits: hits.slice(0, page.limit), hasMore: hits.length > page.limit };
}

export async function articleMatches(store: Store, aliases: AliasMap, articleId: number, query: string): Promise<boolean> {
  const match = buildMatchQuery(query, aliases);
  return match !== undefined && (await store.articles.matches(articleId, match));
}
