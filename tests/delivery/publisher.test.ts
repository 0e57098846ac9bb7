import { systemClock } from "../../src/clock.js";
import { Api } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Clock } from "../../src/clock.js";
import { publishDue, releaseArticle } from "../../src/delivery/channel-publisher.js";
import { createDeliveryEngine, type DeliveryEngine } from "../../src/delivery/engine.js";
import { loadTemplates } from "../../src/texts.js";
import { runFeed, type IngestDeps } from "../../src/ingest/feed-run.js";
import { loadAliasMap } from "../../src/topics/index.js";
import { FakeClock } from "../support/fake-clock.js";
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
  content: referenceArticleText()
    .split("\n\n")
    .slice(1)
    .map((p) => `<p>${p}</p>`)
    .join(""),
};

describe("publishing: news → outbox → channel and followers", () => {
  let t: TestBot;
  let server: Awaited<ReturnType<typeof startFeedServer>>;
  let ingest: IngestDeps;
  let engine: DeliveryEngine;
  const publisher = ({ withChannel = true, clock = t.clock }: { withChannel?: boolean; clock?: Clock } = {}) => ({
    store: t.store,
    templates,
    aliases,
    logger: t.logger,
    clock,
    config: { ...t.config, channelId: withChannel ? String(CHANNEL) : undefined },
  });
  const stored = async (headline: RegExp) => (await t.store.articles.latest(20)).find((a) => headline.test(a.headline));
  const feed = async () => (await t.store.feeds.ensure([server.url("/rss")], "config"))[0]!;
  const deliver = async () => {
    engine.notify();
    await engine.idle();
  };

  beforeEach(async () => {
    t = await startTestBot({ poll: false, env: { CHANNEL_ID: String(CHANNEL), POST_BATCH: "3", BROADCAST_RATE: "30" } });
    t.fake.addChat({ id: CHANNEL, type: "channel", title: "News" });
    server = await startFeedServer();
    ingest = { store: t.store, logger: t.logger, aliases, settings: { ...t.config.ingest, fullText: "never" }, clock: systemClock };
    const api = new Api(t.fake.token, { apiRoot: t.fake.apiRoot });
    engine = createDeliveryEngine({
      api,
      store: t.store,
      logger: t.logger,
      settings: { rate: 30, concurrency: 4, maxAttempts: 3, paidBroadcast: false },
      clock: systemClock,
      onFatal: (error) => {
        throw error;
      },
    });
    await engine.start();
  });
  afterEach(async () => {
    await engine.stop();
    await server.close();
    await t.stop();
  });

  it("posts nothing from backfill, then new items oldest first, POST_BATCH per tick, each once", async () => {
    server.route("/rss", serve(rssFeed("Harbour News", [story(1), story(2)])));
    await runFeed(await feed(), ingest);
    expect(await publishDue(publisher())).toMatchObject({ released: 0 });

    server.route("/rss", serve(rssFeed("Harbour News", [7, 6, 5, 4, 3, 2, 1].map(story))));
    await runFeed(await feed(), ingest);
    // A time in the past: the engine, on the system clock, finds the released rows due at once.
    const clock = new FakeClock("2026-01-02T03:04:05Z");
    expect(await publishDue(publisher({ clock }))).toMatchObject({ released: 3, posts: 3 });
    expect((await stored(/number 3:/))?.releasedAt).toEqual(new Date("2026-01-02T03:04:05Z"));
    expect(await publishDue(publisher())).toMatchObject({ released: 2, posts: 2 });
    expect(await publishDue(publisher())).toMatchObject({ released: 0 });
    await deliver();

    const posts = t.fake.sent(CHANNEL);
    expect(posts.map((p) => p.text.split("\n")[0])).toEqual([3, 4, 5, 6, 7].map((n) => `Harbour story number ${n}: "quotes" & 3 < 5`));
    expect(posts[0]?.links).toEqual(["https://news.example/3"]);
    expect(posts[0]?.linkPreviewOptions).toMatchObject({ url: "https://news.example/3" });
    expect(t.fake.stats.errors).toEqual([]);
    const first = await stored(/number 3:/);
    expect(await t.store.outbox.channelMessageId(first!.id)).toBe(posts[0]?.messageId);

    // As at a restart (recovery of anything left in flight, then the next tick): nothing is released or posted again.
    await t.store.outbox.recoverInterrupted();
    expect(await publishDue(publisher())).toMatchObject({ released: 0 });
    await deliver();
    expect(t.fake.sent(CHANNEL)).toHaveLength(5);
  });

  it("releases an article once, whoever comes first: a tick that read it before a push released it adds nothing", async () => {
    server.route("/rss", serve(rssFeed("Harbour News", [story(1)])));
    await runFeed(await feed(), ingest);
    server.route("/rss", serve(rssFeed("Harbour News", [story(2), story(1)])));
    await runFeed(await feed(), ingest);
    // The tick read the article while it was still unreleased...
    const [article] = await t.store.articles.unreleased(1);
    // ...then an editor's push (or Post now) released it first.
    expect(await t.store.outbox.release(article!.id, [], new Date(t.clock.now()))).toBe(true);
    expect(await releaseArticle(article!, publisher(), [])).toBeUndefined();
    expect(await t.store.outbox.counts(article!.id)).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0, blocked: 0, cancelled: 0 });
  });

  it("releases as a push: the post ahead of the queue, the followers alerted only when asked, silent (alerts too) when told", async () => {
    const follower = 501;
    t.fake.addChat({ id: follower, type: "private" });
    await t.store.chats.recordStart({ id: follower, kind: "private" });
    await t.store.subscriptions.follow(follower, "xinjiang", 50);
    await t.store.subscriptions.follow(follower, "harbour", 50);
    server.route("/rss", serve(rssFeed("Wire", [referenceItem, story(1)])));
    await runFeed(await feed(), ingest);
    const reference = (await stored(/^UK report over Xinjiang/))!;
    const topics = await t.store.subscriptions.distinctTopics();

    expect(await releaseArticle(reference, publisher(), topics, { kind: "push", alerts: false, silent: false })).toEqual({
      posts: 1,
      alerts: 0,
    });
    const [post] = await t.store.outbox.ready(new Date(t.clock.now()), 10);
    expect(post).toMatchObject({ kind: "push", priority: 0, payload: { silent: false } });
    await deliver();
    const silenced = (chatId: number) => t.fake.sent(chatId).map((m) => m.params.disable_notification === true);
    expect(silenced(CHANNEL)).toEqual([false]);
    expect(t.fake.sent(follower)).toEqual([]);

    const harbour = (await stored(/^Harbour story number 1/))!;
    expect(await releaseArticle(harbour, publisher(), topics, { kind: "push", alerts: true, silent: true })).toEqual({
      posts: 1,
      alerts: 1,
    });
    await deliver();
    expect(silenced(CHANNEL)).toEqual([false, true]);
    expect(silenced(follower)).toEqual([true]);
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

    expect(await publishDue(publisher({ withChannel: false }))).toMatchObject({ released: 1, posts: 0, alerts: 2 });
    await deliver();
    const alerts = t.fake.sent(follower);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.text).toMatch(/^🔔 New on (xinjiang|uyghur)/);
    expect(alerts[0]?.text).toContain(REFERENCE_HEADLINE);
    expect(t.fake.sent(other)).toEqual([]);
    expect(t.fake.sent(CHANNEL)).toEqual([]);
    expect((await t.store.chats.get(blocked))?.blockedAt).toBeInstanceOf(Date);
    const article = await stored(/^UK report over Xinjiang/);
    expect(await t.store.outbox.counts(article!.id)).toEqual({ pending: 0, sending: 0, sent: 1, failed: 0, blocked: 1, cancelled: 0 });

    // A second matching article: the blocked follower is not tried again.
    server.route(
      "/rss",
      serve(
        rssFeed("Wire", [
          { ...referenceItem, guid: "ref2", link: "https://news.example/xinjiang-2", title: "Xinjiang: second report on forced labour" },
          referenceItem,
          story(1),
        ]),
      ),
    );
    await runFeed(await feed(), ingest);
    expect(await publishDue(publisher({ withChannel: false }))).toMatchObject({ released: 1, alerts: 1 });
    await deliver();
    expect(t.fake.sent(follower)).toHaveLength(2);
    expect(t.fake.stats.errors.filter((e: { status: number }) => e.status === 403)).toHaveLength(1);
  });
});
