import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { oneLine } from "../src/format/lists.js";
import { discoverFeed } from "../src/ingest/discover-feed.js";
import { FetchError, guardedFetchOptions } from "../src/ingest/fetch.js";
import { FeedParseError } from "../src/ingest/parse.js";
import { isPrivateChat, replyDeskPrivateOnly, replyTemplate } from "../src/bot/reply.js";
import { titleOrHost } from "../src/format/card.js";

/**
 * /addfeed URL (admins, behind the gate): fetches the URL once, through the address guard, to prove it is a feed
 * (or finds the feed an HTML page links to), then stores it as an admin's feed. The poller's first fetch of it is
 * backfill, as for every new feed: stored and searchable, not posted.
 */
export const addfeedCommand = new Composer<BotContext>();

addfeedCommand.command("addfeed", async (ctx) => {
  if (!isPrivateChat(ctx)) return replyDeskPrivateOnly(ctx, "addfeed");
  const url = ctx.match.trim();
  if (url === "" || /\s/.test(url)) return replyTemplate(ctx, "addfeed", { usage: true });
  const { store, config } = ctx.services;
  const settings = config.ingest;
  let found;
  try {
    found = await discoverFeed(url, guardedFetchOptions(settings));
  } catch (error) {
    if (!(error instanceof FetchError || error instanceof FeedParseError)) throw error;
    ctx.logger.info({ url, reason: error.message }, "feed refused");
    return replyTemplate(ctx, "addfeed", { refused: oneLine(error.message, 600) });
  }
  const { feed, added } = await store.feeds.add(found.url, "admin", found.title);
  ctx.logger.info({ url: found.url, added }, "feed added by an admin");
  const title = oneLine(titleOrHost(feed.title, feed.url), 100);
  await replyTemplate(ctx, "addfeed", { added, exists: !added, title, url: found.url, items: found.items });
});
