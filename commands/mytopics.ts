import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { fitItems, oneLine } from "../src/format/lists.js";
import {
  answerButton,
  answerExpired,
  button,
  canEditButtonMessage,
  editButtonMessage,
  inRows,
  keyboard,
  onButton,
} from "../src/bot/buttons.js";
import { MAX_TOPICS_PER_CHAT } from "./follow.js";
import { HTML_OPTIONS, isPrivateChat, replyPrivateOnly } from "../src/bot/reply.js";

/** /mytopics: the followed topics, one remove button each; a press removes it and updates the list in place. */
export const mytopicsCommand = new Composer<BotContext>();

mytopicsCommand.command("mytopics", async (ctx) => {
  if (!isPrivateChat(ctx)) return replyPrivateOnly(ctx, "mytopics");
  const view = await myTopicsView(ctx, ctx.chat.id);
  await ctx.reply(view.html, { ...HTML_OPTIONS, ...view.markup });
});

onButton(mytopicsCommand, "unfollow", async (ctx, { topic }) => {
  // Remove buttons are only ever sent in private chats.
  if (!ctx.chat || !isPrivateChat(ctx)) return answerExpired(ctx);
  const removed = await ctx.services.store.subscriptions.unfollow(ctx.chat.id, topic);
  const shown = oneLine(topic, 100);
  // Removed before (another button, /unfollow, /stop): say so and change nothing.
  if (!removed) return answerButton(ctx, "unfollow", { notFollowed: true, topic: shown });
  if (canEditButtonMessage(ctx)) {
    const view = await myTopicsView(ctx, ctx.chat.id);
    await editButtonMessage(ctx, view.html, view.markup);
  }
  await answerButton(ctx, "unfollow", { removed: true, topic: shown });
});

async function myTopicsView(ctx: BotContext, chatId: number) {
  const { store, templates } = ctx.services;
  const topics = await store.subscriptions.list(chatId);
  const items = topics.map((topic) => ({ topic: oneLine(topic, 100) }));
  const html = fitItems(items, (kept, omitted) =>
    templates.render("mytopics", { topics: kept, count: topics.length, max: MAX_TOPICS_PER_CHAT, omitted: omitted || undefined }),
  );
  // A topic whose name is too long for callback data has no button; /unfollow still removes it.
  const buttons = topics.map((topic) => button(templates, "button-unfollow", { topic }, { kind: "unfollow", topic }));
  return { html, markup: keyboard(inRows(buttons, 2)) };
}
