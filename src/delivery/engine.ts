import { GrammyError, type Api } from "grammy";
import { raceSleep, type Clock } from "../clock.js";
import type { QuietHours } from "../config/index.js";
import type { Logger } from "../logger.js";
import { isTransientStoreError, type OutboxRow, type Store } from "../store/index.js";
import { backoffMs } from "../backoff.js";
import { callTelegram, type CallResult } from "./outbox-call.js";
import { ChatSpacing, numericChatId, SEND_RETRY } from "./pacing.js";
import { SendBudget } from "./send-budget.js";
import { isQuietTime } from "./quiet-hours.js";
import { StoreRetry } from "./store-retry.js";
import { classifySendError, describeError } from "../telegram-errors.js";

export interface EngineSettings {
  /** Messages per second in total (BROADCAST_RATE). */
  rate: number;
  /** Requests in flight at once: the rate then does not depend on round-trip time. Also the bound on duplicates after a crash. */
  concurrency: number;
  /** Tries for a message that meets 5xx or network errors before it fails. */
  maxAttempts: number;
  /** Send with allow_paid_broadcast (PAID_BROADCAST). */
  paidBroadcast: boolean;
  /** QUIET_HOURS in TIMEZONE: what is sent inside the window goes with disable_notification. Absent: none. */
  quiet?: { hours: QuietHours; timeZone: string } | undefined;
}

/** How one try to send ended, as the metrics count it (a 5xx or network error that will be retried is none of these). */
export type SendResult = "sent" | "failed" | "blocked" | "429";

export interface EngineDeps {
  api: Api;
  store: Store;
  logger: Logger;
  settings: EngineSettings;
  clock: Clock;
  /** The send budget shared with the bot's replies, which go first (startApp passes one). Absent: the engine's own, at settings.rate. */
  budget?: SendBudget;
  /**
   * The engine cannot go on (the store failed in a way waiting will not mend): it has stopped taking rows,
   * and calls this once. The caller says why and exits, so that a supervisor restarts the process.
   */
  onFatal: (error: Error) => void;
  /** Told of each send's result, once per try that ends as one of these (the app's metrics). */
  observe?: (kind: OutboxRow["kind"], result: SendResult) => void;
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
  /** Resolves when nothing is due and nothing is in flight, or when the engine died (see onFatal). */
  idle(): Promise<void>;
  /** Stops taking rows, lets in-flight sends finish; pending rows stay pending. */
  stop(): Promise<void>;
  progress(): EngineProgress;
  /** Started, and neither stopped nor dead (see onFatal): what /healthz reports. */
  isRunning(): boolean;
}

const WINDOW = 256; // rows looked at per read of the outbox: the best of each chat
const IDLE_POLL_MS = 1_000;
const RATE_WINDOW_MS = 5_000;
/** A correction or retraction whose message is not sent yet looks again this much later. */
const TARGET_WAIT_MS = 2_000;

/**
 * The delivery engine: every message leaves through the outbox, at most `rate` per second, K in
 * flight, one per second per private chat and twenty a minute per group or channel, best priority
 * first. A 429 pauses all sending (the bot's replies too: the budget is shared) for retry_after and puts the message
 * back; a blocked chat is marked and never tried again; a bad request fails for good; 5xx and network errors back off
 * and retry.
 * A busy store is waited out; a broken one stops the engine and is reported through onFatal.
 */
export function createDeliveryEngine(deps: EngineDeps): DeliveryEngine {
  const { api, store, logger, settings, clock, onFatal, observe } = deps;
  const budget = deps.budget ?? new SendBudget(settings.rate, clock);
  const spacing = new ChatSpacing(clock);
  const storeRetry = new StoreRetry(clock, logger);
  const inFlight = new Map<number, Promise<void>>();
  const recentSends: number[] = [];
  const counts = { sent: 0, failed: 0, blocked: 0, tooManyRequests: 0 };
  let buffer: OutboxRow[] = [];
  let running = false;
  let fatalError: Error | undefined;
  let loop: Promise<void> | undefined;
  let stopping = new AbortController();
  let nap = new AbortController();
  const idleWaiters: (() => void)[] = [];

  /** Waits on the clock, cut short by notify(), idle() and stop(), or when `orUntil` settles first. */
  async function rest(ms: number, orUntil?: Promise<unknown>): Promise<void> {
    nap = new AbortController();
    if (orUntil) await raceSleep(clock, ms, orUntil, nap.signal);
    else await clock.sleep(ms, nap.signal);
  }
  const wake = (): void => nap.abort();

  /** A store call of the loop: waited out while the store is busy, given up when the engine stops. */
  const fromLoop = <T>(during: string, call: () => Promise<T>): Promise<T> => storeRetry.run(during, call, stopping.signal);
  /** A send's outcome: retried until it is recorded, never dropped (dropping it could send the message twice). */
  const record = <T>(call: () => Promise<T>): Promise<T> => storeRetry.run("recording a delivery", call);

  function fail(error: unknown): void {
    if (fatalError) return;
    fatalError = error instanceof Error ? error : new Error(String(error));
    running = false;
    stopping.abort();
    wake();
    // Nothing will be sent any more: nobody should wait for the outbox to empty.
    for (const resolve of idleWaiters.splice(0)) resolve();
    onFatal(fatalError);
  }

  const isSilent = (row: OutboxRow): boolean => {
    const quiet = settings.quiet;
    return row.payload.silent ?? (quiet !== undefined && isQuietTime(clock.now(), quiet.hours, quiet.timeZone));
  };

  async function send(row: OutboxRow): Promise<void> {
    let result: CallResult;
    try {
      // A push's Silent toggle decides for itself; otherwise quiet hours decide at send time: a post released at
      // 22:55 that leaves behind a backlog at 23:10 is quiet.
      result = await callTelegram(api, row, { paidBroadcast: settings.paidBroadcast, silent: isSilent(row) });
    } catch (error) {
      await handleFailure(row, error);
      return;
    }
    await record(() => store.outbox.markSent(row.id, result.messageId, new Date(clock.now()), result.replacedByNotice === true));
    counts.sent++;
    observe?.(row.kind, "sent");
    recentSends.push(clock.now());
    if (recentSends.length > 20_000) recentSends.splice(0, 10_000);
  }

  async function handleFailure(row: OutboxRow, error: unknown): Promise<void> {
    const reason = describeError(error);
    if (error instanceof GrammyError && error.error_code === 429) {
      // Everyone waits, the bot's replies too: Telegram counts the bot, not the chat.
      budget.pauseUntil(clock.now() + (error.parameters.retry_after ?? 1) * 1000);
      counts.tooManyRequests++;
      observe?.(row.kind, "429");
      buffer = [];
      await record(() => store.outbox.retryAt(row.id, new Date(budget.resumesAt()), reason, false));
      return;
    }
    const failure = classifySendError(error);
    if (failure === "unreachable") {
      counts.blocked++;
      observe?.(row.kind, "blocked");
      if (row.kind === "post" || row.kind === "push")
        logger.error(
          { channel: row.chatId, error: reason },
          "cannot post to the channel: check CHANNEL_ID and that the bot is an admin there",
        );
      buffer = buffer.filter((other) => other.chatId !== row.chatId);
      await record(() => store.outbox.markChatBlocked(row.chatId, reason));
      const chatId = numericChatId(row.chatId);
      if (chatId !== undefined) await record(() => store.chats.markBlocked(chatId));
    } else if (failure === "rejected" || row.attempts + 1 >= settings.maxAttempts) {
      counts.failed++;
      observe?.(row.kind, "failed");
      await record(() => store.outbox.markFailed(row.id, reason));
      logger.error(
        { outboxId: row.id, kind: row.kind, chatId: row.chatId, articleId: row.articleId, error: reason, attempts: row.attempts + 1 },
        "message failed for good",
      );
    } else {
      const retryAt = new Date(clock.now() + backoffMs(row.attempts + 1, SEND_RETRY));
      await record(() => store.outbox.retryAt(row.id, retryAt, reason, true));
    }
  }

  /**
   * A correction or retraction whose message is not out: it waits for a message still on its way (not an attempt),
   * and is cancelled for one that will never be sent (failed, blocked, cancelled). False when the row may go now.
   */
  async function heldByTarget(row: OutboxRow, now: number): Promise<boolean> {
    const target = row.target;
    if (target === undefined || target.state === "sent") return false;
    if (!(await fromLoop("claiming a message", () => store.outbox.claim(row.id)))) return true;
    if (target.state === "pending" || target.state === "sending") {
      await record(() => store.outbox.retryAt(row.id, new Date(now + TARGET_WAIT_MS), "waiting for its message to be sent", false));
    } else if (target.interrupted) {
      await record(() => store.outbox.markCancelled(row.id, "its message was interrupted by a crash: it may be in the chat"));
      logger.warn(
        { outboxId: row.id, kind: row.kind, chatId: row.chatId, articleId: row.articleId },
        `a crash interrupted the message this ${row.kind} was for: it may be in the chat, unchanged; check it and ${
          row.kind === "retraction" ? "delete" : "edit"
        } it by hand`,
      );
    } else await record(() => store.outbox.markCancelled(row.id, `its message was never sent (${target.state})`));
    return true;
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
      await rest(Math.min(IDLE_POLL_MS, Math.max(5, soonest - now)));
    } else if (inFlight.size > 0) {
      // A send that finishes may put its row back (5xx) or free the last slot.
      await rest(IDLE_POLL_MS, Promise.race(inFlight.values()));
    } else {
      for (const resolve of idleWaiters.splice(0)) resolve();
      const next = await fromLoop("reading the outbox", () => store.outbox.nextDueAt());
      await rest(next ? Math.min(IDLE_POLL_MS, Math.max(5, next.getTime() - now)) : IDLE_POLL_MS);
    }
  }

  async function run(): Promise<void> {
    while (running) {
      const now = clock.now();
      // A 429, the engine's or a reply's, pauses the budget.
      if (budget.resumesAt() > now) {
        await rest(budget.resumesAt() - now);
        continue;
      }
      if (inFlight.size >= settings.concurrency) {
        await Promise.race(inFlight.values());
        continue;
      }
      if (buffer.length === 0) {
        const ready = await fromLoop("reading the outbox", () => store.outbox.ready(new Date(now), WINDOW));
        buffer = ready.filter((row) => !inFlight.has(row.id));
      }
      const row = pick(now);
      if (!row) {
        await waitForWork(now);
        continue;
      }
      if (await heldByTarget(row, now)) continue;
      const waitMs = budget.forEngine();
      if (waitMs > 0) {
        buffer.unshift(row);
        await rest(waitMs);
        continue;
      }
      // The row as it stands now, not as it was read: a correction may have rewritten its text while it waited here.
      const claimed = await fromLoop("claiming a message", () => store.outbox.claim(row.id));
      if (!claimed) continue;
      spacing.reserve(claimed.chatId);
      const sending = send(claimed)
        .catch(fail)
        .finally(() => {
          inFlight.delete(claimed.id);
          // Telegram counts the spacing from when the message reached it, which is before the answer came
          // back but may be well after the claim: count it again from the answer.
          spacing.reserve(claimed.chatId);
        });
      inFlight.set(claimed.id, sending);
    }
  }

  return {
    async start() {
      if (running) return;
      const recovered = await storeRetry.run("recovering messages left in flight", () => store.outbox.recoverInterrupted());
      if (recovered.requeued + recovered.abandoned > 0) logger.warn(recovered, "recovered messages a stop left in flight");
      running = true;
      stopping = new AbortController();
      loop = run().catch((error: unknown) => {
        // A stop during a busy spell ends the loop there: the unsent rows stay pending for the next start.
        if (stopping.signal.aborted && isTransientStoreError(error)) return;
        fail(error);
      });
    },
    notify() {
      buffer = [];
      wake();
    },
    idle() {
      if (fatalError) return Promise.resolve();
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        wake();
      });
    },
    async stop() {
      running = false;
      stopping.abort();
      wake();
      await loop;
      await Promise.allSettled([...inFlight.values()]);
      for (const resolve of idleWaiters.splice(0)) resolve();
    },
    isRunning: () => running,
    progress() {
      const since = clock.now() - RATE_WINDOW_MS;
      while (recentSends.length > 0 && (recentSends[0] ?? 0) < since) recentSends.shift();
      return { ...counts, inFlight: inFlight.size, rate: recentSends.length / (RATE_WINDOW_MS / 1000) };
    },
  };
}
