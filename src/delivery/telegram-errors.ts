import { GrammyError, HttpError } from "grammy";

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
 * user deactivated, kicked from the group or channel) and 400 "chat not found". The engine and the bot's
 * error boundary both decide with this one function.
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

export function describeError(error: unknown): string {
  if (error instanceof GrammyError) return `${error.error_code} ${error.description}`;
  // Not the underlying error: its text holds the request URL, and Bot API URLs hold the token.
  if (error instanceof HttpError) return `network: ${error.message}${networkCode(error.error)}`;
  return error instanceof Error ? error.message : String(error);
}

function networkCode(cause: unknown): string {
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : "";
  const name = cause instanceof Error ? cause.name : "";
  return code || name ? ` (${[name, code].filter(Boolean).join(" ")})` : "";
}
