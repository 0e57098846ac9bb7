import { GrammyError } from "grammy";
import { FatalError } from "../fatal-error.js";

/** Telegram's answers that no retry can change; undefined for any other error. */
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
