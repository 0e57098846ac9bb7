import { HttpError, type Transformer } from "grammy";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import { describeError } from "../telegram-errors.js";

/** The transformer, and what it saw: what /healthz reports. */
export type ApiHealth = Transformer & {
  /** When the Bot API last answered a request (an error from Telegram is an answer too); undefined before the first. */
  lastAnsweredAt(): number | undefined;
  /** When the requests started failing to reach it, if they still do. */
  lostSince(): number | undefined;
};

/**
 * An API transformer that logs a network outage once, when the first request fails to reach the Bot API, and
 * once more when a request gets through again, with how long it lasted. The bot's Api and the engine's Api share
 * one, so an outage is one pair of lines however many requests meet it. Requests the caller aborted (polling
 * during a stop) are not an outage. It only watches: retrying is the callers' business.
 */
export function apiHealth({ clock, logger }: { clock: Clock; logger: Logger }): ApiHealth {
  let lostAt: number | undefined;
  let answeredAt: number | undefined;
  const transformer: Transformer = async (prev, method, payload, signal) => {
    try {
      const response = await prev(method, payload, signal);
      answeredAt = clock.now();
      if (lostAt !== undefined) {
        const seconds = Math.round((answeredAt - lostAt) / 1000);
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
  return Object.assign(transformer, { lastAnsweredAt: () => answeredAt, lostSince: () => lostAt });
}
