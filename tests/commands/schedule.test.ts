import { Api } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { createDeliveryEngine, type DeliveryEngine } from "../../src/delivery/engine.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestBot, type TestBot } from "../support/harness.js";
import { OTHER_STORIES } from "../support/reference-article.js";
import { ADMIN, pressAs, sendAs } from "./admin-support.js";
import { buttonData, current, ingest, USER } from "./support.js";

const CHANNEL = -1001234567890;
const MINUTE = 60_000;

describe("/schedule", () => {
  let t: TestBot;
  let clock: FakeClock;
  let engine: DeliveryEngine;

  beforeEach(async () => {
    // 18:02 in Singapore (UTC+8). A date in the past: the engine, on the system clock, finds released rows due at once.
    clock = new FakeClock("2026-01-15T10:02:00Z");
    t = await startTestBot({
      clock,
      env: {
        ADMIN_IDS: String(ADMIN),
        CHANNEL_ID: String(CHANNEL),
        TIMEZONE: "Asia/Singapore",
        POLL_CRON: "*/5 * * * *",
        POST_CRON: "0 * * * *",
        DIGEST_CRON: "0 8 * * *",
        QUIET_HOURS: "23:00-07:00",
      },
    });
    t.fake.addChat({ id: CHANNEL, type: "channel", title: "News" });
    // The app's engine, as it runs beside the bot: it finds what Post now releases within its idle poll.
    const api = new Api(t.fake.token, { apiRoot: t.fake.apiRoot });
    const settings = { rate: 30, concurrency: 4, maxAttempts: 3, paidBroadcast: false };
    engine = createDeliveryEngine({
      api,
      store: t.store,
      logger: t.logger,
      settings,
      clock: systemClock,
      onFatal: (e) => expect.fail(e.message),
    });
    await engine.start();
  });
  afterEach(async () => {
    await engine.stop();
    await t.stop();
  });

  /** The stories, stored and queued in order, a minute apart; returns their ids. */
  async function queueStories(count: number): Promise<number[]> {
    const ids: number[] = [];
    for (const text of OTHER_STORIES.slice(0, count)) {
      const { article } = await ingest(t, text);
      expect(await t.store.articles.queue(article.id)).toBe("queued");
      ids.push(article.id);
      await clock.advance(MINUTE);
    }
    return ids;
  }
  const headlineOf = async (id: number) => (await t.store.articles.get(id))!.headline;
  const queuedIds = async () => (await t.store.articles.unreleased(10)).map((a) => a.id);

  it("lists each job's next run in TIMEZONE and the queued articles, with Post now and Skip", async () => {
    const [first, second] = await queueStories(2);
    const reply = await sendAs(t, ADMIN, "/schedule");
    const lines = reply.text.split("\n");
    expect(lines.slice(0, 6)).toEqual([
      "Schedule (times in Asia/Singapore)",
      "Feeds fetched next: 15 Jan 2026, 18:05 GMT+8",
      "Channel posts next: 15 Jan 2026, 19:00 GMT+8, up to 3 articles",
      "Digest next: 16 Jan 2026, 08:00 GMT+8",
      "Quiet hours: 23:00-07:00, posts and alerts go without a sound",
      "",
    ]);
    expect(lines.slice(6)).toEqual([
      "Queued for the channel",
      `1. ${await headlineOf(first!)} — news.example, queued 2 min ago`,
      `2. ${await headlineOf(second!)} — news.example, queued 1 min ago`,
    ]);
    expect(reply.buttons.map((row) => row.map((b) => [b.text, b.callbackData]))).toEqual([
      [
        ["▶ Post 1 now", `1:p:${first}`],
        ["✕ Skip 1", `1:k:${first}`],
      ],
      [
        ["▶ Post 2 now", `1:p:${second}`],
        ["✕ Skip 2", `1:k:${second}`],
      ],
    ]);
  });

  it("Post now posts the article to the channel once, however often it is pressed", async () => {
    const [first, second] = await queueStories(2);
    const reply = await sendAs(t, ADMIN, "/schedule");
    const postNow = buttonData(reply, /Post 1/)!;

    expect(await pressAs(t, ADMIN, postNow, reply.messageId)).toBe(`Released: "${await headlineOf(first!)}" goes to the channel now.`);
    await t.fake.waitForSent(CHANNEL, 1);
    expect(t.fake.sent(CHANNEL)[0]?.text.split("\n")[0]).toBe(await headlineOf(first!));
    expect(await queuedIds()).toEqual([second]);
    // The list shows what is still queued.
    expect(current(t, reply, ADMIN).text).toContain(`1. ${await headlineOf(second!)}`);
    expect(current(t, reply, ADMIN).text).not.toContain(await headlineOf(first!));

    // A second press of the old button, then the scheduled publisher's view of the queue: nothing is posted again.
    expect(await pressAs(t, ADMIN, postNow, reply.messageId)).toBe(`"${await headlineOf(first!)}" was already released to the channel.`);
    engine.notify();
    await engine.idle();
    expect(t.fake.sent(CHANNEL)).toHaveLength(1);
    expect((await t.store.outbox.counts(first)).sent).toBe(1);
  });

  it("Skip takes the article out of the queue without posting it; it stays stored and searchable", async () => {
    const [first, second] = await queueStories(2);
    const reply = await sendAs(t, ADMIN, "/schedule");
    const skip = buttonData(reply, /Skip 1/)!;

    expect(await pressAs(t, ADMIN, skip, reply.messageId)).toBe(
      `Skipped: "${await headlineOf(first!)}" left the queue and stays searchable.`,
    );
    expect(await queuedIds()).toEqual([second]);
    expect(await pressAs(t, ADMIN, skip, reply.messageId)).toBe(`"${await headlineOf(first!)}" is no longer queued.`);
    // Post now on a skipped article posts nothing either.
    expect(await pressAs(t, ADMIN, `1:p:${first}`, reply.messageId)).toBe(`"${await headlineOf(first!)}" is no longer queued.`);

    engine.notify();
    await engine.idle();
    expect(t.fake.sent(CHANNEL)).toEqual([]);
    const stored = await t.store.articles.get(first!);
    expect(stored).toMatchObject({ queuedAt: undefined, releasedAt: undefined });
    const hits = await t.store.articles.search(`"${stored!.headline.split(" ")[0]!}"`, { limit: 10, offset: 0 });
    expect(hits.map((hit) => hit.article.id)).toContain(first);
  });

  it("refuses a reader: /schedule reveals nothing, and Post now and Skip change nothing", async () => {
    const [first] = await queueStories(1);
    const reply = await sendAs(t, USER, "/schedule");
    expect(reply.text).toBe("This is for the newsroom's editors.");
    expect(reply.buttons).toEqual([]);

    // Forged presses in the reader's own chat, on the last message the bot sent there.
    for (const data of [`1:p:${first}`, `1:k:${first}`]) {
      expect(await pressAs(t, USER, data, reply.messageId)).toBe("This button is not for you.");
    }
    engine.notify();
    await engine.idle();
    expect(await queuedIds()).toEqual([first]);
    expect(t.fake.sent(CHANNEL)).toEqual([]);
  });
});
