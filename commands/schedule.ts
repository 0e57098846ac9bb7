import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { releaseArticle } from "../src/delivery/channel-publisher.js";
import { formatTime } from "../src/format/card.js";
import { oneLine } from "../src/format/lists.js";
import { storyLine } from "../src/format/story-line.js";
import { formatAge } from "../src/format/age.js";
import { nextTick } from "../src/schedule/next-tick.js";
import type { QuietHours } from "../src/config/index.js";
import {
  answerButton,
  answerExpired,
  button,
  canEditButtonMessage,
  editButtonMessage,
  isButtonOf,
  keyboard,
  onButton,
  type ButtonContext,
} from "../src/bot/buttons.js";
import { HTML_OPTIONS } from "../src/bot/reply.js";

/** Queued articles listed, each with its buttons: more would make a wall of buttons; the rest is counted. */
const QUEUE_SHOWN = 5;

/**
 * /schedule (admins): each job's next run in TIMEZONE and the articles queued for the channel, each with
 * "Post now" (released at once through the publisher's own path) and "Skip" (out of the queue, still searchable).
 * Both are safe to press twice: an article is released once ever, and a skipped one is no longer queued.
 */
export const scheduleCommand = new Composer<BotContext>();

scheduleCommand.command("schedule", async (ctx) => {
  const view = await scheduleView(ctx);
  await ctx.reply(view.html, { ...HTML_OPTIONS, ...view.markup });
});

/** The buttons handled below: the gate answers anyone but an admin "This button is not for you". */
export const scheduleButtons = isButtonOf("post-now", "skip");

onButton(scheduleCommand, "post-now", async (ctx, { articleId }) => {
  const { store, logger } = ctx.services;
  const article = await store.articles.get(articleId);
  if (!article) return answerExpired(ctx);
  const headline = oneLine(article.headline, 80);
  if (article.releasedAt) return answerButton(ctx, "schedule-press", { headline, alreadyOut: true });
  if (!article.queuedAt) return answerButton(ctx, "schedule-press", { headline, notQueued: true });
  const topics = await store.subscriptions.distinctTopics();
  const released = await releaseArticle(article, ctx.services, topics);
  // A tick or a push between the read above and this release came first: say so, as for a second press.
  if (!released) return answerButton(ctx, "schedule-press", { headline, alreadyOut: true });
  ctx.services.engine.notify();
  logger.info({ articleId, ...released, by: ctx.from.id }, "released by an editor: post now");
  await refresh(ctx);
  await answerButton(ctx, "schedule-press", { headline, posted: true });
});

onButton(scheduleCommand, "skip", async (ctx, { articleId }) => {
  const { store, logger } = ctx.services;
  const article = await store.articles.get(articleId);
  if (!article) return answerExpired(ctx);
  const headline = oneLine(article.headline, 80);
  if (!(await store.articles.unqueue(articleId))) {
    return answerButton(ctx, "schedule-press", article.releasedAt ? { headline, alreadyOut: true } : { headline, notQueued: true });
  }
  logger.info({ articleId, by: ctx.from.id }, "skipped by an editor");
  await refresh(ctx);
  await answerButton(ctx, "schedule-press", { headline, skipped: true });
});

async function refresh(ctx: ButtonContext): Promise<void> {
  if (!canEditButtonMessage(ctx)) return;
  const view = await scheduleView(ctx);
  await editButtonMessage(ctx, view.html, view.markup);
}

async function scheduleView(ctx: BotContext) {
  const { store, templates, clock, config } = ctx.services;
  const { timeZone, pollCron, postCron, digestCron } = config.schedule;
  const now = new Date(clock.now());
  const next = (cron: string) => {
    const tick = nextTick(cron, timeZone, now);
    return tick && formatTime(tick, timeZone);
  };
  // One more than shown tells whether there are more.
  const queued = await store.articles.unreleased(QUEUE_SHOWN + 1);
  const shown = queued.slice(0, QUEUE_SHOWN);
  const html = templates.render("schedule", {
    timeZone,
    nextPoll: next(pollCron),
    nextPost: next(postCron),
    postBatch: config.delivery.postBatch,
    nextDigest: digestCron === undefined ? undefined : next(digestCron),
    digestOff: digestCron === undefined,
    quietHours: config.delivery.quietHours && formatWindow(config.delivery.quietHours),
    items: shown.map((article, i) => ({
      number: i + 1,
      ...storyLine(article),
      queued: formatAge(article.queuedAt ?? article.firstSeenAt, now),
    })),
    hasItems: shown.length > 0,
    moreQueued: queued.length > QUEUE_SHOWN,
  });
  const rows = shown.map((article, i) => [
    button(templates, "button-post-now", { number: i + 1 }, { kind: "post-now", articleId: article.id }),
    button(templates, "button-skip", { number: i + 1 }, { kind: "skip", articleId: article.id }),
  ]);
  return { html, markup: keyboard(rows) };
}

function formatWindow({ from, to }: QuietHours): string {
  const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  return `${hhmm(from)}-${hhmm(to)}`;
}
