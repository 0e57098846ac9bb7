import { Composer } from "grammy";
import type { Chat } from "grammy/types";
import { toChatUpsert } from "../src/bot/chat-record.js";
import type { BotContext } from "../src/bot/context.js";
import { oneLine } from "../src/format/lists.js";
import type { TemplateValues } from "../src/format/templates.js";
import type { FollowOutcome } from "../src/store/index.js";
import { MAX_TOPIC_LENGTH, normalizeTopic } from "../src/topics/index.js";
import { answerButton, onButton } from "../src/bot/buttons.js";
import { isPrivateChat, replyPrivateOnly, replyTemplate } from "../src/bot/reply.js";

/** The most topics one reader may follow. */
export const MAX_TOPICS_PER_CHAT = 50;

/**
 * /follow QUERY (also /subscribe) and the Follow button of /topic. Alerts are private, so this works in
 * private chats only; the chat is recorded first, as /start does, so that alerts can reach it.
 */
export const followCommand = new Composer<BotContext>();

followCommand.command(["follow", "subscribe"], async (ctx) => {
  if (!isPrivateChat(ctx)) return replyPrivateOnly(ctx, "follow");
  await replyTemplate(ctx, "follow", await follow(ctx, ctx.chat, ctx.match));
});

onButton(followCommand, "follow", async (ctx, { topic }) => {
  const chat = ctx.chat;
  if (chat?.type !== "private") return answerButton(ctx, "private-only", { command: "follow", botUsername: ctx.me.username });
  await answerButton(ctx, "follow", await follow(ctx, chat, topic));
});

/** The flag of the follow template that says each outcome: a new outcome in the store does not compile until it has one. */
const OUTCOME_FLAGS: Record<FollowOutcome, TemplateValues<"follow">> = {
  added: { added: true },
  exists: { exists: true },
  limit: { limit: true },
};

/** Follows the topic for this chat; returns the values of the follow template (which outcome, which topic). */
async function follow(ctx: BotContext, chat: Chat, input: string): Promise<TemplateValues<"follow">> {
  const { store, aliases } = ctx.services;
  if (input.trim() === "") return { usage: true };
  const topic = normalizeTopic(input, aliases);
  if (topic === undefined) return { noWords: true };
  // Counted in characters as a reader counts them, on the form that is stored.
  if ([...topic].length > MAX_TOPIC_LENGTH) return { tooLong: true, maxChars: MAX_TOPIC_LENGTH };
  await store.chats.recordStart(toChatUpsert(chat, ctx.from?.language_code));
  const outcome = await store.subscriptions.follow(chat.id, topic, MAX_TOPICS_PER_CHAT);
  return { ...OUTCOME_FLAGS[outcome], topic: oneLine(topic, MAX_TOPIC_LENGTH), max: MAX_TOPICS_PER_CHAT };
}
