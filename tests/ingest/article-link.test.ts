import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { privateKind } from "../../src/ingest/address-guard.js";
import { ingestArticleLink, type LinkDeps, type LinkRefusal } from "../../src/ingest/article-link.js";
import { loadAliasMap } from "../../src/topics/index.js";
import { FakeClock } from "../support/fake-clock.js";
import { serve, startFeedServer, type Route } from "../support/feed-server.js";
import { makeTempStore } from "../support/temp-store.js";

const PAGES = new URL("../../../shared/fixtures/pages/", import.meta.url);
const pageHtml = (name: string) => readFileSync(new URL(`${name}/source.html`, PAGES));
const HTML = "text/html; charset=utf-8";

describe("ingestArticleLink", () => {
  let server: Awaited<ReturnType<typeof startFeedServer>>;
  let temp: ReturnType<typeof makeTempStore>;
  let deps: LinkDeps;
  /** The page server is on loopback: the tests of the fetched page allow it, as ALLOW_PRIVATE_FEEDS=true does. */
  let open: LinkDeps;
  beforeEach(async () => {
    server = await startFeedServer();
    temp = makeTempStore();
    const settings = { ...loadConfig({ BOT_TOKEN: "123456:TEST-TOKEN-abc" }).ingest, timeoutMs: 1_000 };
    deps = { store: temp.store, clock: new FakeClock(), aliases: loadAliasMap(), settings };
    open = { ...deps, settings: { ...settings, allowPrivateFeeds: true } };
  });
  afterEach(async () => {
    await server.close();
    await temp.dispose();
  });

  it("stores a real page as a feed item with a teaser: clean summary, tags, the site's name as source, not queued", async () => {
    server.route("/world/israel", serve(pageHtml("wapo-2"), HTML));
    const result = await ingestArticleLink(server.url("/world/israel?utm_source=twitter"), open);
    expect(result.status).toBe("new");
    if (result.status !== "new") return;
    const { article } = result;
    expect(article.headline).toBe("Where do strained U.S.-Israeli relations go after Netanyahu’s victory?");
    expect(article.source).toBe("Washington Post");
    expect(article.link).toBe(server.url("/world/israel"));
    // The page's own standfirst (its description), not the kicker, byline or photo caption above the story.
    expect(article.summary).toBe(
      "Few foreign leaders have so brazenly stood up to President Obama and the relationship could face its next test this month.",
    );
    expect(article.body).toContain("President Obama told the U.N. General Assembly 18 months ago");
    expect(article.tags).toEqual(expect.arrayContaining(["netanyahu", "israel", "obama"]));
    expect(article.queuedAt).toBeUndefined();
    expect(await temp.store.articles.unreleased(10)).toEqual([]);
  });

  it("opens the stored article for a link stored before (same canonical URL), without fetching it again", async () => {
    server.route("/quanta", serve(pageHtml("quanta-1"), HTML));
    const first = await ingestArticleLink(server.url("/quanta"), open);
    const again = await ingestArticleLink(server.url("/quanta/?utm_campaign=x#top"), open);
    expect(first.status).toBe("new");
    expect(again.status).toBe("stored");
    expect(again.status !== "refused" && again.article.id).toBe(first.status !== "refused" && first.article.id);
    expect(server.hits("/quanta")).toBe(1);
    expect(await temp.store.articles.count()).toBe(1);
  });

  it("knows a link by the address it redirected to as well", async () => {
    server.route("/short", (_, res) => res.writeHead(301, { location: "/quanta" }).end());
    server.route("/quanta", serve(pageHtml("quanta-1"), HTML));
    const first = await ingestArticleLink(server.url("/short"), open);
    expect(first.status !== "refused" && first.article.link).toBe(server.url("/quanta"));
    expect((await ingestArticleLink(server.url("/quanta"), open)).status).toBe("stored");
    expect(server.hits("/quanta")).toBe(1);
  });

  it("refuses a loopback link without ALLOW_PRIVATE_FEEDS, and fetches nothing", async () => {
    server.route("/page", serve(pageHtml("ars-1"), HTML));
    expect(await ingestArticleLink(server.url("/page"), deps)).toEqual({
      status: "refused",
      reason: "private-address",
      address: "127.0.0.1",
      kind: "loopback",
    });
    expect(server.hits("/page")).toBe(0);
    expect(await temp.store.articles.count()).toBe(0);
  });

  // A first hop the guard lets through must be served here: an address of this machine's own that is not private.
  const publicHere = Object.values(networkInterfaces())
    .flat()
    .find((address) => address?.family === "IPv4" && privateKind(address.address) === undefined)?.address;

  it.skipIf(publicHere === undefined)("refuses a link whose redirect leads to a private address, naming the hop", async () => {
    server.route("/page", serve(pageHtml("ars-1"), HTML));
    const target = server.url("/page");
    const redirector = createServer((_, res) => res.writeHead(302, { location: target }).end());
    await new Promise<void>((resolve) => redirector.listen(0, publicHere, resolve));
    try {
      const link = `http://${publicHere}:${(redirector.address() as AddressInfo).port}/story`;
      expect(await ingestArticleLink(link, deps)).toEqual({
        status: "refused",
        reason: "private-address",
        address: "127.0.0.1",
        kind: "loopback",
        redirectedTo: target,
      });
      expect(server.hits("/page")).toBe(0);
      expect(await temp.store.articles.count()).toBe(0);
    } finally {
      redirector.closeAllConnections();
      await new Promise((resolve) => redirector.close(resolve));
    }
  });

  const notFound: Route = (_, res) => res.writeHead(404, { "content-type": "text/html" }).end("<html><body>gone</body></html>");
  it.each<[string, Route, LinkRefusal]>([
    ["a 404", notFound, { reason: "http-status", httpStatus: 404 }],
    ["a PDF", serve(Buffer.from("%PDF-1.4 ..."), "application/pdf"), { reason: "not-html", contentType: "application/pdf" }],
    [
      "a feed",
      serve("<rss version='2.0'><channel></channel></rss>", "application/rss+xml"),
      { reason: "not-html", contentType: "application/rss+xml" },
    ],
    ["a page with no article", serve("<html><body><nav>Home</nav></body></html>", HTML), { reason: "no-article" }],
    ["a page over the size limit", serve(`<html><body>${"x".repeat(3_000)}</body></html>`, HTML), { reason: "too-large", maxBytes: 2_000 }],
  ])("answers %s with a typed refusal and stores nothing", async (_, route, refusal) => {
    server.route("/x", route);
    const small = { ...open, settings: { ...open.settings, maxBytes: 2_000 } };
    expect(await ingestArticleLink(server.url("/x"), small)).toEqual({ status: "refused", ...refusal });
    expect(await temp.store.articles.count()).toBe(0);
  });

  it("refuses a page that does not answer in time", async () => {
    server.route("/slow", () => undefined);
    const quick = { ...open, settings: { ...open.settings, timeoutMs: 200 } };
    expect(await ingestArticleLink(server.url("/slow"), quick)).toEqual({ status: "refused", reason: "timeout", seconds: 0.2 });
  });
});
