import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { renderArticleCard } from "../src/format/card.js";
import { fitItems } from "../src/format/lists.js";
import { agedStoryLine } from "../src/format/story-line.js";
import { MAX_MESSAGE_CHARS } from "../src/format/telegram-length.js";
import { HTML_OPTIONS, replyTemplate } from "../src/bot/reply.js";

export const DEFAULT_COUNT = 5;
export const MAX_COUNT = 10;
/** With a list below it, the card leaves room: a hostile headline must not push every other story out. */
const CARD_SHARE = 2500;

/**
 * /latest [n]: the newest story as a full card with its link preview, the next ones as linked headlines
 * with source and age, all in one message.
 */
export const latestCommand = new Composer<BotContext>();

latestCommand.command("latest", async (ctx) => {
  const { store, templates, config, clock } = ctx.services;
  const count = parseCount(ctx.match);
  if (count === undefined) return replyTemplate(ctx, "latest-usage", { defaultCount: DEFAULT_COUNT, max: MAX_COUNT });

  const [first, ...rest] = await store.articles.latest(count.n);
  if (!first) return replyTemplate(ctx, "latest-empty");

  const card = renderArticleCard(first, templates, {
    timeZone: config.schedule.timeZone,
    maxChars: rest.length > 0 ? CARD_SHARE : MAX_MESSAGE_CHARS,
  });
  const now = clock.now();
  const items = rest.map((article) => agedStoryLine(article, now));
  const html = fitItems(items, (kept) => {
    const list = templates.render("latest", { items: kept, hasItems: kept.length > 0, clamped: count.clamped, max: MAX_COUNT });
    return list === "" ? card : `${card}\n\n${list}`;
  });
  await ctx.reply(html, {
    ...HTML_OPTIONS,
    // The preview shows the story of the card, not whichever headline link comes first.
    link_preview_options: first.link ? { url: first.link, prefer_small_media: false } : { is_disabled: true },
  });
});

/**
 * The count argument. Empty → the default; a whole number ≥ 1 → itself, at most MAX_COUNT (more is
 * clamped, and the reply says so); anything else ("0", "-5", "3.5", "abc") → undefined: explained, not guessed.
 */
export function parseCount(argument: string): { n: number; clamped: boolean } | undefined {
  const text = argument.trim();
  if (text === "") return { n: DEFAULT_COUNT, clamped: false };
  if (!/^[0-9]+$/.test(text)) return undefined;
  const n = Number(text); // 20 digits is still a finite number, just large
  if (n < 1) return undefined;
  return n > MAX_COUNT ? { n: MAX_COUNT, clamped: true } : { n, clamped: false };
}
