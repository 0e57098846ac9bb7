import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { isPrivateChat, replyPrivateOnly, replyTemplate } from "../src/bot/reply.js";

/** /stop: stop following every topic. The chat stays recorded, so /follow works again at once. */
export const stopCommand = new Composer<BotContext>();

stopCommand.command("stop", async (ctx) => {
  if (!isPrivateChat(ctx)) return replyPrivateOnly(ctx, "stop");
  const removed = await ctx.services.store.subscriptions.unfollowAll(ctx.chat.id);
  await replyTemplate(ctx, "stop", { removed });
});
