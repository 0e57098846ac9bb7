import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { oneLine } from "../src/format/lists.js";
import { normalizeTopic } from "../src/topics/index.js";
import { isPrivateChat, replyPrivateOnly, replyTemplate } from "../src/bot/reply.js";

/** /unfollow QUERY (also /unsubscribe): the topic is normalized the way /follow stored it. */
export const unfollowCommand = new Composer<BotContext>();

unfollowCommand.command(["unfollow", "unsubscribe"], async (ctx) => {
  if (!isPrivateChat(ctx)) return replyPrivateOnly(ctx, "unfollow");
  const input = ctx.match.trim();
  if (input === "") return replyTemplate(ctx, "unfollow", { usage: true });
  const topic = normalizeTopic(input, ctx.services.aliases);
  if (topic === undefined) return replyTemplate(ctx, "unfollow", { noWords: true });
  const removed = await ctx.services.store.subscriptions.unfollow(ctx.chat.id, topic);
  await replyTemplate(ctx, "unfollow", { removed, notFollowed: !removed, topic: oneLine(topic, 100) });
});
