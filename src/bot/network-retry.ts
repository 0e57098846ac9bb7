import { HttpError, type Transformer } from "grammy";
import type { Clock } from "../clock.js";

/** The waits before the second and the third try: a blip costs a reader a few seconds, not the answer. */
const RETRY_DELAYS_MS = [1_000, 2_000];

/**
 * An API transformer that tries a request again when it did not reach Telegram (an HttpError: the connection was
 * refused or reset, or no answer came in time), after 1 s and then 2 s on the clock, and then lets the error through.
 * auto-retry cannot do this within bounds: it waits up to an hour, doubling. Not getUpdates, which polling retries
 * itself, and not a request its caller aborted (a stop). Transformers installed before this one (the outage log)
 * see every try.
 */
export function networkRetry(clock: Clock): Transformer {
  return async (prev, method, payload, signal) => {
    for (let retry = 0; ; retry++) {
      try {
        return await prev(method, payload, signal);
      } catch (error) {
        const delayMs = RETRY_DELAYS_MS[retry];
        if (!(error instanceof HttpError) || delayMs === undefined || method === "getUpdates" || signal?.aborted) throw error;
        // grammY types its signal with the abort-controller polyfill; the runtime object is the same.
        await clock.sleep(delayMs, signal as globalThis.AbortSignal | undefined);
        if (signal?.aborted) throw error;
      }
    }
  };
}
