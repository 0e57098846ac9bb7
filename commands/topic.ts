import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { oneLine } from "../src/format/lists.js";
import { answerExpired, canEditButtonMessage, editButtonMessage, keyboard, onButton } from "../src/bot/buttons.js";
import { HTML_OPTIONS, replyTemplate } from "../src/bot/reply.js";
import { popularTopics, topicButtonRows } from "../src/readers/suggestions.js";
import { topicAnswer } from "../src/readers/topic-page.js";

/**
 * /topic QUERY: the best matches, five per page. "More ›" and "‹ Back" edit the message in place (the
 * chat keeps one result list, and an old list's buttons keep working); a topic button sends a new list.
 */
export const topicCommand = new Composer<BotContext>();

topicCommand.command("topic", async (ctx) => {
  const query = ctx.match.trim();
  if (query === "") return replyTopicUsage(ctx);
  const answer = await topicAnswer(ctx, query, 1);
  await ctx.reply(answer.html, { ...HTML_OPTIONS, ...answer.markup });
});

onButton(topicCommand, "more", async (ctx, { query, page }) => {
  const answer = await topicAnswer(ctx, query, page);
  // The stories of that page are gone (or the data was made up): leave the message as it is.
  if (answer.status !== "page") return answerExpired(ctx);
  if (canEditButtonMessage(ctx)) await editButtonMessage(ctx, answer.html, answer.markup);
  else await ctx.reply(answer.html, { ...HTML_OPTIONS, ...answer.markup });
  await ctx.answerCallbackQuery();
});

onButton(topicCommand, "topic", async (ctx, { query }) => {
  const answer = await topicAnswer(ctx, query, 1);
  await ctx.reply(answer.html, { ...HTML_OPTIONS, ...answer.markup });
  await ctx.answerCallbackQuery();
});

/** A bare /topic: how to use it, and popular topics to tap. */
async function replyTopicUsage(ctx: BotContext): Promise<void> {
  const suggestions = await popularTopics(ctx.services.store, ctx.services.clock.now());
  await replyTemplate(
    ctx,
    "topic-usage",
    { suggestions: suggestions.map((topic) => ({ topic: oneLine(topic, 100) })), hasSuggestions: suggestions.length > 0 },
    keyboard(
      topicButtonRows(
        ctx.services.templates,
        suggestions.map((topic) => ({ topic })),
      ),
    ),
  );
}
