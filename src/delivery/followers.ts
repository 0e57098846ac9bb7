import { articleMatches } from "../search/index.js";
import type { PendingAlert, Store, StoredArticle } from "../store/index.js";
import type { AliasMap } from "../topics/index.js";

/**
 * Who should hear about this article, and which of their topics matched. Work grows with the number of
 * distinct followed topics, not of subscriptions: a topic that is one of the article's tags matches by
 * lookup; the others run the same search as /topic against this one article.
 */
export async function alertsFor(article: StoredArticle, store: Store, aliases: AliasMap): Promise<PendingAlert[]> {
  const topics = await store.subscriptions.distinctTopics();
  const tags = new Set(article.tags);
  const matched = topics.filter((topic) => tags.has(topic));
  for (const topic of topics) {
    if (!tags.has(topic) && (await articleMatches(store, aliases, article.id, topic))) matched.push(topic);
  }
  if (matched.length === 0) return [];
  const followers = await store.subscriptions.followersOf(matched);
  return followers.map(({ chatId, topic }) => ({ articleId: article.id, chatId, topic }));
}
