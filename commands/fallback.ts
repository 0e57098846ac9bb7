import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { answerExpired } from "./buttons.js";

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
    await ctx.reply(ctx.services.templates.render("unknown", { command: match[1] }), { parse_mode: "HTML" });
    return;
  }
  if (isPrivate) await ctx.reply(ctx.services.templates.render("unknown", {}), { parse_mode: "HTML" });
});

fallbackCommand.on("callback_query", (ctx) => answerExpired(ctx));
