import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startApp, type RunningApp } from "../src/app.js";
import { systemClock } from "../src/clock.js";
import { loadConfig } from "../src/config/index.js";
import { openStore } from "../src/store/index.js";
import { captureLogger } from "./support/capture-logger.js";
import { FakeTelegram } from "../src/sandbox/fake-telegram/index.js";
import { rssFeed, serve, startFeedServer } from "./support/feed-server.js";
import { freePort } from "./support/free-port.js";
import { makeTempDir } from "./support/temp-dir.js";

const CHANNEL = -1009876543210;
const item = (n: number) => ({
  guid: `n${n}`,
  title: `Council approves budget number ${n}`,
  link: `https://city.example/${n}`,
  description: "The council voted on Tuesday.",
});

describe("the whole app on a schedule (fake Telegram, loopback feed)", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("posts new feed items to the channel once, on schedule, and nothing twice after a restart", async () => {
    const fake = await FakeTelegram.start();
    fake.addChat({ id: CHANNEL, type: "channel", title: "City News" });
    const feeds = await startFeedServer({ "/rss": serve(rssFeed("City Hall", [item(1), item(2)])) });
    const dir = makeTempDir();
    cleanups.push(
      () => fake.close(),
      () => feeds.close(),
      dir.remove,
    );
    const config = loadConfig({
      BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      CHANNEL_ID: String(CHANNEL),
      DATABASE_URL: `file:${join(dir.path, "news.db")}`,
      FEEDS: feeds.url("/rss"),
      POLL_CRON: "* * * * * *",
      POST_CRON: "* * * * * *",
      FETCH_FULL_TEXT: "never",
    });
    const fatals: Error[] = [];
    const start = async () => {
      const app: RunningApp = await startApp(config, captureLogger("warn").logger, {
        clock: systemClock,
        onFatal: (error) => fatals.push(error),
      });
      cleanups.push(() => app.stop());
      return app;
    };

    // Read from outside, as `npm run deliveries` does: the job's last run and the outbox.
    const outside = openStore(config.database, systemClock);
    cleanups.push(() => outside.close());
    /** Resolves once a publish run (a POST_CRON tick) that started after `after` has finished. */
    const publishRunAfter = (after: number) =>
      expect.poll(async () => (await outside.jobs.lastRun("publish"))?.getTime() ?? 0, { timeout: 10_000 }).toBeGreaterThan(after);

    let app = await start();
    await expect.poll(() => feeds.hits("/rss"), { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    await publishRunAfter(Date.now());
    expect(fake.sent(CHANNEL)).toEqual([]); // the first fetch was backfill
    expect(await outside.outbox.counts()).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0, blocked: 0, cancelled: 0 });

    feeds.route("/rss", serve(rssFeed("City Hall", [item(3), item(1), item(2)])));
    await fake.waitForSent(CHANNEL, 1, 8_000);
    expect(fake.sent(CHANNEL)[0]?.text).toMatch(/^Council approves budget number 3\n/);

    await app.stop();
    cleanups.pop();
    app = await start();
    const hitsAtRestart = feeds.hits("/rss");
    // The second fetch after the restart starts once the first, which saw item 3 again, has stored what it found.
    await expect.poll(() => feeds.hits("/rss"), { timeout: 5_000 }).toBeGreaterThan(hitsAtRestart + 1);
    await publishRunAfter(Date.now());
    // A second release would show here at once (pending, sending or sent twice), before the engine sends it.
    expect(await outside.outbox.counts()).toEqual({ pending: 0, sending: 0, sent: 1, failed: 0, blocked: 0, cancelled: 0 });
    expect(fake.sent(CHANNEL)).toHaveLength(1);
    expect(fake.stats.errors).toEqual([]);
    expect(await outside.articles.count()).toBe(3);
    expect(fatals).toEqual([]);
  });
});

describe("webhook mode", () => {
  it("takes updates over HTTP with the secret, refuses them without, and answers /healthz", async () => {
    const port = await freePort();
    const fake = await FakeTelegram.start();
    const dir = makeTempDir();
    const config = loadConfig({
      BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATABASE_URL: `file:${join(dir.path, "news.db")}`,
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://bot.example/telegram",
      WEBHOOK_SECRET: "webhook-secret-0123456789abcdef",
      PORT: String(port),
    });
    const fatals: Error[] = [];
    const app = await startApp(config, captureLogger("warn").logger, { clock: systemClock, onFatal: (error) => fatals.push(error) });
    try {
      const update = {
        update_id: 1,
        message: {
          message_id: 1,
          date: 0,
          chat: { id: 77, type: "private", first_name: "W" },
          from: { id: 77, is_bot: false, first_name: "W" },
          text: "/help",
          entities: [{ type: "bot_command", offset: 0, length: 5 }],
        },
      };
      fake.addChat({ id: 77, type: "private" });
      const post = (secret?: string) =>
        fetch(`http://127.0.0.1:${port}/telegram`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}) },
          body: JSON.stringify(update),
        });
      expect((await post()).status).toBe(401);
      expect((await post("wrong")).status).toBe(401);
      expect((await post("webhook-secret-0123456789abcdef")).status).toBe(200);
      const [reply] = await fake.waitForSent(77, 1);
      expect(reply?.text).toMatch(/^Commands/);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect(fatals).toEqual([]);
    } finally {
      await app.stop();
      await fake.close();
      dir.remove();
    }
  });
});
