import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { formatAge } from "../src/format/age.js";
import { fitItems, oneLine } from "../src/format/lists.js";
import type { FeedRecord } from "../src/store/index.js";
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
import { HTML_OPTIONS, isPrivateChat, replyDeskPrivateOnly } from "../src/bot/reply.js";
import { titleOrHost } from "../src/format/card.js";

/**
 * /feeds (admins, behind the gate): every polled feed with its health, and per feed Pause or Resume and Remove
 * (which asks first). A press changes the store and redraws the list in place. The gate checks every press.
 */
export const feedsCommand = new Composer<BotContext>();

feedsCommand.command("feeds", async (ctx) => {
  // Feed addresses are not for a group's eyes.
  if (!isPrivateChat(ctx)) return replyDeskPrivateOnly(ctx, "feeds");
  const view = await feedsView(ctx);
  await ctx.reply(view.html, { ...HTML_OPTIONS, ...view.markup });
});

/** The buttons handled below: the gate answers anyone but an admin "This button is not for you". */
export const feedsButtons = isButtonOf("feed");

onButton(feedsCommand, "feed", async (ctx, { op, feedId }) => {
  if (!isPrivateChat(ctx)) return answerExpired(ctx);
  const { store, templates } = ctx.services;
  const feed = await store.feeds.get(feedId);
  if (!feed) {
    await redraw(ctx);
    return answerButton(ctx, "feed-action", { gone: true });
  }
  const title = titleOf(feed);
  if (op === "list") {
    await redraw(ctx);
    return answerButton(ctx);
  }
  if (op === "pause" || op === "resume") {
    const changed = await store.feeds.setEnabled(feed.id, op === "resume");
    ctx.logger.info({ feedId: feed.id, op, changed }, "feed paused or resumed");
    await redraw(ctx);
    return answerButton(ctx, "feed-action", {
      title,
      paused: changed && op === "pause",
      resumed: changed && op === "resume",
      unchanged: !changed,
    });
  }
  // FEEDS would bring it back at the next poll: the operator's list decides about its own feeds.
  if (feed.origin === "config") return answerButton(ctx, "feed-action", { title, inConfig: true });
  if (op === "ask-remove") {
    if (canEditButtonMessage(ctx)) {
      const confirm = keyboard([
        [button(templates, "button-feed-remove-confirm", { title: oneLine(title, 30) }, { kind: "feed", op: "remove", feedId: feed.id })],
        [button(templates, "button-feed-keep", {}, { kind: "feed", op: "list", feedId: feed.id })],
      ]);
      await editButtonMessage(ctx, templates.render("feed-remove-confirm", { id: feed.id, title, url: feed.url }), confirm);
    }
    return answerButton(ctx);
  }
  const removed = await store.feeds.remove(feed.id);
  ctx.logger.info({ feedId: feed.id, url: feed.url, removed }, "feed removed");
  await redraw(ctx);
  await answerButton(ctx, "feed-action", removed ? { title, removed: true } : { gone: true });
});

async function redraw(ctx: ButtonContext): Promise<void> {
  if (!canEditButtonMessage(ctx)) return;
  const view = await feedsView(ctx);
  await editButtonMessage(ctx, view.html, view.markup);
}

const titleOf = (feed: FeedRecord) => oneLine(titleOrHost(feed.title, feed.url), 80);

/** The feeds the poller fetches: admins' feeds, and the operator's while they are in FEEDS. */
async function feedsView(ctx: BotContext) {
  const { store, templates, config, clock } = ctx.services;
  const now = new Date(clock.now());
  const feeds = (await store.feeds.list()).filter((feed) => feed.origin === "admin" || config.feeds.includes(feed.url));
  const articles = await store.feeds.articleCounts();
  const items = feeds.map((feed) => ({
    id: feed.id,
    title: titleOf(feed),
    url: oneLine(feed.url, 200),
    lastSuccess: feed.lastSuccessAt && formatAge(feed.lastSuccessAt, now),
    lastError: feed.lastError && oneLine(feed.lastError, 200),
    articles: articles.get(feed.id) ?? 0,
    failures: feed.failures,
    paused: !feed.enabled,
    fromConfig: feed.origin === "config",
  }));
  const html = fitItems(items, (kept, omitted) =>
    templates.render("feeds", { feeds: kept, hasFeeds: feeds.length > 0, omitted: omitted || undefined }),
  );
  const rows = feeds.map((feed) => [
    feed.enabled
      ? button(templates, "button-feed-pause", { id: feed.id }, { kind: "feed", op: "pause", feedId: feed.id })
      : button(templates, "button-feed-resume", { id: feed.id }, { kind: "feed", op: "resume", feedId: feed.id }),
    feed.origin === "admin"
      ? button(templates, "button-feed-remove", { id: feed.id }, { kind: "feed", op: "ask-remove", feedId: feed.id })
      : undefined,
  ]);
  return { html, markup: keyboard(rows) };
}
