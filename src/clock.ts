/**
 * The one source of time. Everything that timestamps or waits takes a Clock, so that tests move time on
 * a fake clock instead of sleeping, and a day of schedule runs in milliseconds.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms` (at once for ms <= 0), or as soon as `signal` aborts. Never rejects. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener("abort", done, { once: true });
    }),
};

/**
 * Waits for `work` or for `ms` on the clock, whichever comes first: true when `work` settled in time (a rejection
 * counts; the caller still holds `work` for its outcome), false when the time ran out or `signal` cut the wait short.
 * The sleep ends with the race, so no timer outlives it (on a fake clock it would move time along for nothing).
 */
export async function raceSleep(clock: Clock, ms: number, work: Promise<unknown>, signal?: AbortSignal): Promise<boolean> {
  const sleep = new AbortController();
  const cut = (): void => sleep.abort();
  signal?.addEventListener("abort", cut, { once: true });
  if (signal?.aborted) cut();
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      clock.sleep(ms, sleep.signal).then(() => false),
    ]);
  } finally {
    sleep.abort();
    signal?.removeEventListener("abort", cut);
  }
}
