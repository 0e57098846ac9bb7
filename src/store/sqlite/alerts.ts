import type Database from "better-sqlite3";
import type { AlertStore, PendingAlert } from "../types.js";

export function sqliteAlerts(db: Database.Database): AlertStore {
  const insert = db.prepare<[number, number, string, number]>(
    "INSERT OR IGNORE INTO alerts (article_id, chat_id, topic, state, queued_at) VALUES (?, ?, ?, 'pending', ?)",
  );
  const pending = db.prepare<[number], PendingAlert>(
    "SELECT article_id AS articleId, chat_id AS chatId, topic FROM alerts WHERE state = 'pending' ORDER BY queued_at, article_id, chat_id LIMIT ?",
  );
  const sent = db.prepare<[number, number, number, number]>(
    "UPDATE alerts SET state = 'sent', message_id = ?, sent_at = ? WHERE article_id = ? AND chat_id = ?",
  );
  const failed = db.prepare<[string, number, number]>("UPDATE alerts SET state = 'failed', error = ? WHERE article_id = ? AND chat_id = ?");
  const blocked = db.prepare<[number]>("UPDATE alerts SET state = 'blocked' WHERE chat_id = ? AND state = 'pending'");
  const counts = db.prepare<[number], { state: string; n: number }>("SELECT state, COUNT(*) AS n FROM alerts WHERE article_id = ? GROUP BY state");

  const enqueue = db.transaction((alerts: readonly PendingAlert[], at: number) =>
    alerts.reduce((added, a) => added + insert.run(a.articleId, a.chatId, a.topic, at).changes, 0),
  );

  return {
    async enqueue(alerts, at) {
      return enqueue(alerts, at.getTime());
    },
    async pending(limit) {
      return pending.all(limit);
    },
    async markSent(articleId, chatId, messageId, at) {
      sent.run(messageId, at.getTime(), articleId, chatId);
    },
    async markFailed(articleId, chatId, error) {
      failed.run(error.slice(0, 1000), articleId, chatId);
    },
    async markChatBlocked(chatId) {
      blocked.run(chatId);
    },
    async countsFor(articleId) {
      const result = { pending: 0, sent: 0, failed: 0, blocked: 0 };
      for (const row of counts.all(articleId)) result[row.state as keyof typeof result] = row.n;
      return result;
    },
  };
}
