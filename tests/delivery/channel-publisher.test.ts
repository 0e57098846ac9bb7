import { Api } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sendPendingAlerts } from "../../src/delivery/alert-sender.js";
import { publishDue } from "../../src/delivery/channel-publisher.js";
import { loadTemplates } from "../../src/format/templates.js";
import { runFeed, type IngestDeps } from "../../src/ingest/feed-run.js";
import { loadAliasMap } from "../../src/topics/index.js";
import { rssFeed, serve, startFeedServer, type FeedItemSpec } from "../support/feed-server.js";
import { startTestBot, type TestBot } from "../support/harness.js";
import { REFERENCE_HEADLINE, referenceArticleText } from "../support/reference-article.js";

const CHANNEL = -1001234567890;
const aliases = loadAliasMap();
const templates = loadTemplates();
const story = (n: number): FeedItemSpec => ({
  guid: `s${n}`,
  title: `Harbour story number ${n}: "quotes" & 3 < 5`,
  link: `https://news.example/${n}`,
  description: `<p>The harbour of town ${n} reopened on Monday, officials said.</p>`,
  pubDate: new Date(Date.UTC(2026, 10, 28, 8, n)),
});
const referenceItem: FeedItemSpec = {
  guid: "ref",
  title: REFERENCE_HEADLINE,
  link: "https://news.example/xinjiang",
  content: referenceArticleText().split("\n\n").slice(1).map((p) => `<p>${p}</p>`).join(""),
};

describe("publishing to the channel and alerting followers", () => {
  let t: TestBot;
  let server: Awaited<ReturnType<typeof startFeedServer>>;
  let ingest: IngestDeps;
  const deps = (overrides: { channelId?: string | undefined } = {}) => ({
    api: t.bot.api,
    store: t.store,
    templates,
    aliases,
    logger: t.logger,
    config: { ...t.config, ...("channelId" in overrides ? { channelId: overrides.channelId } : {}) },
  });
  const feed = async () => (await t.store.feeds.ensure([server.url("/rss")], "config"))[0]!;

  beforeEach(async () => {
    t = await startTestBot({ poll: false, env: { CHANNEL_ID: String(CHANNEL), POST_BATCH: "3", BROADCAST_RATE: "30" } });
    t.fake.addChat({ id: CHANNEL, type: "channel", title: "News" });
    server = await startFeedServer();
    ingest = { store: t.store, logger: t.logger, aliases, settings: { ...t.config.ingest, fullText: "never" } };
  });
  afterEach(async () => {
    await server.close();
    await t.stop();
  });

  it("posts nothing from backfill, then new items oldest first, POST_BATCH per tick, each once", async () => {
    server.route("/rss", serve(rssFeed("Harbour News", [story(1), story(2)])));
    await runFeed(await feed(), ingest);
    expect(await publishDue(deps())).toMatchObject({ posted: 0 });

    server.route("/rss", serve(rssFeed("Harbour News", [7, 6, 5, 4, 3, 2, 1].map(story))));
    await runFeed(await feed(), ingest);
    expect(await publishDue(deps())).toMatchObject({ posted: 3 });
    expect(await publishDue(deps())).toMatchObject({ posted: 2 });
    expect(await publishDue(deps())).toMatchObject({ posted: 0 });

    const posts = t.fake.sent(CHANNEL);
    expect(posts.map((p) => p.text.split("\n")[0])).toEqual([3, 4, 5, 6, 7].map((n) => `Harbour story number ${n}: "quotes" & 3 < 5`));
    expect(posts[0]?.links).toEqual(["https://news.example/3"]);
    expect(posts[0]?.linkPreviewOptions).toMatchObject({ url: "https://news.example/3" });
    expect(t.fake.stats.errors).toEqual([]);
    const [first] = await t.store.articles.queued(1);
    expect(await t.store.channel.messageIdOf(first!.id)).toBe(posts[0]?.messageId);
  });

  it("never posts an article twice, even when it crashed between claiming and recording", async () => {
    server.route("/rss", serve(rssFeed("Harbour News", [])));
    await runFeed(await feed(), ingest);
    server.route("/rss", serve(rssFeed("Harbour News", [story(1)])));
    await runFeed(await feed(), ingest);
    const [article] = await t.store.channel.due(1);
    await t.store.channel.claim(article!.id, String(CHANNEL), new Date()); // the crash: claimed, never recorded
    expect(await publishDue(deps())).toMatchObject({ posted: 0 });
    expect(t.fake.sent(CHANNEL)).toEqual([]);
  });

  it("retries a post that hit a network or server error on the next tick, and fails a rejected one for good", async () => {
    server.route("/rss", serve(rssFeed("Harbour News", [])));
    await runFeed(await feed(), ingest);
    server.route("/rss", serve(rssFeed("Harbour News", [story(1)])));
    await runFeed(await feed(), ingest);
    // Without auto-retry, so that the 502 reaches the publisher (the bot's API would retry it by itself).
    const bare = new Api(t.fake.token, { apiRoot: t.fake.apiRoot });
    t.fake.injectFault({ method: "sendMessage", status: 502, description: "Bad Gateway", times: 1 });
    expect(await publishDue({ ...deps(), api: bare })).toMatchObject({ posted: 0 });
    expect(await publishDue(deps())).toMatchObject({ posted: 1 });

    server.route("/rss", serve(rssFeed("Harbour News", [story(2), story(1)])));
    await runFeed(await feed(), ingest);
    t.fake.injectFault({ method: "sendMessage", status: 400, description: "Bad Request: can't parse entities: boom", times: 1 });
    expect(await publishDue(deps())).toMatchObject({ failed: 1 });
    expect(await publishDue(deps())).toMatchObject({ posted: 0, failed: 0 });
    expect(t.logs.some((line) => line.msg === "Telegram refused the channel post")).toBe(true);
  });

  it("sends exactly one alert to a follower of a matching topic, none to others, also without a channel", async () => {
    const follower = 501;
    const other = 502;
    const blocked = 503;
    for (const id of [follower, other, blocked]) {
      t.fake.addChat({ id, type: "private" });
      await t.store.chats.recordStart({ id, kind: "private" });
    }
    await t.store.subscriptions.follow(follower, "xinjiang", 50);
    await t.store.subscriptions.follow(follower, "uyghur", 50); // two matching topics, one alert
    await t.store.subscriptions.follow(other, "volcano", 50);
    await t.store.subscriptions.follow(blocked, "forced labour", 50);
    t.fake.block(blocked);

    server.route("/rss", serve(rssFeed("Wire", [story(1)])));
    await runFeed(await feed(), ingest);
    server.route("/rss", serve(rssFeed("Wire", [referenceItem, story(1)])));
    await runFeed(await feed(), ingest);

    expect(await publishDue(deps({ channelId: undefined }))).toMatchObject({ posted: 0, skipped: 1, alertsQueued: 2 });
    expect(await sendPendingAlerts(deps())).toEqual({ sent: 1, blocked: 1, failed: 0 });
    const alerts = t.fake.sent(follower);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.text).toMatch(/^🔔 New on (xinjiang|uyghur)/);
    expect(alerts[0]?.text).toContain(REFERENCE_HEADLINE);
    expect(t.fake.sent(other)).toEqual([]);
    expect((await t.store.chats.get(blocked))?.blockedAt).toBeInstanceOf(Date);

    // Nothing is sent twice, and the blocked user is not tried again.
    expect(await sendPendingAlerts(deps())).toEqual({ sent: 0, blocked: 0, failed: 0 });
    expect(t.fake.sent(CHANNEL)).toEqual([]);
  });
});
