import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { openStore } from "../../src/store/index.js";
import { FakeClock } from "../support/fake-clock.js";
import { rssFeed, serve, startFeedServer } from "../support/feed-server.js";
import { freePort } from "../support/free-port.js";
import { addReaders, enqueueAlerts } from "../support/outbox-fixtures.js";
import { makeTempDir } from "../support/temp-dir.js";
import { useAppBed } from "./start-app.js";

const USER = 41;

/** One sample of the Prometheus text: the value of `name` with exactly these labels; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .sort()
    .join(",");
  for (const line of text.split("\n")) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? "").split(",").filter(Boolean).sort().join(",");
    if (have === wanted) return Number(match[3]);
  }
  return undefined;
}

const GROUP = -4001;
const get = (port: number, path: string, method = "GET") => fetch(`http://127.0.0.1:${port}${path}`, { method });

describe("health and metrics in polling mode (HEALTH_PORT)", () => {
  const bed = useAppBed();

  it("/healthz answers 200 while Telegram answers, and 503 once it has not answered for 2 minutes (fake clock)", async () => {
    const clock = new FakeClock();
    const fake = await bed.fakeTelegram();
    fake.addChat({ id: USER, type: "private" });
    const port = await freePort();
    await bed.startApp(fake, { HEALTH_PORT: String(port) }, clock);
    await fake.waitFor(() => fake.stats.byMethod.getUpdates === 1);

    const ok = await get(port, "/healthz");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      status: "ok",
      reasons: [],
      database: "ok",
      telegramAnsweredSecondsAgo: 0,
      engine: "running",
      outboxPending: 0,
    });

    // The reply goes out before the outage: updates are handled while the next getUpdates runs, and a reply that got
    // through in the middle of the outage would count as Telegram answering (as in outage.test.ts).
    fake.pushMessage({ userId: USER, text: "/help" });
    await fake.waitForSent(USER, 1);
    await fake.waitFor(() => (fake.stats.byMethod.getUpdates ?? 0) >= 2);
    const outage = fake.injectFault({ method: "getUpdates", reset: true });
    // The long poll in progress ends with this update, which needs no answer (talk in a group); the getUpdates after it
    // meet the outage.
    fake.pushMessage({ userId: USER, chatId: GROUP, chatType: "group", text: "good morning" });
    await fake.waitFor(() => outage.hits >= 1, 10_000);
    await clock.advance(119_000);
    const late = await get(port, "/healthz");
    expect(late.status).toBe(200);
    expect(await late.json()).toMatchObject({ status: "ok", telegramAnsweredSecondsAgo: 119 });

    await clock.advance(2_000);
    const down = await get(port, "/healthz");
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      status: "failing",
      reasons: ["the Bot API has not answered for 121 s"],
      database: "ok",
      engine: "running",
    });

    outage.remove();
    // The long poll that gets through answers when an update comes. getUpdates is tried again after networkRetry's
    // waits (on the clock) and grammY's own 3 s (real time): both move on.
    fake.pushMessage({ userId: USER, text: "/help" });
    const recovered = async () => {
      await clock.advance(1_000);
      return (await get(port, "/healthz")).status;
    };
    await expect.poll(recovered, { timeout: 15_000, interval: 200 }).toBe(200);
  });

  it("serves only GET /healthz and /metrics on HEALTH_PORT, on 127.0.0.1 by default", async () => {
    const fake = await bed.fakeTelegram();
    const port = await freePort();
    const t = await bed.startApp(fake, { HEALTH_PORT: String(port) });
    expect((await get(port, "/metrics")).status).toBe(200);
    expect((await get(port, "/")).status).toBe(404);
    expect((await get(port, "/healthz", "POST")).status).toBe(405);
    expect(t.logs.find((line) => line.msg === "serving /healthz and /metrics")).toMatchObject({ host: "127.0.0.1", port });
  });

  it("/metrics counts updates by command, sends by kind and result, the outbox by state and feed fetches by result", async () => {
    const fake = await bed.fakeTelegram();
    fake.addChat({ id: USER, type: "private" });
    const feeds = await startFeedServer({ "/ok.xml": serve(rssFeed("Harbour news", [{ guid: "h1", title: "Harbour reopens" }])) });
    // A database that has three alerts waiting, one of them to a reader who blocked the bot.
    const dir = makeTempDir();
    const database = join(dir.path, "news.db");
    const store = openStore({ kind: "sqlite", path: database }, systemClock);
    const readers = await addReaders(store, fake, 3);
    await enqueueAlerts(store, readers, new Date());
    await store.close();
    fake.block(readers[2] ?? 0);
    // The first send meets flood control: counted as a 429, then sent after retry_after.
    fake.injectFault({ method: "sendMessage", status: 429, description: "Too Many Requests: retry after 1", retryAfter: 1, times: 1 });
    const port = await freePort();
    const t = await bed.startApp(fake, {
      DATABASE_URL: `file:${database}`,
      FEEDS: `${feeds.url("/ok.xml")},${feeds.url("/missing.xml")}`,
      HEALTH_PORT: String(port),
    });
    try {
      for (const id of readers.slice(0, 2)) await fake.waitForSent(id, 1, 10_000);
      for (const text of ["/help", "/help", "/start", "hello", "/nosuchcommand"]) fake.pushMessage({ userId: USER, text });
      await fake.waitForSent(USER, 5, 10_000);
      fake.pushCallbackQuery({ userId: USER, data: "no-such-button" });

      // The feed poll runs at start; its outcome is counted when both feeds are done.
      let text = "";
      const scrape = async () => {
        text = await (await get(port, "/metrics")).text();
        return [
          sample(text, "newsdesk_feed_fetches_total", { result: "failed" }),
          sample(text, "newsdesk_updates_total", { command: "callback" }),
        ];
      };
      await expect.poll(scrape, { timeout: 10_000 }).toEqual([1, 1]);
      expect(sample(text, "newsdesk_feed_fetches_total", { result: "ok" })).toBe(1);
      expect(sample(text, "newsdesk_updates_total", { command: "help" })).toBe(2);
      expect(sample(text, "newsdesk_updates_total", { command: "start" })).toBe(1);
      expect(sample(text, "newsdesk_updates_total", { command: "text" })).toBe(1);
      expect(sample(text, "newsdesk_updates_total", { command: "unknown" })).toBe(1);
      expect(sample(text, "newsdesk_update_duration_seconds_count", { command: "help" })).toBe(2);
      expect(sample(text, "newsdesk_messages_total", { kind: "alert", result: "sent" })).toBe(2);
      expect(sample(text, "newsdesk_messages_total", { kind: "alert", result: "blocked" })).toBe(1);
      expect(sample(text, "newsdesk_messages_total", { kind: "alert", result: "429" })).toBe(1);
      expect(sample(text, "newsdesk_outbox_messages", { state: "sent" })).toBe(2);
      expect(sample(text, "newsdesk_outbox_messages", { state: "blocked" })).toBe(1);
      expect(sample(text, "newsdesk_outbox_messages", { state: "pending" })).toBe(0);
    } finally {
      await t.stop();
      await feeds.close();
      dir.remove();
    }
  });

  it("/metrics counts the 429s the bot's replies meet under kind reply", async () => {
    const fake = await bed.fakeTelegram();
    fake.addChat({ id: USER, type: "private" });
    const port = await freePort();
    await bed.startApp(fake, { HEALTH_PORT: String(port) });
    // The reply meets flood control once, and is sent after retry_after by auto-retry.
    fake.injectFault({ method: "sendMessage", status: 429, description: "Too Many Requests: retry after 1", retryAfter: 1, times: 1 });
    fake.pushMessage({ userId: USER, text: "/help" });
    await fake.waitForSent(USER, 1, 10_000);
    const text = await (await get(port, "/metrics")).text();
    expect(sample(text, "newsdesk_messages_total", { kind: "reply", result: "429" })).toBe(1);
  });
});
