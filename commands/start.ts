import { Composer } from "grammy";
import { menuFor } from "../src/bot/menu.js";
import type { BotContext } from "../src/bot/context.js";
import { toChatUpsert } from "../src/bot/chat-record.js";
import { replyTemplate } from "../src/bot/reply.js";

/** /start: greet, say what the bot does, list the commands, and remember the chat. */
export const startCommand = new Composer<BotContext>();

startCommand.command("start", async (ctx) => {
  if (ctx.chat) await ctx.services.store.chats.recordStart(toChatUpsert(ctx.chat, ctx.from?.language_code));
  await replyTemplate(ctx, "start", {
    firstName: ctx.chat?.type === "private" ? ctx.from?.first_name : undefined,
    commands: menuFor(ctx.services.menu, "everyone"),
  });
});
