import { GrammyError, HttpError, type BotError } from "grammy";
import { SendCancelledError } from "../delivery/send-budget.js";
import { describeError, isUnreachableChat } from "../telegram-errors.js";
import type { BotContext } from "./context.js";

/**
 * The one error boundary. Logs what failed with the update's logger, marks chats that blocked the bot,
 * and gives the user a short apology when one can still be sent. The bot keeps running.
 */
export async function handleBotError(err: BotError<BotContext>): Promise<void> {
  const { ctx, error } = err;
  const log = ctx.logger;

  if (error instanceof GrammyError) {
    if (isUnreachableChat(error) && ctx.chat) {
      log.info({ method: error.method, description: error.description }, "chat cannot be reached; marking it blocked");
      await ctx.services.store.chats.markBlocked(ctx.chat.id).catch((e: unknown) => log.error({ err: e }, "could not mark chat blocked"));
      return;
    }
    log.error({ method: error.method, code: error.error_code, description: error.description }, "Telegram refused a request");
  } else if (error instanceof HttpError) {
    log.error({ reason: describeError(error) }, "network error while talking to Telegram");
    return; // An apology would most likely fail the same way.
  } else if (error instanceof SendCancelledError) {
    // The bot is stopping: nothing went wrong, and an apology would be cancelled the same way.
    log.info({ reason: error.message }, "reply not sent: the bot is stopping");
    return;
  } else {
    log.error({ err: error }, "handler failed");
  }
  await apologize(ctx);
}

async function apologize(ctx: BotContext): Promise<void> {
  if (!ctx.chat || ctx.chat.type === "channel") return;
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    await ctx.reply(ctx.services.templates.render("error"), { parse_mode: "HTML" });
  } catch (error) {
    ctx.logger.warn({ err: error }, "could not send the apology either");
  }
}
