import type Database from "better-sqlite3";
import type { Clock } from "../../clock.js";
import type { SubscriptionStore } from "../types.js";

/** SQLite caps bound parameters; topic lists are chunked below it. */
const CHUNK = 500;

export function sqliteSubscriptions(db: Database.Database, clock: Clock): SubscriptionStore {
  const count = db.prepare<[number], { n: number }>("SELECT COUNT(*) AS n FROM subscriptions WHERE chat_id = ?");
  const insert = db.prepare<[number, string, number]>("INSERT OR IGNORE INTO subscriptions (chat_id, topic, created_at) VALUES (?, ?, ?)");
  const exists = db.prepare<[number, string], { one: number }>("SELECT 1 AS one FROM subscriptions WHERE chat_id = ? AND topic = ?");
  const remove = db.prepare<[number, string]>("DELETE FROM subscriptions WHERE chat_id = ? AND topic = ?");
  const removeAll = db.prepare<[number]>("DELETE FROM subscriptions WHERE chat_id = ?");
  const list = db.prepare<[number], { topic: string }>("SELECT topic FROM subscriptions WHERE chat_id = ? ORDER BY created_at, topic");
  const distinct = db.prepare<[], { topic: string }>("SELECT DISTINCT topic FROM subscriptions");
  const popular = db.prepare<[number], { topic: string; followers: number }>(
    "SELECT topic, COUNT(*) AS followers FROM subscriptions GROUP BY topic ORDER BY followers DESC, topic LIMIT ?",
  );

  const follow = db.transaction((chatId: number, topic: string, limit: number) => {
    if (exists.get(chatId, topic)) return "exists" as const;
    if ((count.get(chatId)?.n ?? 0) >= limit) return "limit" as const;
    insert.run(chatId, topic, clock.now());
    return "added" as const;
  });

  return {
    async follow(chatId, topic, limit) {
      return follow(chatId, topic, limit);
    },
    async unfollow(chatId, topic) {
      return remove.run(chatId, topic).changes > 0;
    },
    async unfollowAll(chatId) {
      return removeAll.run(chatId).changes;
    },
    async list(chatId) {
      return list.all(chatId).map((row) => row.topic);
    },
    async distinctTopics() {
      return distinct.all().map((row) => row.topic);
    },
    async followersOf(topics) {
      const first = new Map<number, string>();
      for (let i = 0; i < topics.length; i += CHUNK) {
        const chunk = topics.slice(i, i + CHUNK);
        const rows = db
          .prepare(
            `SELECT s.chat_id AS chatId, s.topic AS topic FROM subscriptions s JOIN chats c ON c.id = s.chat_id
             WHERE s.topic IN (${chunk.map(() => "?").join(",")}) AND c.kind = 'private' AND c.blocked_at IS NULL`,
          )
          .all(...chunk) as { chatId: number; topic: string }[];
        // One alert per follower: the topic that ranks first in the caller's list wins.
        const rank = new Map(topics.map((topic, index) => [topic, index]));
        for (const row of rows) {
          const current = first.get(row.chatId);
          if (current === undefined || (rank.get(row.topic) ?? 0) < (rank.get(current) ?? 0)) first.set(row.chatId, row.topic);
        }
      }
      return [...first].map(([chatId, topic]) => ({ chatId, topic }));
    },
    async popular(limit) {
      return popular.all(limit);
    },
  };
}
