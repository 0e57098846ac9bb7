import type { ApiHealth } from "../bot/api-health.js";
import type { Clock } from "../clock.js";
import { describeError } from "../telegram-errors.js";
import type { Store } from "../store/index.js";

/**
 * Telegram counts as unreachable once requests have failed to reach it for this long with no answer in between.
 * Polling asks at least every 30 s, and a request that hangs is given up after 60 s, so a lost Bot API shows within
 * about 3 minutes; a webhook bot with nothing to send asks nothing, and stays healthy.
 */
export const TELEGRAM_SILENCE_LIMIT_MS = 120_000;

export interface HealthDeps {
  store: Pick<Store, "outbox">;
  telegram: Pick<ApiHealth, "lastAnsweredAt" | "lostSince">;
  /** The delivery engine is sending (started, not stopped). */
  engineRunning: () => boolean;
  clock: Clock;
}

export interface HealthReport {
  status: "ok" | "failing";
  /** Why it is failing; empty when ok. */
  reasons: string[];
  database: "ok" | "failing";
  /** Seconds since the Bot API last answered; null before its first answer. */
  telegramAnsweredSecondsAgo: number | null;
  engine: "running" | "stopped";
  /** Messages waiting in the outbox; null when the database does not answer. */
  outboxPending: number | null;
}

/** What GET /healthz answers: ok when the database answers (a count of the outbox), Telegram is reachable and the engine runs. */
export async function checkHealth({ store, telegram, engineRunning, clock }: HealthDeps): Promise<HealthReport> {
  const reasons: string[] = [];
  const now = clock.now();
  let outboxPending: number | null = null;
  try {
    outboxPending = await store.outbox.pendingCount();
  } catch (error) {
    reasons.push(`the database does not answer: ${describeError(error)}`);
  }
  const answeredAt = telegram.lastAnsweredAt();
  const lostSince = telegram.lostSince();
  if (lostSince !== undefined && now - lostSince >= TELEGRAM_SILENCE_LIMIT_MS) {
    reasons.push(`the Bot API has not answered for ${Math.round((now - lostSince) / 1000)} s`);
  } else if (answeredAt === undefined) reasons.push("the Bot API has not answered yet");
  const running = engineRunning();
  if (!running) reasons.push("the delivery engine is not running");
  return {
    status: reasons.length === 0 ? "ok" : "failing",
    reasons,
    database: outboxPending === null ? "failing" : "ok",
    telegramAnsweredSecondsAgo: answeredAt === undefined ? null : Math.round((now - answeredAt) / 1000),
    engine: running ? "running" : "stopped",
    outboxPending,
  };
}
