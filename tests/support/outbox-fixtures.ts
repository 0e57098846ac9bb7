import Database from "better-sqlite3";
import type { FakeTelegram } from "../../src/sandbox/fake-telegram/index.js";
import type { DeliveryCounts, DeliveryState, OutboxKind, OutboxMessage, OutboxStore, Store } from "../../src/store/index.js";

/**
 * Helpers for delivery-engine tests: readers in the store and on the fake server, alerts in the outbox,
 * and the arithmetic of what arrived (lost, duplicated).
 */

/** Private chat ids start here: far from the ids other fixtures use. */
export const FIRST_READER = 700_001;

/** `count` private chats that started the bot, in the store and (when given) on the fake Telegram server. */
export async function addReaders(store: Store, fake: FakeTelegram | undefined, count: number, first = FIRST_READER): Promise<number[]> {
  const ids = Array.from({ length: count }, (_, i) => first + i);
  for (const id of ids) {
    await store.chats.recordStart({ id, kind: "private", title: undefined, username: `reader${id}` });
    fake?.addChat({ id, type: "private", firstName: `Reader ${id}` });
  }
  return ids;
}

/** A stored news article (outbox rows reference articles); returns its id. */
export async function addArticle(store: Store, n: number): Promise<number> {
  const key = `outbox-fixture-${n}-${Math.random().toString(36).slice(2)}`;
  const [outcome] = await store.articles.save(
    [
      {
        article: {
          dedupKey: key,
          headline: `Harbour reopens, part ${n}`,
          summary: `The harbour reopened (${n}).`,
          body: `The harbour reopened on Monday (${n}).`,
          source: "news.example",
          publishedAt: new Date(),
          tags: ["harbour"],
        },
        keys: [key],
        headlineKey: key,
        isNews: false,
      },
    ],
    { now: new Date() },
  );
  if (!outcome) throw new Error("articles.save returned nothing");
  return outcome.articleId;
}

/** The text an alert to `chatId` carries: simple valid HTML, unique per chat and article. */
export function alertHtml(chatId: number | string, articleId?: number): string {
  return `<b>Harbour</b> reopens: alert for ${chatId}${articleId === undefined ? "" : ` (article ${articleId})`}`;
}

/** What the fake records as the message's plain text for alertHtml(...). */
export function alertPlain(chatId: number | string, articleId?: number): string {
  return alertHtml(chatId, articleId).replace(/<\/?b>/g, "");
}

export function message(
  kind: OutboxKind,
  chatId: number | string,
  options: { articleId?: number | undefined; text?: string } = {},
): OutboxMessage {
  return {
    kind,
    chatId: String(chatId),
    articleId: options.articleId,
    topic: kind === "alert" ? "harbour" : undefined,
    payload: { text: options.text ?? alertHtml(chatId, options.articleId) },
  };
}

/** One alert per chat via store.outbox.enqueue, due at `at` (the engine's clock); returns the rows added. */
export async function enqueueAlerts(store: Store, chatIds: readonly number[], at: Date, articleId?: number): Promise<number> {
  return store.outbox.enqueue(
    chatIds.map((id) => message("alert", id, { articleId })),
    at,
  );
}

/** What better-sqlite3 throws when another connection holds the lock past busy_timeout. */
export const busyError = (): Error => new Database.SqliteError("database is locked", "SQLITE_BUSY");

/** What better-sqlite3 throws for a damaged file: waiting will not mend it. */
export const corruptError = (): Error => new Database.SqliteError("database disk image is malformed", "SQLITE_CORRUPT");

export interface MethodFault {
  /** Calls of the method so far, the failed ones included. */
  readonly calls: number;
  /** Calls that threw. */
  readonly thrown: number;
}

/**
 * Fault injection on a real store: outbox[method] throws `error()` on `times` calls after the first `skip`,
 * and works as before otherwise.
 */
export function failOutbox<K extends keyof OutboxStore>(
  outbox: OutboxStore,
  method: K,
  error: () => Error,
  { skip = 0, times = Infinity }: { skip?: number; times?: number } = {},
): MethodFault {
  const original = outbox[method].bind(outbox) as (...args: unknown[]) => Promise<unknown>;
  const fault = { calls: 0, thrown: 0 };
  const wrapped = async (...args: unknown[]): Promise<unknown> => {
    fault.calls++;
    if (fault.calls > skip && fault.thrown < times) {
      fault.thrown++;
      throw error();
    }
    return original(...args);
  };
  outbox[method] = wrapped as OutboxStore[K];
  return fault;
}

/** sendMessage deliveries per chat, as the fake Telegram server recorded them. */
export function deliveriesByChat(fake: FakeTelegram): Map<number, number> {
  const counts = new Map<number, number>();
  for (const sent of fake.sent()) {
    if (sent.method !== "sendMessage") continue;
    counts.set(sent.chatId, (counts.get(sent.chatId) ?? 0) + 1);
  }
  return counts;
}

export interface DeliveryTally {
  /** Messages the fake received for these chats. */
  delivered: number;
  /** Chats that got nothing. */
  lost: number;
  /** Messages beyond the first per chat. */
  duplicates: number;
  /** Chats that got more than one message. */
  duplicatedChats: number[];
  /** Messages to chats outside the list. */
  strays: number;
}

/** Lost and duplicated messages for a broadcast of one message per chat. */
export function tally(fake: FakeTelegram, chatIds: readonly number[]): DeliveryTally {
  const byChat = deliveriesByChat(fake);
  const wanted = new Set(chatIds);
  const result: DeliveryTally = { delivered: 0, lost: 0, duplicates: 0, duplicatedChats: [], strays: 0 };
  for (const id of chatIds) {
    const n = byChat.get(id) ?? 0;
    result.delivered += n;
    if (n === 0) result.lost++;
    if (n > 1) {
      result.duplicates += n - 1;
      result.duplicatedChats.push(id);
    }
  }
  for (const [id, n] of byChat) if (!wanted.has(id)) result.strays += n;
  return result;
}

export interface OutboxRowState {
  id: number;
  kind: OutboxKind;
  chatId: string;
  articleId: number | null;
  state: DeliveryState;
  attempts: number;
  lastError: string | null;
  messageId: number | null;
}

/**
 * Every outbox row, read straight from the SQLite file on a connection of its own (only SELECTs): the
 * store API has no per-row read, and tests need each row's state. Not opened read-only: after a kill -9
 * the WAL may need recovery, which a read-only connection cannot do.
 */
export function readOutbox(dbPath: string): OutboxRowState[] {
  const db = new Database(dbPath, { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  try {
    return db
      .prepare<[], OutboxRowState>(
        `SELECT id, kind, chat_id AS chatId, article_id AS articleId, state, attempts, last_error AS lastError, message_id AS messageId
         FROM outbox ORDER BY id`,
      )
      .all();
  } finally {
    db.close();
  }
}

/** Row counts by state, read from the file (works while another process holds the database). */
export function outboxCounts(dbPath: string): DeliveryCounts {
  const counts: DeliveryCounts = { pending: 0, sending: 0, sent: 0, failed: 0, blocked: 0, cancelled: 0 };
  for (const row of readOutbox(dbPath)) counts[row.state]++;
  return counts;
}

/** Polls until `check` is true; the error says what was awaited and, if given, the state at the end. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  describe?: () => unknown,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const state = describe ? ` (state: ${JSON.stringify(await describe())})` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${state}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
