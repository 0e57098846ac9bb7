import type Database from "better-sqlite3";
import {
  OUTBOX_PRIORITY,
  type DeliveryCounts,
  type DeliveryState,
  type OutboxKind,
  type OutboxMessage,
  type OutboxPayload,
  type OutboxRow,
  type OutboxStore,
} from "../types.js";
import { articleEditor } from "./articles.js";

interface Row {
  id: number;
  kind: OutboxRow["kind"];
  priority: number;
  article_id: number | null;
  chat_id: string;
  topic: string | null;
  payload: string;
  attempts: number;
  target_id: number | null;
  target_state: DeliveryState | null;
  target_message_id: number | null;
  target_error: string | null;
}

/** Why recoverInterrupted fails a channel post left in flight: nobody knows whether it reached the channel. */
const INTERRUPTED = "interrupted while sending: it may or may not have been posted";
/** Why a row not sent is cancelled (a correction also at its claim, when it was retried): a newer correction, a retraction. */
const SUPERSEDED = "superseded by a newer correction";
const RETRACTED = "the article was retracted";

/** The kinds of message a correction edits and a retraction deletes: an article's first messages. */
const REVISABLE = "('post', 'push', 'alert')";
/** The note on a sent retraction row whose message was edited into the notice: what the editor's report counts. */
const REPLACED_BY_NOTICE = "replaced by the retraction notice";

const toRow = (row: Row): OutboxRow => ({
  id: row.id,
  kind: row.kind,
  priority: row.priority,
  chatId: row.chat_id,
  articleId: row.article_id ?? undefined,
  topic: row.topic ?? undefined,
  payload: JSON.parse(row.payload) as OutboxRow["payload"],
  attempts: row.attempts,
  ...(row.target_id === null
    ? {}
    : {
        target: {
          id: row.target_id,
          state: row.target_state ?? "cancelled",
          messageId: row.target_message_id ?? undefined,
          interrupted: row.target_error === INTERRUPTED,
        },
      }),
});

const emptyCounts = (): DeliveryCounts => ({ pending: 0, sending: 0, sent: 0, failed: 0, blocked: 0, cancelled: 0 });

export function sqliteOutbox(db: Database.Database): OutboxStore {
  const insert = db.prepare(`
    INSERT OR IGNORE INTO outbox (kind, priority, article_id, chat_id, topic, payload, state, next_attempt_at, created_at,
                                  target_id, revision)
    VALUES (@kind, @priority, @articleId, @chatId, @topic, @payload, 'pending', @at, @at, @targetId, @revision)`);
  const released = db.prepare<[number, number]>(
    "UPDATE articles SET released_at = ? WHERE id = ? AND released_at IS NULL AND retracted_at IS NULL",
  );
  // Rows (o) with their target (t) as it stands.
  const rowsWithTarget = `o.id, o.kind, o.priority, o.article_id, o.chat_id, o.topic, o.payload, o.attempts, o.target_id,
                          t.state AS target_state, t.message_id AS target_message_id, t.last_error AS target_error
                          FROM outbox o LEFT JOIN outbox t ON t.id = o.target_id`;
  // In priority order, each row whose chat has no better due row: the scan stops after `limit` chats.
  const ready = db.prepare<{ now: number; limit: number }, Row>(`
    SELECT ${rowsWithTarget}
    WHERE o.state = 'pending' AND o.next_attempt_at <= @now
      AND NOT EXISTS (
        SELECT 1 FROM outbox better
        WHERE better.chat_id = o.chat_id AND better.state = 'pending' AND better.next_attempt_at <= @now
          AND (better.priority, better.next_attempt_at, better.id) < (o.priority, o.next_attempt_at, o.id))
    ORDER BY o.priority, o.next_attempt_at, o.id LIMIT @limit`);
  const claimOne = db.prepare<[number]>("UPDATE outbox SET state = 'sending' WHERE id = ? AND state = 'pending'");
  const claimed = db.prepare<[number], Row>(`SELECT ${rowsWithTarget} WHERE o.id = ?`);
  // A correction that a newer correction or a retraction of the same message has overtaken (a retried one): its edit
  // would undo theirs.
  const overtaken = db.prepare<[number], { kind: OutboxKind }>(`
    SELECT later.kind FROM outbox o JOIN outbox later ON later.target_id = o.target_id AND later.revision > o.revision
    WHERE o.id = ? AND o.kind = 'correction' ORDER BY later.kind = 'retraction' DESC LIMIT 1`);
  const dropClaimed = db.prepare<[string, number]>("UPDATE outbox SET state = 'cancelled', last_error = ? WHERE id = ?");
  // last_error holds, for a sent row, how it went when that is worth telling: a message edited into the notice.
  const sent = db.prepare<[number, number, string | null, number]>(
    "UPDATE outbox SET state = 'sent', message_id = ?, sent_at = ?, last_error = ? WHERE id = ?",
  );
  const replacedRows = db.prepare<[number, number, string], { n: number }>(
    "SELECT COUNT(*) AS n FROM outbox WHERE article_id = ? AND revision = ? AND state = 'sent' AND last_error = ?",
  );
  // Only a row still in flight goes back: one that markChatBlocked blocked meanwhile stays blocked.
  const retry = db.prepare<[number, string, number, number]>(
    "UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ?, attempts = attempts + ? WHERE id = ? AND state = 'sending'",
  );
  const failed = db.prepare<[string, number]>("UPDATE outbox SET state = 'failed', last_error = ?, attempts = attempts + 1 WHERE id = ?");
  const cancelled = db.prepare<[string, number]>(
    "UPDATE outbox SET state = 'cancelled', last_error = ? WHERE id = ? AND state = 'sending'",
  );
  const blocked = db.prepare<[string, string]>(
    "UPDATE outbox SET state = 'blocked', last_error = ? WHERE chat_id = ? AND state IN ('pending', 'sending')",
  );
  const requeue = db.prepare("UPDATE outbox SET state = 'pending' WHERE state = 'sending' AND kind NOT IN ('post', 'push')");
  const abandon = db.prepare(
    `UPDATE outbox SET state = 'failed', last_error = '${INTERRUPTED}' WHERE state = 'sending' AND kind IN ('post', 'push')`,
  );
  const countsFor = db.prepare<[number], { state: keyof DeliveryCounts; n: number }>(
    "SELECT state, COUNT(*) AS n FROM outbox WHERE article_id = ? GROUP BY state",
  );
  const countsForRevision = db.prepare<[number, number], { state: keyof DeliveryCounts; n: number }>(
    "SELECT state, COUNT(*) AS n FROM outbox WHERE article_id = ? AND revision = ? GROUP BY state",
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
          targetId: null,
          revision: 0,
        }).changes,
      0,
    );
  const release = db.transaction((articleId: number, messages: readonly OutboxMessage[], at: number) => {
    if (released.run(at, articleId).changes === 0) return false;
    add(messages, at);
    return true;
  });
  const enqueue = db.transaction(add);
  const claim = db.transaction((id: number): OutboxRow | undefined => {
    if (claimOne.run(id).changes === 0) return undefined;
    const later = overtaken.get(id);
    if (later) {
      dropClaimed.run(later.kind === "retraction" ? RETRACTED : SUPERSEDED, id);
      return undefined;
    }
    const row = claimed.get(id);
    return row && toRow(row);
  });
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

  const revisions = sqliteRevisions(db, insert);

  return {
    ...revisions,
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
      return claim(id);
    },
    async markSent(id, messageId, at, replacedByNotice = false) {
      sent.run(messageId, at.getTime(), replacedByNotice ? REPLACED_BY_NOTICE : null, id);
    },
    async retryAt(id, at, error, attempt) {
      retry.run(at.getTime(), error.slice(0, 1000), attempt ? 1 : 0, id);
    },
    async markFailed(id, error) {
      failed.run(error.slice(0, 1000), id);
    },
    async markCancelled(id, reason) {
      cancelled.run(reason.slice(0, 1000), id);
    },
    async markChatBlocked(chatId, error) {
      return blocked.run(error.slice(0, 1000), chatId).changes;
    },
    async recoverInterrupted() {
      return db.transaction(() => ({ requeued: requeue.run().changes, abandoned: abandon.run().changes }))();
    },
    async counts(articleId, revision) {
      if (articleId === undefined) return tally(countsAll.all());
      return tally(revision === undefined ? countsFor.all(articleId) : countsForRevision.all(articleId, revision));
    },
    async replacedByNotice(articleId, revision) {
      return replacedRows.get(articleId, revision, REPLACED_BY_NOTICE)?.n ?? 0;
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

interface Target {
  id: number;
  kind: OutboxKind;
  chat_id: string;
  topic: string | null;
}

/** correct, retract and revisable: an article's messages after it was released. */
function sqliteRevisions(db: Database.Database, insert: Database.Statement): Pick<OutboxStore, "correct" | "retract" | "revisable"> {
  const live = db.prepare<[number], { id: number }>("SELECT id FROM articles WHERE id = ? AND retracted_at IS NULL");
  const edit = articleEditor(db);
  const retracted = db.prepare<[number, number]>(
    "UPDATE articles SET retracted_at = ?, queued_at = CASE WHEN released_at IS NULL THEN NULL ELSE queued_at END WHERE id = ?",
  );
  const nextRevision = db.prepare<[number], { n: number }>("SELECT COALESCE(MAX(revision), 0) + 1 AS n FROM outbox WHERE article_id = ?");
  const unsent = db.prepare<[number], Target & { payload: string }>(
    `SELECT id, kind, chat_id, topic, payload FROM outbox WHERE article_id = ? AND kind IN ${REVISABLE} AND state = 'pending'`,
  );
  const setPayload = db.prepare<[string, number]>("UPDATE outbox SET payload = ? WHERE id = ? AND state = 'pending'");
  const targets = db.prepare<[number], Target>(
    `SELECT id, kind, chat_id, topic FROM outbox WHERE article_id = ? AND kind IN ${REVISABLE} AND state IN ('sent', 'sending') ORDER BY id`,
  );
  const supersede = db.prepare<[number]>(
    `UPDATE outbox SET state = 'cancelled', last_error = '${SUPERSEDED}' WHERE target_id = ? AND kind = 'correction' AND state = 'pending'`,
  );
  const cancelUnsent = db.prepare<[number]>(
    `UPDATE outbox SET state = 'cancelled', last_error = '${RETRACTED}' WHERE article_id = ? AND state = 'pending'`,
  );
  // Channel posts a crash cut short: they may be in the channel, under a message id nobody knows, so nothing reaches them.
  const unconfirmed = db.prepare<[number], { n: number }>(
    `SELECT COUNT(*) AS n FROM outbox WHERE article_id = ? AND kind IN ('post', 'push') AND state = 'failed' AND last_error = '${INTERRUPTED}'`,
  );
  const revisable = db.prepare<[number], { sent: number | null; pending: number | null }>(`
    SELECT SUM(state IN ('sent', 'sending')) AS sent, SUM(state = 'pending') AS pending
    FROM outbox WHERE article_id = ? AND kind IN ${REVISABLE}`);

  const addRevision = (
    kind: "correction" | "retraction",
    articleId: number,
    target: Target,
    payload: OutboxPayload,
    revision: number,
    at: number,
  ) =>
    insert.run({
      kind,
      priority: OUTBOX_PRIORITY[kind],
      articleId,
      chatId: target.chat_id,
      topic: target.topic,
      payload: JSON.stringify(payload),
      at,
      targetId: target.id,
      revision,
    }).changes;

  const correct = db.transaction(
    (
      articleId: number,
      fields: { headline?: string | undefined; summary?: string | undefined },
      render: (message: { kind: OutboxKind; topic: string | undefined; sent: boolean }) => OutboxPayload,
      at: number,
    ) => {
      if (!live.get(articleId)) return undefined;
      edit(articleId, fields);
      const revision = nextRevision.get(articleId)?.n ?? 1;
      let updated = 0;
      for (const row of unsent.all(articleId)) {
        const old = JSON.parse(row.payload) as OutboxPayload;
        const fresh = render({ kind: row.kind, topic: row.topic ?? undefined, sent: false });
        updated += setPayload.run(JSON.stringify({ ...old, text: fresh.text, linkPreviewUrl: fresh.linkPreviewUrl }), row.id).changes;
      }
      let queued = 0;
      let cancelled = 0;
      for (const target of targets.all(articleId)) {
        cancelled += supersede.run(target.id).changes;
        queued += addRevision(
          "correction",
          articleId,
          target,
          render({ kind: target.kind, topic: target.topic ?? undefined, sent: true }),
          revision,
          at,
        );
      }
      return { revision, queued, updated, cancelled, unconfirmed: unconfirmed.get(articleId)?.n ?? 0 };
    },
  );
  const retract = db.transaction((articleId: number, notice: OutboxPayload, at: number) => {
    if (!live.get(articleId)) return undefined;
    retracted.run(at, articleId);
    const revision = nextRevision.get(articleId)?.n ?? 1;
    const cancelled = cancelUnsent.run(articleId).changes;
    let queued = 0;
    for (const target of targets.all(articleId)) queued += addRevision("retraction", articleId, target, notice, revision, at);
    return { revision, queued, updated: 0, cancelled, unconfirmed: unconfirmed.get(articleId)?.n ?? 0 };
  });

  return {
    async correct(articleId, fields, render, at) {
      return correct(articleId, fields, render, at.getTime());
    },
    async retract(articleId, notice, at) {
      return retract(articleId, notice, at.getTime());
    },
    async revisable(articleId) {
      const row = revisable.get(articleId);
      return { sent: row?.sent ?? 0, pending: row?.pending ?? 0 };
    },
  };
}
