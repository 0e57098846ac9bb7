import { GrammyError, HttpError, type Api } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { raceSleep, type Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import { FatalError } from "../fatal-error.js";
import { describeError, explainTelegramRefusal } from "../telegram-errors.js";

// 3 tries 5 s apart: about 10 s when the network says no at once, at most 25 s when nothing answers.
const TRIES = 3;
const RETRY_DELAY_MS = 5_000;
/** A try that gets no answer in this time is given up. */
const TRY_TIMEOUT_MS = 5_000;

export interface ConnectDeps {
  /** Without auto-retry: the tries here are the only ones. */
  api: Api;
  apiRoot: string;
  clock: Clock;
  logger: Logger;
  /** Aborts the tries and the waits between them (a stop signal during start). */
  signal?: AbortSignal | undefined;
}

/**
 * getMe at start, bounded. grammY's own bot.init() retries getMe forever on network errors, so a bot whose
 * Bot API cannot be reached would start silently and never: here each try is logged, and after the last one
 * the start fails with a line that says where it looked. A rejected token fails at once.
 */
export async function connectToBotApi(deps: ConnectDeps): Promise<UserFromGetMe> {
  const { api, apiRoot, clock, logger, signal } = deps;
  for (let attempt = 1; ; attempt++) {
    try {
      return await getMeWithinTimeout(api, clock, signal);
    } catch (error) {
      signal?.throwIfAborted();
      const reason = unreachableReason(error);
      if (reason === undefined) throw explainTelegramRefusal(error) ?? refused(error, apiRoot);
      const last = attempt >= TRIES;
      const next = last ? "" : `; trying again in ${Math.round(RETRY_DELAY_MS / 1000)} s`;
      logger.warn({ attempt, tries: TRIES, reason }, `could not reach the Bot API (try ${attempt} of ${TRIES}): ${reason}${next}`);
      if (last) {
        throw new FatalError(`Could not reach the Bot API at ${apiRoot}. Check the network or TELEGRAM_API_ROOT.`, { cause: error });
      }
      await clock.sleep(RETRY_DELAY_MS, signal);
      signal?.throwIfAborted();
    }
  }
}

/** One getMe, aborted when it gets no answer within TRY_TIMEOUT_MS on the clock, or when `signal` aborts. */
async function getMeWithinTimeout(api: Api, clock: Clock, signal: AbortSignal | undefined): Promise<UserFromGetMe> {
  const request = new AbortController();
  const abort = (): void => request.abort();
  signal?.addEventListener("abort", abort, { once: true });
  try {
    // grammY types its signal with the abort-controller polyfill; the runtime object is the same.
    const getMe = api.getMe(request.signal as Parameters<Api["getMe"]>[0]);
    if (!(await raceSleep(clock, TRY_TIMEOUT_MS, getMe))) {
      request.abort();
      throw new TryTimedOut();
    }
    return await getMe;
  } finally {
    signal?.removeEventListener("abort", abort);
  }
}

class TryTimedOut extends Error {
  override name = "TryTimedOut";
}

/** Why the Bot API could not be reached, or undefined when it answered with a refusal. */
function unreachableReason(error: unknown): string | undefined {
  if (error instanceof TryTimedOut) return `no answer within ${Math.round(TRY_TIMEOUT_MS / 1000)} s`;
  // A proxy's 502 or Telegram's own trouble: the Bot API is not there yet.
  const notThereYet = error instanceof GrammyError && (error.error_code >= 500 || error.error_code === 429);
  return error instanceof HttpError || notThereYet ? describeError(error) : undefined;
}

function refused(error: unknown, apiRoot: string): Error {
  if (!(error instanceof GrammyError)) return error instanceof Error ? error : new Error(String(error));
  return new FatalError(
    `The Bot API at ${apiRoot} refused getMe (${error.error_code} ${error.description}). Check BOT_TOKEN and TELEGRAM_API_ROOT.`,
    { cause: error },
  );
}
