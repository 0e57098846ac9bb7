import type { Clock } from "../clock.js";
import type { FakeTelegram } from "./fake-telegram/index.js";

export interface SettleOptions {
  /** How long the fake server must see no request, with no update waiting for the bot, to call the bot done. */
  quietMs: number;
  /** The most it waits: a bot that keeps sending (a long broadcast) gets the prompt back anyway. */
  maxMs: number;
}

/** After each line: the bot's answer to a command or a button comes within milliseconds. */
export const AFTER_LINE: SettleOptions = { quietMs: 400, maxMs: 15_000 };
/** At the end of input: longer than a live progress message waits between its edits (3 s), so that its last edit is shown. */
export const AT_END: SettleOptions = { quietMs: 3_500, maxMs: 15_000 };

/**
 * Resolves once the bot has answered what it was sent: its updates fetched and no request to the fake server
 * for a quiet moment (a held long poll is not a request). Bounded by maxMs; at once when `signal` aborts (SIGTERM).
 */
export async function settle(
  { fake, clock, signal }: { fake: FakeTelegram; clock: Clock; signal: AbortSignal },
  { quietMs, maxMs }: SettleOptions,
): Promise<void> {
  const deadline = clock.now() + maxMs;
  let requests = fake.stats.requests;
  while (clock.now() < deadline && !signal.aborted) {
    await clock.sleep(quietMs, signal);
    const now = fake.stats.requests;
    if (now === requests && fake.pendingUpdates.length === 0) return;
    requests = now;
  }
}
