import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { fitItems, oneLine } from "../src/format/lists.js";
import { keyboard } from "../src/bot/buttons.js";
import { HTML_OPTIONS } from "../src/bot/reply.js";
import { RECENT_DAYS, recentSince, topicButtonRows } from "../src/readers/suggestions.js";

const TOP_TAGS = 10;

/** /topics: the commonest tags of the last week with counts; each button shows that topic's stories. */
export const topicsCommand = new Composer<BotContext>();

topicsCommand.command("topics", async (ctx) => {
  const { store, templates, clock } = ctx.services;
  const tags = await store.articles.topTags(recentSince(clock.now()), TOP_TAGS);
  const items = tags.map(({ tag, count }) => ({ topic: oneLine(tag, 64), count }));
  const html = fitItems(items, (kept) => templates.render("topics", { items: kept, hasItems: kept.length > 0, days: RECENT_DAYS }));
  const buttons = topicButtonRows(
    templates,
    tags.map(({ tag, count }) => ({ topic: tag, count })),
  );
  await ctx.reply(html, { ...HTML_OPTIONS, ...keyboard(buttons) });
});
