import type Database from "better-sqlite3";
import { OUTBOX_PRIORITY, type DeliveryCounts, type OutboxMessage, type OutboxRow, type OutboxStore } from "../types.js";

interface Row {
  id: number;
  kind: OutboxRow["kind"];
  priority: number;
  article_id: number | null;
  chat_id: string;
  topic: string | null;
  payload: string;
  attempts: number;
}

const toRow = (row: Row): OutboxRow => ({
  id: row.id,
  kind: row.kind,
  priority: row.priority,
  chatId: row.chat_id,
  articleId: row.article_id ?? undefined,
  topic: row.topic ?? undefined,
  payload: JSON.parse(row.payload) as OutboxRow["payload"],
  attempts: row.attempts,
});

const emptyCounts = (): DeliveryCounts => ({ pending: 0, sending: 0, sent: 0, failed: 0, blocked: 0 });

export function sqliteOutbox(db: Database.Database): OutboxStore {
  const insert = db.prepare(`
    INSERT OR IGNORE INTO outbox (kind, priority, article_id, chat_id, topic, payload, state, next_attempt_at, created_at)
    VALUES (@kind, @priority, @articleId, @chatId, @topic, @payload, 'pending', @at, @at)`);
  const released = db.prepare<[number, number]>("UPDATE articles SET released_at = ? WHERE id = ? AND released_at IS NULL");
  // In priority order, each row whose chat has no better due row: the scan stops after `limit` chats.
  const ready = db.prepare<{ now: number; limit: number }, Row>(`
    SELECT id, kind, priority, article_id, chat_id, topic, payload, attempts FROM outbox o
    WHERE state = 'pending' AND next_attempt_at <= @now
      AND NOT EXISTS (
        SELECT 1 FROM outbox better
        WHERE better.chat_id = o.chat_id AND better.state = 'pending' AND better.next_attempt_at <= @now
          AND (better.priority, better.next_attempt_at, better.id) < (o.priority, o.next_attempt_at, o.id))
    ORDER BY priority, next_attempt_at, id LIMIT @limit`);
  const claim = db.prepare<[number]>("UPDATE outbox SET state = 'sending' WHERE id = ? AND state = 'pending'");
  const sent = db.prepare<[number, number, number]>(
    "UPDATE outbox SET state = 'sent', message_id = ?, sent_at = ?, last_error = NULL WHERE id = ?",
  );
  // Only a row still in flight goes back: one that markChatBlocked blocked meanwhile stays blocked.
  const retry = db.prepare<[number, string, number, number]>(
    "UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ?, attempts = attempts + ? WHERE id = ? AND state = 'sending'",
  );
  const failed = db.prepare<[string, number]>("UPDATE outbox SET state = 'failed', last_error = ?, attempts = attempts + 1 WHERE id = ?");
  const blocked = db.prepare<[string, string]>(
    "UPDATE outbox SET state = 'blocked', last_error = ? WHERE chat_id = ? AND state IN ('pending', 'sending')",
  );
  const requeue = db.prepare("UPDATE outbox SET state = 'pending' WHERE state = 'sending' AND kind NOT IN ('post', 'push')");
  const abandon = db.prepare(
    "UPDATE outbox SET state = 'failed', last_error = 'interrupted while sending: it may or may not have been posted' WHERE state = 'sending' AND kind IN ('post', 'push')",
  );
  const countsFor = db.prepare<[number], { state: keyof DeliveryCounts; n: number }>(
    "SELECT state, COUNT(*) AS n FROM outbox WHERE article_id = ? GROUP BY state",
  );
  const countsAll = db.prepare<[], { state: keyof DeliveryCounts; n: number }>("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state");
  const recent = db.prepare<[number], { article_id: number; headline: string }>(`
    SELECT o.article_id, a.headline FROM outbox o JOIN articles a ON a.id = o.article_id
    GROUP BY o.article_id ORDER BY MAX(o.id) DESC LIMIT ?`);
  const channelMessage = db.prepare<[number], { message_id: number | null }>(
    "SELECT message_id FROM outbox WHERE article_id = ? AND kind IN ('post', 'push') AND state = 'sent'",
  );
  const nextDue = db.prepare<[], { at: number | null }>("SELECT MIN(next_attempt_at) AS at FROM outbox WHERE state = 'pending'");

  const add = (messages: readonly OutboxMessage[], at: number) =>
    messages.reduce(
      (added, m) =>
        added +
        insert.run({
          kind: m.kind,
          priority: OUTBOX_PRIORITY[m.kind],
          articleId: m.articleId ?? null,
          chatId: m.chatId,
          topic: m.topic ?? null,
          payload: JSON.stringify(m.payload),
          at,
        }).changes,
      0,
    );
  const release = db.transaction((articleId: number, messages: readonly OutboxMessage[], at: number) => {
    if (released.run(at, articleId).changes === 0) return false;
    add(messages, at);
    return true;
  });
  const enqueue = db.transaction(add);
  // Ids grow with created_at: the rows since a time are an id range, found by walking back from the newest.
  const countsSince = db.prepare<[number], { state: keyof DeliveryCounts; n: number }>(`
    SELECT state, COUNT(*) AS n FROM outbox
    WHERE id > COALESCE((SELECT id FROM outbox WHERE created_at < ? ORDER BY id DESC LIMIT 1), 0) GROUP BY state`);
  const pending = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM outbox INDEXED BY outbox_ready WHERE state = 'pending'");
  const tally = (rows: { state: keyof DeliveryCounts; n: number }[]) => {
    const counts = emptyCounts();
    for (const row of rows) counts[row.state] = row.n;
    return counts;
  };

  return {
    async release(articleId, messages, at) {
      return release(articleId, messages, at.getTime());
    },
    async enqueue(messages, at) {
      return enqueue(messages, at.getTime());
    },
    async ready(now, limit) {
      return ready.all({ now: now.getTime(), limit }).map(toRow);
    },
    async claim(id) {
      return claim.run(id).changes === 1;
    },
    async markSent(id, messageId, at) {
      sent.run(messageId, at.getTime(), id);
    },
    async retryAt(id, at, error, attempt) {
      retry.run(at.getTime(), error.slice(0, 1000), attempt ? 1 : 0, id);
    },
    async markFailed(id, error) {
      failed.run(error.slice(0, 1000), id);
    },
    async markChatBlocked(chatId, error) {
      return blocked.run(error.slice(0, 1000), chatId).changes;
    },
    async recoverInterrupted() {
      return db.transaction(() => ({ requeued: requeue.run().changes, abandoned: abandon.run().changes }))();
    },
    async counts(articleId) {
      return tally(articleId === undefined ? countsAll.all() : countsFor.all(articleId));
    },
    async recentArticles(limit) {
      return recent
        .all(limit)
        .map((row) => ({ articleId: row.article_id, headline: row.headline, counts: tally(countsFor.all(row.article_id)) }));
    },
    async channelMessageId(articleId) {
      return channelMessage.get(articleId)?.message_id ?? undefined;
    },
    async nextDueAt() {
      const at = nextDue.get()?.at;
      return at === null || at === undefined ? undefined : new Date(at);
    },
    async countsSince(since) {
      return tally(countsSince.all(since.getTime()));
    },
    async pendingCount() {
      return pending.get()?.n ?? 0;
    },
  };
}
