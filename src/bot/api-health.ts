import { HttpError, type Transformer } from "grammy";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import { describeError } from "../telegram-errors.js";

/**
 * An API transformer that logs a network outage once, when the first request fails to reach the Bot API, and
 * once more when a request gets through again, with how long it lasted. The bot's Api and the engine's Api share
 * one, so an outage is one pair of lines however many requests meet it. Requests the caller aborted (polling
 * during a stop) are not an outage. It only watches: retrying is the callers' business.
 */
export function apiHealth({ clock, logger }: { clock: Clock; logger: Logger }): Transformer {
  let lostAt: number | undefined;
  return async (prev, method, payload, signal) => {
    try {
      const response = await prev(method, payload, signal);
      if (lostAt !== undefined) {
        const seconds = Math.round((clock.now() - lostAt) / 1000);
        lostAt = undefined;
        logger.info({ outageSeconds: seconds }, `reached the Bot API again after ${seconds} s`);
      }
      return response;
    } catch (error) {
      if (error instanceof HttpError && !signal?.aborted && lostAt === undefined) {
        lostAt = clock.now();
        logger.warn({ method }, `lost contact with the Bot API: ${describeError(error)}; retrying`);
      }
      throw error;
    }
  };
}
