import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { answerExpired } from "../src/bot/buttons.js";
import { replyTemplate } from "../src/bot/reply.js";

/**
 * The catch-all, registered last: a hint to /help for anything no command took, and "this button has
 * expired" for any button press no handler took (old versions, forged data), so every press is answered.
 * In groups it stays quiet unless a command was addressed to this bot: other bots and people
 * talk there too.
 */
export const fallbackCommand = new Composer<BotContext>();

const COMMAND = /^\/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]+))?/;

fallbackCommand.on("message:text", async (ctx) => {
  const match = COMMAND.exec(ctx.msg.text);
  const isPrivate = ctx.chat.type === "private";
  if (match) {
    const addressedToUs = match[2]?.toLowerCase() === ctx.me.username.toLowerCase();
    if (!isPrivate && !addressedToUs) return;
    await replyTemplate(ctx, "unknown", { command: match[1] });
    return;
  }
  if (isPrivate) await replyTemplate(ctx, "unknown");
});

// A file nobody took (only admins' files are read, by the desk): a reader gets the same hint as for text.
fallbackCommand.chatType("private").on("message:document", (ctx) => replyTemplate(ctx, "unknown"));

fallbackCommand.on("callback_query", (ctx) => answerExpired(ctx));
