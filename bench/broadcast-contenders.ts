/**
 * The contenders of bench/broadcast.ts: ways of sending one message to every follower. Each runs in a
 * child process of its own (bench/support/broadcast-child.ts) against a fresh fake Telegram server, so
 * adding one is adding an entry to `contenders` below.
 */
import type { AutoRetryOptions } from "@grammyjs/auto-retry";
import type { Api } from "grammy";
import { createDeliveryEngine } from "../src/delivery/engine.js";
import { createLogger } from "../src/logger.js";
import { openStore } from "../src/store/index.js";
import { systemClock } from "../src/clock.js";

export interface BroadcastContext {
  /**
   * `new Api(token, { apiRoot })` on the fake server. `autoRetry: true` installs @grammyjs/auto-retry
   * with its defaults; an object passes options to it.
   */
  api(options?: { autoRetry?: boolean | Partial<AutoRetryOptions> }): Api;
  apiRoot: string;
  token: string;
  /** The followers: private chats, each to get exactly one message. */
  chatIds: readonly number[];
  /** The message for one chat (different per chat, so that the bench can check who got what). */
  text(chatId: number): string;
  /** BROADCAST_RATE: messages per second the sender may aim at (0.9 of the server's limit). */
  rate: number;
  /** Sends in flight at once, for contenders that take the setting (DELIVERY_CONCURRENCY). */
  concurrency: number;
  /** A fresh SQLite path in a temporary directory, for contenders that keep state. */
  dbPath: string;
  /**
   * The run's cap. `signal` aborts at `at` (Date.now() ms): pass it to API calls and stop. A contender
   * that ignores it is killed shortly after; the bench counts what was delivered at the cap either way.
   */
  deadline: { at: number; signal: AbortSignal };
  /** Report a send that failed for good (errors after the deadline are not counted). */
  failed(chatId: number, error: unknown): void;
}

export interface Contender {
  name: string;
  /** Optional, before the clock starts (loading code). Throw `Unavailable` to skip the contender. */
  prepare?(): Promise<void>;
  run(ctx: BroadcastContext): Promise<void>;
}

/** grammY's Node build types its signals with the abort-controller package; Node's AbortSignal works at run time. */
type ApiSignal = Parameters<Api["sendMessage"]>[3];

/** The contender cannot run here; the bench prints its message in the contender's row. */
export class Unavailable extends Error {
  override name = "Unavailable";
}

/** A breaking-news alert, numbered by chat so that a message sent to the wrong chat shows. */
export function alertText(chatId: number): string {
  return (
    `⚡ Central bank raises interest rates by half a point as inflation stays high\n\n` +
    `Markets steady after the decision; the next review is in March. /topic central bank\n` +
    `(alert for ${chatId})`
  );
}

// (a) What grammY's docs suggest for broadcasts: one message after the other, each awaited, with the
// auto-retry plugin to sit out 429s (defaults: retry any number of times, honour any retry_after).
const sequentialAutoRetry: Contender = {
  name: "(a) one at a time, awaited, auto-retry",
  async run(ctx) {
    const api = ctx.api({ autoRetry: true });
    const signal = ctx.deadline.signal as unknown as ApiSignal;
    for (const chatId of ctx.chatIds) {
      if (ctx.deadline.signal.aborted) return;
      try {
        await api.sendMessage(chatId, ctx.text(chatId), undefined, signal);
      } catch (error) {
        ctx.failed(chatId, error);
      }
    }
  },
};

// (b) Everything at once: one Promise.all over all followers, auto-retry (defaults) behind it. Each send
// catches its own error so that one failure does not end the run while the others are still going.
const promiseAllAutoRetry: Contender = {
  name: "(b) Promise.all, unthrottled, auto-retry",
  async run(ctx) {
    const api = ctx.api({ autoRetry: true });
    const signal = ctx.deadline.signal as unknown as ApiSignal;
    await Promise.all(
      ctx.chatIds.map(async (chatId) => {
        try {
          await api.sendMessage(chatId, ctx.text(chatId), undefined, signal);
        } catch (error) {
          ctx.failed(chatId, error);
        }
      }),
    );
  },
};

// ─── (c) the newsdesk delivery engine ─────────────────────────────────────────────────────────────────
// The real path: the followers' alerts are written to the outbox (inside the measured time, as in
// production), then the engine sends them and the run ends when it is idle.
const newsdeskEngine: Contender = {
  name: "(c) newsdesk engine",
  async run(ctx) {
    const store = openStore({ kind: "sqlite", path: ctx.dbPath }, systemClock);
    const logger = createLogger({ level: "silent", secrets: [] });
    let fatal: Error | undefined;
    const engine = createDeliveryEngine({
      api: ctx.api({ autoRetry: false }),
      store,
      logger,
      settings: { rate: ctx.rate, concurrency: ctx.concurrency, maxAttempts: 5, paidBroadcast: false },
      clock: systemClock,
      onFatal: (error) => (fatal = error),
    });
    try {
      await store.outbox.enqueue(
        ctx.chatIds.map((chatId) => ({ kind: "alert" as const, chatId: String(chatId), payload: { text: ctx.text(chatId) } })),
        new Date(),
      );
      await engine.start();
      await engine.idle();
      if (fatal) throw fatal;
    } finally {
      await engine.stop();
      await store.close();
    }
  },
};

/** In table order. */
export const contenders: Contender[] = [sequentialAutoRetry, promiseAllAutoRetry, newsdeskEngine];

export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0]?.slice(0, 200) ?? "";
}
