import { GrammyError, type Api } from "grammy";
import type { Logger } from "../logger.js";
import type { OutboxRow, Store } from "../store/index.js";
import { ChatSpacing, TokenBucket, backoffMs } from "./pacing.js";
import { classifySendError, describeError } from "./telegram-errors.js";

export interface EngineSettings {
  /** Messages per second in total (BROADCAST_RATE). */
  rate: number;
  /** Requests in flight at once: the rate then does not depend on round-trip time. Also the bound on duplicates after a crash. */
  concurrency: number;
  /** Tries for a message that meets 5xx or network errors before it fails. */
  maxAttempts: number;
  /** Send with allow_paid_broadcast (PAID_BROADCAST). */
  paidBroadcast: boolean;
}

export interface EngineProgress {
  sent: number;
  failed: number;
  blocked: number;
  tooManyRequests: number;
  inFlight: number;
  /** Messages per second over the last few seconds. */
  rate: number;
}

export interface DeliveryEngine {
  /** Recovers rows a crash left in flight, then sends until stopped. */
  start(): Promise<void>;
  /** New rows were queued: look again now (a higher priority may have arrived). */
  notify(): void;
  /** Resolves when nothing is due and nothing is in flight. */
  idle(): Promise<void>;
  /** Stops taking rows, lets in-flight sends finish; pending rows stay pending. */
  stop(): Promise<void>;
  progress(): EngineProgress;
}

const WINDOW = 256; // rows looked at per read of the outbox
const IDLE_POLL_MS = 1_000;
const RATE_WINDOW_MS = 5_000;

/**
 * The delivery engine: every message leaves through the outbox, at most `rate` per second, K in
 * flight, one per second per private chat and twenty a minute per group or channel, best priority
 * first. A 429 pauses all sending for retry_after and puts the message back; a blocked chat is marked
 * and never tried again; a bad request fails for good; 5xx and network errors back off and retry.
 */
export function createDeliveryEngine(deps: { api: Api; store: Store; logger: Logger; settings: EngineSettings }): DeliveryEngine {
  const { api, store, logger, settings } = deps;
  const bucket = new TokenBucket(settings.rate);
  const spacing = new ChatSpacing();
  const inFlight = new Map<number, Promise<void>>();
  const recentSends: number[] = [];
  const counts = { sent: 0, failed: 0, blocked: 0, tooManyRequests: 0 };
  let buffer: OutboxRow[] = [];
  let pausedUntil = 0;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: () => void = () => undefined;
  const idleWaiters: (() => void)[] = [];

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      wake = done;
    });

  async function send(row: OutboxRow): Promise<void> {
    try {
      const message = await api.sendMessage(toChatId(row.chatId), row.payload.text, {
        parse_mode: "HTML",
        link_preview_options: row.payload.linkPreviewUrl ? { url: row.payload.linkPreviewUrl } : { is_disabled: true },
        ...(settings.paidBroadcast ? { allow_paid_broadcast: true } : {}),
      });
      await store.outbox.markSent(row.id, message.message_id, new Date());
      counts.sent++;
      recentSends.push(Date.now());
      if (recentSends.length > 20_000) recentSends.splice(0, 10_000);
    } catch (error) {
      await handleFailure(row, error);
    }
  }

  async function handleFailure(row: OutboxRow, error: unknown): Promise<void> {
    const reason = describeError(error);
    if (error instanceof GrammyError && error.error_code === 429) {
      // Everyone waits: Telegram counts the bot, not the chat.
      const retryAfter = (error.parameters.retry_after ?? 1) * 1000;
      pausedUntil = Math.max(pausedUntil, Date.now() + retryAfter);
      counts.tooManyRequests++;
      await store.outbox.retryAt(row.id, new Date(pausedUntil), reason, false);
      buffer = [];
      return;
    }
    const failure = classifySendError(error);
    if (failure === "unreachable") {
      counts.blocked++;
      if (row.kind === "post")
        logger.error(
          { channel: row.chatId, error: reason },
          "cannot post to the channel: check CHANNEL_ID and that the bot is an admin there",
        );
      await store.outbox.markChatBlocked(row.chatId, reason);
      if (/^-?\d+$/.test(row.chatId)) await store.chats.markBlocked(Number(row.chatId));
      buffer = buffer.filter((other) => other.chatId !== row.chatId);
    } else if (failure === "rejected" || row.attempts + 1 >= settings.maxAttempts) {
      counts.failed++;
      await store.outbox.markFailed(row.id, reason);
      logger.error(
        { outboxId: row.id, kind: row.kind, chatId: row.chatId, articleId: row.articleId, error: reason, attempts: row.attempts + 1 },
        "message failed for good",
      );
    } else {
      await store.outbox.retryAt(row.id, new Date(Date.now() + backoffMs(row.attempts + 1)), reason, true);
    }
  }

  /** The best row whose chat may be written to now; undefined when none is. */
  function pick(now: number): OutboxRow | undefined {
    const index = buffer.findIndex((row) => !inFlight.has(row.id) && spacing.readyAt(row.chatId) <= now);
    if (index === -1) return undefined;
    return buffer.splice(index, 1)[0];
  }

  /** Nothing can be sent right now: wait for whichever comes first of the reasons that could change that. */
  async function waitForWork(now: number): Promise<void> {
    if (buffer.length > 0) {
      // Rows held back by chat spacing: wait for the first chat to be free, then read the outbox again.
      const soonest = Math.min(...buffer.map((row) => spacing.readyAt(row.chatId)));
      buffer = [];
      await sleep(Math.min(IDLE_POLL_MS, Math.max(5, soonest - now)));
    } else if (inFlight.size > 0) {
      // A send that finishes may put its row back (5xx) or free the last slot.
      await Promise.race([...inFlight.values(), sleep(IDLE_POLL_MS)]);
    } else {
      for (const resolve of idleWaiters.splice(0)) resolve();
      const next = await store.outbox.nextDueAt();
      await sleep(next ? Math.min(IDLE_POLL_MS, Math.max(5, next.getTime() - now)) : IDLE_POLL_MS);
    }
  }

  async function run(): Promise<void> {
    while (running) {
      const now = Date.now();
      if (pausedUntil > now) {
        await sleep(pausedUntil - now);
        continue;
      }
      if (inFlight.size >= settings.concurrency) {
        await Promise.race(inFlight.values());
        continue;
      }
      if (buffer.length === 0) buffer = (await store.outbox.ready(new Date(now), WINDOW)).filter((row) => !inFlight.has(row.id));
      const row = pick(now);
      if (!row) {
        await waitForWork(now);
        continue;
      }
      const waitMs = bucket.take();
      if (waitMs > 0) {
        buffer.unshift(row);
        await sleep(waitMs);
        continue;
      }
      if (!(await store.outbox.claim(row.id))) continue;
      spacing.reserve(row.chatId, now);
      const sending = send(row)
        // A store failure while recording the outcome must not stop the engine; the row stays 'sending' and is recovered at restart.
        .catch((error: unknown) => logger.error({ err: error, outboxId: row.id }, "could not record a delivery"))
        .finally(() => {
          inFlight.delete(row.id);
          // Telegram counts the spacing from when the message reached it, which is before the answer came
          // back but may be well after `now`: count it again from the answer.
          spacing.reserve(row.chatId, Date.now());
        });
      inFlight.set(row.id, sending);
    }
  }

  return {
    async start() {
      if (running) return;
      const recovered = await store.outbox.recoverInterrupted();
      if (recovered.requeued + recovered.abandoned > 0) logger.warn(recovered, "recovered messages a stop left in flight");
      running = true;
      loop = run().catch((error: unknown) => {
        logger.fatal({ err: error }, "delivery engine stopped");
        running = false;
      });
    },
    notify() {
      buffer = [];
      wake();
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        wake();
      });
    },
    async stop() {
      running = false;
      wake();
      await loop;
      await Promise.allSettled([...inFlight.values()]);
      for (const resolve of idleWaiters.splice(0)) resolve();
    },
    progress() {
      const since = Date.now() - RATE_WINDOW_MS;
      while (recentSends.length > 0 && (recentSends[0] ?? 0) < since) recentSends.shift();
      return { ...counts, inFlight: inFlight.size, rate: recentSends.length / (RATE_WINDOW_MS / 1000) };
    },
  };
}

/** Numeric ids go to Telegram as numbers; a channel's @name as it is. */
function toChatId(chatId: string): number | string {
  return /^-?\d+$/.test(chatId) ? Number(chatId) : chatId;
}
