import { Composer, InputFile } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { writeOpml } from "../src/ingest/opml.js";
import { HTML_OPTIONS, isPrivateChat, replyDeskPrivateOnly } from "../src/bot/reply.js";
import { titleOrHost } from "../src/format/card.js";

/** /export (admins, behind the gate): every feed in the store as feeds.opml, for a feed reader or another Newsdesk. */
export const exportCommand = new Composer<BotContext>();

exportCommand.command("export", async (ctx) => {
  if (!isPrivateChat(ctx)) return replyDeskPrivateOnly(ctx, "export");
  const { store, templates, clock } = ctx.services;
  const feeds = await store.feeds.list();
  const opml = writeOpml(
    feeds.map((feed) => ({ url: feed.url, title: titleOrHost(feed.title, feed.url) })),
    new Date(clock.now()),
  );
  await ctx.replyWithDocument(new InputFile(Buffer.from(opml, "utf8"), "feeds.opml"), {
    ...HTML_OPTIONS,
    caption: templates.render("export", { count: feeds.length }),
  });
});
