import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { runFeed, type IngestDeps } from "../../src/ingest/feed-run.js";
import { loadAliasMap } from "../../src/topics/index.js";
import { captureLogger } from "../support/capture-logger.js";
import { FakeClock } from "../support/fake-clock.js";
import { rssFeed, serve, startFeedServer, type FeedItemSpec, type Route } from "../support/feed-server.js";
import { makeTempStore } from "../support/temp-store.js";

const settings = {
  ...loadConfig({ BOT_TOKEN: "123456:TEST-TOKEN-abc" }).ingest,
  timeoutMs: 1_000,
  maxBytes: 5_000_000,
  fullText: "never" as const,
};
const aliases = loadAliasMap();
const story = (n: number, extra: Partial<FeedItemSpec> = {}): FeedItemSpec => ({
  guid: `story-${n}`,
  title: `Story number ${n} about the harbour in town ${n}`,
  link: `https://news.example/story-${n}?utm_source=rss`,
  description: `<p>The harbour of town ${n} reopened on Monday after repairs, officials said.</p>`,
  ...extra,
});

describe("runFeed", () => {
  let server: Awaited<ReturnType<typeof startFeedServer>>;
  let temp: ReturnType<typeof makeTempStore>;
  let deps: IngestDeps;
  let logs: Record<string, unknown>[];
  let clock: FakeClock;
  beforeEach(async () => {
    clock = new FakeClock();
    server = await startFeedServer();
    temp = makeTempStore();
    const captured = captureLogger();
    logs = captured.lines;
    deps = {
      get store() {
        return temp.store;
      },
      logger: captured.logger,
      aliases,
      settings,
      clock,
    };
  });
  afterEach(async () => {
    await server.close();
    await temp.dispose();
  });

  const feedAt = async (path: string) =>
    (await temp.store.feeds.ensure([server.url(path)], "config")).find((f) => f.url === server.url(path))!;

  it("stores the first fetch as backfill, queues only later items as news, once, across restarts", async () => {
    server.route("/rss", serve(rssFeed("Harbour News", [story(1), story(2)])));
    const first = await runFeed(await feedAt("/rss"), deps);
    expect(first).toMatchObject({ status: "ok", items: 2, added: 2, queued: 0, backfill: true });
    expect(await temp.store.articles.unreleased(10)).toEqual([]);
    expect(await temp.store.articles.count()).toBe(2);

    server.route("/rss", serve(rssFeed("Harbour News", [story(3), story(1), story(2)])));
    const second = await runFeed(await feedAt("/rss"), deps);
    expect(second).toMatchObject({ status: "ok", items: 3, added: 1, queued: 1, seen: 2, backfill: false });
    const queued = await temp.store.articles.unreleased(10);
    expect(queued.map((a) => a.headline)).toEqual([story(3).title]);
    expect(queued[0]?.link).toBe("https://news.example/story-3");
    expect(queued[0]?.source).toBe("Harbour News");

    await temp.reopen(); // a restart
    server.route("/rss", serve(rssFeed("Harbour News", [story(3, { guid: undefined }), story(1), story(2)])));
    const third = await runFeed(await feedAt("/rss"), deps);
    expect(third).toMatchObject({ status: "ok", added: 0, queued: 0, seen: 3 });
    expect(await temp.store.articles.count()).toBe(3);
    expect((await temp.store.articles.unreleased(10)).length).toBe(1);
  });

  it("stores the same story from two feeds once, with both sources, and queues it once", async () => {
    server.route("/a", serve(rssFeed("Wire A", [story(1)])));
    server.route("/b", serve(rssFeed("Paper B", [story(2)])));
    await runFeed(await feedAt("/a"), deps);
    await runFeed(await feedAt("/b"), deps);
    const headline = "Earthquake of magnitude 6.1 shakes central Chile, no damage reported";
    server.route(
      "/a",
      serve(rssFeed("Wire A", [{ guid: "a-9", title: headline, link: "https://wire-a.example/quake", description: "A quake hit." }])),
    );
    server.route(
      "/b",
      serve(
        rssFeed("Paper B", [
          { guid: "b-77", title: `${headline.toUpperCase()} - Paper B`, link: "https://paper-b.example/q", description: "Quake." },
        ]),
      ),
    );
    expect(await runFeed(await feedAt("/a"), deps)).toMatchObject({ added: 1, queued: 1 });
    expect(await runFeed(await feedAt("/b"), deps)).toMatchObject({ added: 0, merged: 1 });
    const queued = await temp.store.articles.unreleased(10);
    expect(queued).toHaveLength(1);
    expect(queued[0]?.sources).toEqual(["Wire A", "Paper B"]);
  });

  it("keeps one feed's repeated headline as two stories, and never merges headlines without words", async () => {
    server.route("/a", serve(rssFeed("Wire A", [])));
    server.route("/b", serve(rssFeed("Paper B", [])));
    await runFeed(await feedAt("/a"), deps);
    await runFeed(await feedAt("/b"), deps);
    const live = (n: number) => ({
      guid: `live-${n}`,
      title: "Live updates",
      link: `https://wire-a.example/live-${n}`,
      description: `Update ${n}.`,
    });
    server.route(
      "/a",
      serve(rssFeed("Wire A", [live(2), live(1), { guid: "e1", title: "🔥🔥", link: "https://wire-a.example/e1", description: "Fire." }])),
    );
    server.route(
      "/b",
      serve(rssFeed("Paper B", [{ guid: "e2", title: "🔥🔥", link: "https://paper-b.example/e2", description: "Other fire." }])),
    );
    expect(await runFeed(await feedAt("/a"), deps)).toMatchObject({ added: 3, merged: 0 });
    expect(await runFeed(await feedAt("/b"), deps)).toMatchObject({ added: 1, merged: 0 });
  });

  it("caps a runaway feed title, so every card from it still fits Telegram", async () => {
    server.route("/rss", serve(rssFeed("T".repeat(5_000), [])));
    await runFeed(await feedAt("/rss"), deps);
    server.route("/rss", serve(rssFeed("T".repeat(5_000), [story(1)])));
    await runFeed(await feedAt("/rss"), deps);
    const [article] = await temp.store.articles.unreleased(1);
    expect(article?.source.length).toBeLessThanOrEqual(80);
  });

  it("asks with the ETag and does no work on 304", async () => {
    server.route("/rss", serve(rssFeed("Harbour News", [story(1)]), "application/rss+xml", '"v1"'));
    await runFeed(await feedAt("/rss"), deps);
    expect((await feedAt("/rss")).etag).toBe('"v1"');
    expect(await runFeed(await feedAt("/rss"), deps)).toEqual({ feedId: (await feedAt("/rss")).id, status: "not-modified" });
  });

  const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title><item><title>&lol3;</title></item></channel></rss>`;

  it.each([
    ["404", () => (_req, res) => void res.writeHead(404).end("gone"), /404/],
    ["500", () => (_req, res) => void res.writeHead(500).end("boom"), /500/],
    ["a hang past the timeout", () => () => undefined, /did not finish answering within 500 ms/],
    [
      "a 20 MB body",
      () => (_req, res) => {
        res.writeHead(200, { "content-type": "application/rss+xml" });
        const chunk = Buffer.alloc(1024 * 1024, "a");
        let sent = 0;
        const pump = () => {
          while (sent < 20 && res.write(chunk)) sent++;
          if (sent < 20) res.once("drain", pump);
          else res.end();
        };
        pump();
      },
      /larger than .* the download limit/,
    ],
    [
      "HTML instead of a feed",
      () => serve("<!doctype html><html><head><title>Hi</title></head><body><p>Home</p></body></html>", "text/html"),
      /HTML/,
    ],
    ["an empty body", () => serve(""), /empty/i],
    [
      "broken XML",
      () => serve('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a</b></item></channel></rss>'),
      /FeedParseError/,
    ],
    ["a billion-laughs entity", () => serve(billionLaughs), /entit/i],
  ] satisfies [string, () => Route, RegExp][])(
    "records %s against the feed, with backoff, and never throws",
    async (_name, route, reason) => {
      server.route("/bad", route());
      const feed = await feedAt("/bad");
      const result = await runFeed(feed, { ...deps, settings: { ...settings, maxBytes: 5_000_000, timeoutMs: 500 } });
      expect(result.status).toBe("failed");
      expect(result.status === "failed" && result.reason).toMatch(reason);
      const after = await feedAt("/bad");
      expect(after).toMatchObject({ failures: 1, totalFailures: 1, firstFetchedAt: undefined });
      expect(after.lastError).toMatch(reason);
      expect(after.nextFetchAt).toEqual(new Date(clock.now() + 60_000));
      expect(logs.some((line) => line.msg === "feed failed" && line.feed === feed.url)).toBe(true);
    },
  );

  it("records a refused connection", async () => {
    const url = server.url("/x");
    await server.close();
    const feed = (await temp.store.feeds.ensure([url], "config"))[0]!;
    const result = await runFeed(feed, deps);
    expect(result).toMatchObject({ status: "failed" });
    expect((await temp.store.feeds.list()).find((f) => f.id === feed.id)?.failures).toBe(1);
    server = await startFeedServer(); // for afterEach
  });

  it("records a cloud-metadata address, even in the operator's own feeds, as the guard's refusal with what to do", async () => {
    const feed = (await temp.store.feeds.ensure(["http://169.254.169.254/latest/meta-data/"], "config"))[0]!;
    expect(await runFeed(feed, deps)).toMatchObject({ status: "failed" });
    expect((await temp.store.feeds.list()).find((f) => f.id === feed.id)?.lastError).toBe(
      "PrivateAddressError: http://169.254.169.254/latest/meta-data/ leads to 169.254.169.254, a link-local or cloud-metadata address, " +
        "which Newsdesk does not fetch. Use the feed's public address.",
    );
  });

  it("fetches the full article when the item is only a teaser (FETCH_FULL_TEXT=auto)", async () => {
    const { readFileSync } = await import("node:fs");
    const page = readFileSync(new URL("../../../shared/fixtures/pages/wapo-2/source.html", import.meta.url));
    server.route("/page", serve(page, "text/html; charset=utf-8"));
    server.route(
      "/rss",
      serve(rssFeed("Teasers", [{ guid: "t1", title: "Teaser only", link: server.url("/page"), description: "Short teaser…" }])),
    );
    // The page is on loopback, a private address: ALLOW_PRIVATE_FEEDS, as for an intranet site.
    const auto = { ...deps, settings: { ...settings, fullText: "auto" as const, allowPrivateFeeds: true } };
    const result = await runFeed(await feedAt("/rss"), auto);
    expect(result).toMatchObject({ status: "ok", added: 1 });
    expect(server.hits("/page")).toBe(1);
    const [article] = await temp.store.articles.latest(1);
    expect(article?.body.length).toBeGreaterThan(2_000);
    expect(article?.summary.length).toBeGreaterThan(80);
    // The second poll knows the item: no second page fetch.
    await runFeed(await feedAt("/rss"), auto);
    expect(server.hits("/page")).toBe(1);
  });

  it("never fetches a private address a feed item links to, even from the operator's own feed", async () => {
    server.route("/page", serve("<html><body><article><p>Internal.</p></article></body></html>", "text/html"));
    server.route(
      "/rss",
      serve(
        rssFeed("Hostile", [
          { guid: "m1", title: "Metadata bait", link: "http://169.254.169.254/latest/meta-data/", description: "Short teaser…" },
          { guid: "l1", title: "Loopback bait", link: server.url("/page"), description: "Short teaser…" },
        ]),
      ),
    );
    const result = await runFeed(await feedAt("/rss"), { ...deps, settings: { ...settings, fullText: "always" } });
    expect(result).toMatchObject({ status: "ok", added: 2 });
    expect(server.hits("/page")).toBe(0);
    const refusals = logs.filter((line) => line.msg === "full text unavailable").map((line) => String(line.reason));
    expect(refusals).toHaveLength(2);
    expect(refusals.join("\n")).toMatch(/169\.254\.169\.254, a link-local or cloud-metadata address/);
    expect(refusals.join("\n")).toMatch(/127\.0\.0\.1, a loopback address/);
  });
});
