import type { InlineKeyboardButton } from "grammy/types";
import type { Templates } from "../format/templates.js";
import type { Store } from "../store/index.js";
import { button, inRows } from "../bot/buttons.js";

export const RECENT_DAYS = 7;
const DAY_MS = 86_400_000;
const SUGGESTIONS = 6;

/** The start of the "recent" window at `now` (epoch ms, from the bot's clock). */
export const recentSince = (now: number): Date => new Date(now - RECENT_DAYS * DAY_MS);

/** Suggestions change slowly; counting them on every unmatched query would make those the slowest answers. */
const SUGGESTIONS_TTL_MS = 60_000;
const cache = new WeakMap<Store, { at: number; topics: Promise<string[]> }>();

/** Topics to suggest at `now` (epoch ms, from the bot's clock): what readers follow most, else the commonest tags of the last week. */
export async function popularTopics(store: Store, now: number): Promise<string[]> {
  const cached = cache.get(store);
  if (cached && now - cached.at < SUGGESTIONS_TTL_MS) return cached.topics;
  const topics = countPopularTopics(store, now);
  cache.set(store, { at: now, topics });
  // A failed count is not kept: the next query tries again.
  topics.catch(() => cache.delete(store));
  return topics;
}

async function countPopularTopics(store: Store, now: number): Promise<string[]> {
  const followed = await store.subscriptions.popular(SUGGESTIONS);
  if (followed.length > 0) return followed.map((f) => f.topic);
  return (await store.articles.topTags(recentSince(now), SUGGESTIONS)).map((t) => t.tag);
}

/** One button per topic that shows its stories (as /topic does). */
export function topicButtonRows(templates: Templates, topics: readonly { topic: string; count?: number }[]): InlineKeyboardButton[][] {
  return inRows(
    topics.map(({ topic, count }) => button(templates, "button-topic", { topic, count }, { kind: "topic", query: topic })),
    2,
  );
}
