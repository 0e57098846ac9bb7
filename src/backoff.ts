/**
 * The one backoff curve: the wait before retry number `attempt` (1 for the first retry) doubles from
 * `firstMs` up to `maxMs`. Each caller names its own range (a feed: minutes to hours; a busy database:
 * milliseconds to seconds). With `jitter`, the wait is drawn from its upper half, so that many waiting
 * at once do not come back at the same moment.
 */
export function backoffMs(attempt: number, range: { firstMs: number; maxMs: number; jitter?: () => number }): number {
  const ceiling = Math.min(range.maxMs, range.firstMs * 2 ** Math.max(0, attempt - 1));
  return range.jitter === undefined ? ceiling : Math.round(ceiling / 2 + (range.jitter() * ceiling) / 2);
}
