import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { createFeedPoller } from "../../src/schedule/feed-poller.js";
import { loadTemplates } from "../../src/texts.js";
import { loadAliasMap } from "../../src/topics/index.js";
import { captureLogger } from "../support/capture-logger.js";
import { FakeClock } from "../support/fake-clock.js";
import { rssFeed, serve, startFeedServer } from "../support/feed-server.js";
import { makeTempStore } from "../support/temp-store.js";

const settings = { ...loadConfig({ BOT_TOKEN: "123456:TEST-TOKEN-abc" }).ingest, timeoutMs: 3_000, fullText: "never" as const };
const item = (n: number) => ({
  guid: `g${n}`,
  title: `Headline ${n} for the poller test`,
  link: `https://p.example/${n}`,
  description: "Text.",
});

describe("the feed poller", () => {
  let server: Awaited<ReturnType<typeof startFeedServer>>;
  let temp: ReturnType<typeof makeTempStore>;
  let clock: FakeClock;
  beforeEach(async () => {
    server = await startFeedServer();
    temp = makeTempStore();
    clock = new FakeClock();
  });
  afterEach(async () => {
    await server.close();
    await temp.dispose();
  });

  const poller = (urls: string[]) =>
    createFeedPoller({ store: temp.store, logger: captureLogger().logger, aliases: loadAliasMap(), settings, clock }, urls);

  it("does not let a slow feed hold up the others", async () => {
    let releaseSlow: () => void = () => undefined;
    server.route("/slow", (_req, res) => {
      releaseSlow = () => res.writeHead(200, { "content-type": "application/rss+xml" }).end(rssFeed("Slow", [item(1)]));
    });
    server.route("/fast", serve(rssFeed("Fast", [item(2)])));
    const running = poller([server.url("/slow"), server.url("/fast")]).poll();
    await expect.poll(async () => (await temp.store.feeds.list()).find((f) => f.url.endsWith("/fast"))?.lastSuccessAt).toBeInstanceOf(Date);
    expect((await temp.store.feeds.list()).find((f) => f.url.endsWith("/slow"))?.lastSuccessAt).toBeUndefined();
    releaseSlow();
    const results = await running;
    expect(results.map((r) => r.status)).toEqual(["ok", "ok"]);
  });

  it("skips a failing feed until its backoff has passed on the clock, and keeps polling the good ones", async () => {
    server.route("/good", serve(rssFeed("Good", [item(1)])));
    const p = poller([server.url("/broken"), server.url("/good")]);
    const first = await p.poll();
    expect(first.map((r) => r.status)).toEqual(["failed", "ok"]);
    await clock.advance(59_000);
    const second = await p.poll();
    expect(second.map((r) => r.status)).toEqual(["ok"]);
    expect(server.hits("/broken")).toBe(1);
    await clock.advance(1_000); // the first retry comes a minute after the failure
    const third = await p.poll();
    expect(third.map((r) => r.status)).toEqual(["failed", "ok"]);
    expect(server.hits("/broken")).toBe(2);
  });
});

describe("the feed poller, stopping and changing FEEDS", () => {
  it("ends a hanging fetch at once when the bot stops, without counting it against the feed", async () => {
    const server = await startFeedServer({ "/hang": () => undefined });
    const temp = makeTempStore();
    const stopping = new AbortController();
    const clock = new FakeClock();
    try {
      const poller = createFeedPoller(
        {
          store: temp.store,
          logger: captureLogger().logger,
          aliases: loadAliasMap(),
          settings: { ...settings, timeoutMs: 60_000 },
          signal: stopping.signal,
          clock,
        },
        [server.url("/hang")],
      );
      const running = poller.poll();
      await expect.poll(() => server.hits("/hang")).toBe(1);
      stopping.abort();
      expect(await running).toEqual([expect.objectContaining({ status: "failed", reason: "stopped" })]);
      expect((await temp.store.feeds.list())[0]?.failures).toBe(0);
    } finally {
      await server.close();
      await temp.dispose();
    }
  });

  it("stops fetching a feed taken out of FEEDS", async () => {
    const server = await startFeedServer({ "/a": serve(rssFeed("A", [item(1)])), "/b": serve(rssFeed("B", [item(2)])) });
    const temp = makeTempStore();
    try {
      const deps = { store: temp.store, logger: captureLogger().logger, aliases: loadAliasMap(), settings, clock: new FakeClock() };
      await createFeedPoller(deps, [server.url("/a"), server.url("/b")]).poll();
      await createFeedPoller(deps, [server.url("/b")]).poll();
      expect([server.hits("/a"), server.hits("/b")]).toEqual([1, 2]);
    } finally {
      await server.close();
      await temp.dispose();
    }
  });
});

describe("feed health alerts", () => {
  const ADMINS = [7, 8];
  it("tells each admin once when a feed has failed FEED_ALERT_AFTER polls in a row, and once when it recovers", async () => {
    const server = await startFeedServer();
    const clock = new FakeClock();
    const temp = makeTempStore(clock);
    try {
      const deps = {
        store: temp.store,
        logger: captureLogger().logger,
        aliases: loadAliasMap(),
        settings: { ...settings, alertAfter: 3 },
        clock,
        alerts: { adminIds: ADMINS, templates: loadTemplates() },
      };
      const poller = createFeedPoller(deps, [server.url("/flaky")]);
      /** What the engine would send now, sent: [chat, text] of each queued message. */
      const sendQueued = async () => {
        const sent: [string, string][] = [];
        for (;;) {
          const rows = await temp.store.outbox.ready(new Date(clock.now()), 100);
          if (rows.length === 0) return sent;
          for (const row of rows) {
            expect(await temp.store.outbox.claim(row.id)).toMatchObject({ id: row.id });
            await temp.store.outbox.markSent(row.id, row.id, new Date(clock.now()));
            expect(row.kind).toBe("alert");
            sent.push([row.chatId, row.payload.text]);
          }
        }
      };
      /** One poll, then past the longest backoff (6 hours), so that the next poll fetches the feed again. */
      const pollOnce = async () => {
        const [result] = await poller.poll();
        await clock.advance(6 * 3_600_000);
        return result?.status;
      };

      for (const expected of [0, 0, 2, 0, 0]) {
        expect(await pollOnce()).toBe("failed");
        const sent = await sendQueued();
        expect(sent).toHaveLength(expected);
        if (expected === 0) continue;
        expect(sent.map(([chat]) => chat)).toEqual(["7", "8"]);
        expect(sent[0]?.[1]).toContain("has failed 3 polls in a row");
        expect(sent[0]?.[1]).toContain(server.url("/flaky"));
      }

      server.route("/flaky", serve(rssFeed("Flaky News", [item(1)])));
      expect(await pollOnce()).toBe("ok");
      const recovered = await sendQueued();
      expect(recovered.map(([chat]) => chat)).toEqual(["7", "8"]);
      expect(recovered[0]?.[1]).toMatch(/Flaky News.*works again/);
      expect(await pollOnce()).toBe("ok");
      expect(await sendQueued()).toEqual([]);

      // A second streak is news again: told once more.
      server.route("/flaky", serve("nope", "text/plain"));
      const streak: number[] = [];
      for (let i = 0; i < 4; i++) {
        await pollOnce();
        streak.push((await sendQueued()).length);
      }
      expect(streak).toEqual([0, 0, 2, 0]);
    } finally {
      await server.close();
      await temp.dispose();
    }
  });
});
