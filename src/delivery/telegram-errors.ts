import { GrammyError, HttpError } from "grammy";

/** What a failed send means for the message and the chat. */
export type SendFailure =
  /** The chat blocked the bot, was deleted, or never existed: stop writing to it. */
  | "unreachable"
  /** Telegram will never take this message (bad HTML, too long): fail it, log it loudly. */
  | "rejected"
  /** Flood control, a server error or the network: try again later. */
  | "transient";

export function classifySendError(error: unknown): SendFailure {
  if (error instanceof HttpError) return "transient";
  if (!(error instanceof GrammyError)) return "transient";
  if (error.error_code === 403 || /chat not found|user is deactivated/i.test(error.description)) return "unreachable";
  if (error.error_code === 429 || error.error_code >= 500) return "transient";
  return "rejected";
}

export function describeError(error: unknown): string {
  if (error instanceof GrammyError) return `${error.error_code} ${error.description}`;
  if (error instanceof HttpError) return `network: ${String(error.error)}`;
  return error instanceof Error ? error.message : String(error);
}
