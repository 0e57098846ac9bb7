const MINUTE = 60_000;
/** A failing feed is retried after 1, 2, 4 … minutes, at most every 6 hours. */
const MAX_BACKOFF_MS = 6 * 60 * MINUTE;

export function retryDelayMs(failuresInARow: number): number {
  return Math.min(MAX_BACKOFF_MS, MINUTE * 2 ** Math.max(0, failuresInARow - 1));
}
