import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { fitItems, oneLine } from "../src/format/lists.js";
import { nextTick } from "../src/schedule/next-tick.js";
import { HTML_OPTIONS } from "../src/bot/reply.js";

const TOP_TOPICS = 5;
const DAY_MS = 24 * 60 * 60 * 1000;

/** /stats (admins): readers, the most followed topics, today's articles, the last day's deliveries, the outbox, failing feeds. */
export const statsCommand = new Composer<BotContext>();

statsCommand.command("stats", async (ctx) => {
  const { store, templates, clock, config } = ctx.services;
  const now = clock.now();
  const timeZone = config.schedule.timeZone;
  const today = startOfDay(now, timeZone);
  const [readers, topics, storedToday, deliveries, pending, feeds] = await Promise.all([
    store.chats.readerCounts(),
    store.subscriptions.popular(TOP_TOPICS),
    store.articles.countStoredSince(today),
    store.outbox.countsSince(new Date(now - DAY_MS)),
    store.outbox.pendingCount(),
    store.feeds.list(),
  ]);
  const failing = feeds
    .filter((feed) => feed.failures > 0)
    .sort((a, b) => b.failures - a.failures)
    .map((feed) => ({ feed: oneLine(feed.title ?? feed.url, 100), failures: feed.failures, error: oneLine(feed.lastError ?? "", 150) }));
  const html = fitItems(failing, (kept, omitted) =>
    templates.render("stats", {
      readersActive: readers.active,
      readersBlocked: readers.blocked,
      topics: topics.map(({ topic, followers }) => ({ topic: oneLine(topic, 100), followers })),
      hasTopics: topics.length > 0,
      day: new Intl.DateTimeFormat("en-GB", { timeZone, day: "numeric", month: "short", year: "numeric" }).format(now),
      storedToday,
      sent: deliveries.sent,
      failed: deliveries.failed,
      blocked: deliveries.blocked,
      pending,
      feeds: kept,
      hasFailingFeeds: failing.length > 0,
      moreFeeds: omitted || undefined,
    }),
  );
  await ctx.reply(html, HTML_OPTIONS);
});

const MIDNIGHT = "0 0 * * *";

/** The midnight that began the current day in `timeZone`, found as the schedule finds a daily tick (DST included). */
function startOfDay(now: number, timeZone: string): Date {
  // Two days back always holds a midnight: walk forward to the last one not after now.
  let midnight = nextTick(MIDNIGHT, timeZone, new Date(now - 2 * DAY_MS)) ?? new Date(now - DAY_MS);
  for (let next = nextTick(MIDNIGHT, timeZone, midnight); next && next.getTime() <= now; next = nextTick(MIDNIGHT, timeZone, next)) {
    midnight = next;
  }
  return midnight;
}
