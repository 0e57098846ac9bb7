import { GrammyError, HttpError } from "grammy";
import { FatalError } from "./fatal-error.js";

/**
 * What Telegram's errors mean, decided once for every room: the engine's sends, the bot's error boundary, the start
 * and the update sources. grammY throws a GrammyError when Telegram answered no, an HttpError when it could not be
 * reached.
 */

/** What a failed send means for the message and the chat. */
export type SendFailure =
  /** The chat blocked the bot, was deleted, or never existed: stop writing to it. */
  | "unreachable"
  /** Telegram will never take this message (bad HTML, too long): fail it, log it loudly. */
  | "rejected"
  /** Flood control, a server error or the network: try again later. */
  | "transient";

/**
 * Telegram's answers that mean "this chat does not want or cannot get our messages": every 403 (blocked,
 * user deactivated, kicked from the group or channel) and 400 "chat not found".
 */
export function isUnreachableChat(error: GrammyError): boolean {
  return error.error_code === 403 || (error.error_code === 400 && /chat not found/i.test(error.description));
}

export function classifySendError(error: unknown): SendFailure {
  if (error instanceof HttpError || !(error instanceof GrammyError)) return "transient";
  if (isUnreachableChat(error)) return "unreachable";
  if (error.error_code === 429 || error.error_code >= 500) return "transient";
  return "rejected";
}

/** Telegram's answers that no retry can change, as the line that stops Newsdesk; undefined for any other error. */
export function explainTelegramRefusal(error: unknown): FatalError | undefined {
  if (!(error instanceof GrammyError)) return undefined;
  if (error.error_code === 401) {
    return new FatalError(
      "Telegram rejected BOT_TOKEN (401 Unauthorized): it is wrong or was revoked. Copy the current token from @BotFather (/mybots → API Token).",
      { cause: error },
    );
  }
  if (error.error_code === 409 && /webhook is active/i.test(error.description)) {
    return new FatalError(
      "A webhook was set for this BOT_TOKEN while polling (409 Conflict): another process runs it in webhook mode. Run one instance, in one BOT_MODE.",
      { cause: error },
    );
  }
  if (error.error_code === 409) {
    return new FatalError(
      "Another process is polling Telegram with this BOT_TOKEN (409 Conflict). Run one instance, or use BOT_MODE=webhook.",
      { cause: error },
    );
  }
  return undefined;
}

/**
 * An error in a few words, for a log line or an outbox row's last_error: Telegram's answer ("403 Forbidden: bot was
 * blocked by the user"), why the network failed ("ECONNREFUSED", "no answer within 8 s"), or the message.
 * Never the text of a network error's cause: it holds the request URL, and Bot API URLs hold the token.
 */
export function describeError(error: unknown): string {
  if (error instanceof GrammyError) return `${error.error_code} ${error.description}`;
  if (error instanceof HttpError) return networkReason(error.error);
  return error instanceof Error ? error.message : String(error);
}

/** The system's code (ECONNREFUSED, ENOTFOUND, ECONNRESET…) when there is one; grammY's own timeout; else the cause's type. */
function networkReason(cause: unknown): string {
  if (typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string") return cause.code;
  if (!(cause instanceof Error)) return "network error";
  const timedOut = /timed out after (\d+) seconds/.exec(cause.message);
  return timedOut ? `no answer within ${timedOut[1]} s` : cause.name;
}
