import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { afterEach, describe, expect, it, vi } from "vitest";
import { privateKind } from "../../src/ingest/address-guard.js";
import { readOpml, writeOpml } from "../../src/ingest/opml.js";
import { FakeClock } from "../support/fake-clock.js";
import type { SentMessage } from "../../src/sandbox/fake-telegram/index.js";
import { serve, startFeedServer } from "../support/feed-server.js";
import { startTestBot, type TestBot } from "../support/harness.js";
import { current, send, USER } from "../commands/support.js";
import { STRANGER } from "./desk-support.js";

const FEEDS = "/work/shared/fixtures/feeds/";
const fixture = (name: string) => readFileSync(`${FEEDS}${name}`);
const OPML_TYPE = "text/x-opml";
/** A first hop the guard lets through must be served here: an address of this machine's own that is not private. */
const publicHere = Object.values(networkInterfaces())
  .flat()
  .find((address) => address?.family === "IPv4" && privateKind(address.address) === undefined)?.address;
const TOO_LARGE = "This file is too large: I read files of up to 1 MB. Send a smaller one.";

/** An OPML 2.0 list with a folder, as feed readers export them. */
function opml(outlines: string[]): Buffer {
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>Mine</title></head><body>\n` +
      `<outline text="News">\n${outlines.join("\n")}\n</outline>\n</body></opml>\n`,
  );
}
const outline = (url: string, title = "") => `<outline type="rss" text="${title}" xmlUrl="${url.replace(/&/g, "&amp;")}"/>`;

/** Sends a file as `userId` in the private chat with the bot, and waits for the bot's next message there. */
async function sendFile(t: TestBot, data: Buffer, fileName: string, mimeType = OPML_TYPE, userId = USER): Promise<SentMessage> {
  const before = t.fake.sent(userId).length;
  t.fake.pushDocument({ userId, data, fileName, mimeType });
  return (await t.fake.waitForSent(userId, before + 1))[before] as SentMessage;
}

/** Sends an OPML file as the admin and waits until its "Checking…" message has become the report. */
async function importFile(t: TestBot, data: Buffer, fileName = "mine.opml"): Promise<string> {
  const checking = await sendFile(t, data, fileName);
  expect(checking.text).toMatch(/^Checking \d+ feeds…$/);
  return (await t.fake.waitFor(() => current(t, checking).text.startsWith("Import of") && current(t, checking))).text;
}

describe("OPML import", () => {
  let t: TestBot | undefined;
  let server: Awaited<ReturnType<typeof startFeedServer>> | undefined;
  afterEach(async () => {
    await t?.stop();
    await server?.close();
    t = undefined;
    server = undefined;
  });

  async function start(env: Record<string, string> = {}) {
    server = await startFeedServer({
      "/guardian": serve(fixture("guardian.rss")),
      "/heise": serve(fixture("heise.atom"), "application/atom+xml"),
      "/page": serve("<html><head><title>Home</title></head><body>No feed here</body></html>", "text/html"),
    });
    t = await startTestBot({ env: { ADMIN_IDS: String(USER), ...env } });
    return { t, server };
  }

  it("adds the good feeds, skips those already there, refuses the rest with why, and reports each once", async () => {
    const { t, server } = await start({ ALLOW_PRIVATE_FEEDS: "true" });
    await send(t, `/addfeed ${server.url("/heise")}`);
    const hitsBefore = server.hits("/heise");
    const report = await importFile(
      t,
      opml([
        outline(server.url("/guardian"), "Guardian (mine)"),
        outline(server.url("/heise"), "heise"),
        outline("ftp://example.com/feed.xml", "Old FTP"),
        outline(server.url("/page"), "A page"),
        outline(server.url("/gone"), "Gone"),
        // The same feed twice in one file counts once.
        outline(server.url("/guardian"), "Guardian again"),
      ]),
    );
    expect(report.split("\n")).toEqual([
      "Import of mine.opml: 1 added, 1 already there, 3 refused.",
      `✅ Added The Guardian (55 items) ${server.url("/guardian")}`,
      `· Already there: heise developer neueste Meldungen ${server.url("/heise")}`,
      "✖ Refused ftp://example.com/feed.xml: not an http or https address",
      `✖ Refused ${server.url("/page")}: not a feed`,
      `✖ Refused: ${server.url("/gone")} answered 404 Not Found. Check the URL or remove the feed.`,
      "",
      "Added feeds are stored at the next poll as backfill: searchable, not posted.",
    ]);
    // As for /addfeed: an admin's feed whose first fetch is backfill; a feed already there is not fetched again.
    expect((await t.store.feeds.list()).map((f) => [f.url, f.origin, f.title, f.firstFetchedAt])).toEqual([
      [server.url("/heise"), "admin", "heise developer neueste Meldungen", undefined],
      [server.url("/guardian"), "admin", "The Guardian", undefined],
    ]);
    expect(server.hits("/heise")).toBe(hitsBefore);
    expect(server.hits("/guardian")).toBe(1);
    // The file URL carries the bot token: it is never logged.
    expect(JSON.stringify(t.logs)).not.toContain("/file/bot");
  });

  it("refuses loopback addresses without ALLOW_PRIVATE_FEEDS, fetching nothing, and says how to allow them", async () => {
    const { t, server } = await start();
    const report = await importFile(t, opml([outline(server.url("/guardian")), outline("http://localhost/rss")]));
    expect(report.split("\n")).toEqual([
      "Import of mine.opml: 0 added, 0 already there, 2 refused.",
      `✖ Refused ${server.url("/guardian")}: it leads to 127.0.0.1, a loopback address`,
      // localhost may resolve to ::1 first.
      expect.stringMatching(/^✖ Refused http:\/\/localhost\/rss: it leads to (127\.0\.0\.1|::1), a loopback address$/),
      "",
      "Loopback, private-network, unique-local and reserved addresses are refused unless the operator sets ALLOW_PRIVATE_FEEDS=true, for feeds on your own network.",
    ]);
    expect(server.hits("/guardian")).toBe(0);
    expect(await t.store.feeds.list()).toEqual([]);
  });

  it("refuses link-local and cloud-metadata addresses even with ALLOW_PRIVATE_FEEDS, without advising the setting", async () => {
    const { t } = await start({ ALLOW_PRIVATE_FEEDS: "true" });
    const report = await importFile(t, opml([outline("http://169.254.169.254/latest/meta-data/"), outline("http://[fe80::1]/feed.xml")]));
    expect(report.split("\n")).toEqual([
      "Import of mine.opml: 0 added, 0 already there, 2 refused.",
      "✖ Refused http://169.254.169.254/latest/meta-data/: it leads to 169.254.169.254, a link-local or cloud-metadata address",
      "✖ Refused http://[fe80::1]/feed.xml: it leads to fe80::1, a link-local or cloud-metadata address",
      "",
      "Link-local and cloud-metadata addresses are never fetched, whatever the settings: use the feed's public address.",
    ]);
    expect(await t.store.feeds.list()).toEqual([]);
  });

  it.skipIf(publicHere === undefined)("names the hop when a feed's redirect leads to a private address", async () => {
    const { t, server } = await start();
    const target = server.url("/guardian");
    const redirector = createServer((_, res) => res.writeHead(302, { location: target }).end());
    await new Promise<void>((resolve) => redirector.listen(0, publicHere, resolve));
    try {
      const url = `http://${publicHere}:${(redirector.address() as AddressInfo).port}/rss`;
      expect((await importFile(t, opml([outline(url)]))).split("\n").slice(0, 2)).toEqual([
        "Import of mine.opml: 0 added, 0 already there, 1 refused.",
        `✖ Refused ${url}: it redirects to ${target}, which leads to 127.0.0.1, a loopback address`,
      ]);
      expect(server.hits("/guardian")).toBe(0);
    } finally {
      redirector.closeAllConnections();
      await new Promise((resolve) => redirector.close(resolve));
    }
  });

  it("gives both advices when a file lists both kinds: the setting for loopback, the public address for metadata", async () => {
    const { t, server } = await start();
    const report = await importFile(t, opml([outline(server.url("/guardian")), outline("http://169.254.169.254/latest/meta-data/")]));
    expect(report.split("\n").slice(-5)).toEqual([
      "✖ Refused http://169.254.169.254/latest/meta-data/: it leads to 169.254.169.254, a link-local or cloud-metadata address",
      "",
      "Loopback, private-network, unique-local and reserved addresses are refused unless the operator sets ALLOW_PRIVATE_FEEDS=true, for feeds on your own network.",
      "",
      "Link-local and cloud-metadata addresses are never fetched, whatever the settings: use the feed's public address.",
    ]);
  });

  it("imports what /export sent: the same feeds and titles in a fresh bot, all already there in the same one", async () => {
    const { t, server } = await start({ ALLOW_PRIVATE_FEEDS: "true" });
    await send(t, `/addfeed ${server.url("/guardian")}`);
    await send(t, `/addfeed ${server.url("/heise")}`);
    const exported = (await send(t, "/export")).document?.data as Buffer;
    expect(await importFile(t, exported, "feeds.opml")).toMatch(/^Import of feeds\.opml: 0 added, 2 already there, 0 refused\.\n/);

    const fresh = await startTestBot({ env: { ADMIN_IDS: String(USER), ALLOW_PRIVATE_FEEDS: "true" } });
    try {
      expect(await importFile(fresh, exported, "feeds.opml")).toMatch(/^Import of feeds\.opml: 2 added, 0 already there, 0 refused\.\n/);
      const titles = async (bot: TestBot) => (await bot.store.feeds.list()).map((f) => [f.url, f.title]).sort();
      expect(await titles(fresh)).toEqual(await titles(t));
    } finally {
      await fresh.stop();
    }
  });

  it("answers a non-admin's .opml as any reader's message, reads nothing and changes nothing", async () => {
    const { t, server } = await start({ ALLOW_PRIVATE_FEEDS: "true" });
    const reply = await sendFile(t, opml([outline(server.url("/guardian"))]), "mine.opml", OPML_TYPE, STRANGER);
    expect(reply.text).toBe("Send /help to see what I can do.");
    expect(t.fake.stats.byMethod.getFile).toBeUndefined();
    expect(server.hits("/guardian")).toBe(0);
    expect(await t.store.feeds.list()).toEqual([]);
    expect(t.fake.sent(STRANGER)).toHaveLength(1);
  });

  it("answers politely a broken file, a list without feeds or with too many, and files that are not OPML", async () => {
    const { t } = await start({ ALLOW_PRIVATE_FEEDS: "true" });
    const notOpml = "Not imported: this is not an OPML file. Export the subscriptions from a feed reader (or /export) and send that file.";
    expect((await sendFile(t, Buffer.from("<opml><body><outline"), "broken.opml")).text).toBe(notOpml);
    expect((await sendFile(t, fixture("guardian.rss"), "feed.xml", "application/xml")).text).toBe(notOpml);
    expect((await sendFile(t, opml(['<outline text="Just a folder"/>']), "empty.opml")).text).toBe(
      "Not imported: this OPML file lists no feeds (no outline has an xmlUrl). Send the list a feed reader exports, or add feeds one at a time with /addfeed.",
    );
    const many = opml(Array.from({ length: 201 }, (_, i) => outline(`https://feeds${i}.example/rss`)));
    expect((await sendFile(t, many, "many.opml")).text).toBe(
      "Not imported: this file lists 201 feeds; Newsdesk imports at most 200 at a time. Split it into files of 200 feeds or fewer and send each.",
    );
    expect((await sendFile(t, Buffer.from("%PDF-1.4"), "report.pdf", "application/pdf")).text).toBe(
      "I read OPML files here (.opml or .xml) to import feeds, and .txt articles in /post. This file is neither.",
    );
    expect((await sendFile(t, Buffer.from("Headline\n\nBody."), "story.txt", "text/plain")).text).toBe(
      "To post this article, send /post first, then the file.",
    );
    expect(await t.store.feeds.list()).toEqual([]);
    expect((await send(t, "/import")).text).toMatch(/^Send an OPML file here \(\.opml, or \.xml with an <opml> root\), as a file/);
  });

  it("cuts a report too long for one message, saying how many lines were left out", async () => {
    const { t } = await start();
    const report = await importFile(t, opml(Array.from({ length: 200 }, (_, i) => outline(`ftp://files.example/feed-number-${i}.xml`))));
    const lines = report.split("\n");
    expect(lines[0]).toBe("Import of mine.opml: 0 added, 0 already there, 200 refused.");
    expect(lines[1]).toBe("✖ Refused ftp://files.example/feed-number-0.xml: not an http or https address");
    const shown = lines.filter((line) => line.startsWith("✖ Refused")).length;
    expect(shown).toBeLessThan(200);
    expect(lines.at(-1)).toBe(`…and ${200 - shown} more.`);
    expect(report.length).toBeLessThanOrEqual(4096);
  });

  it("refuses a file over its own 1 MB cap before downloading it, and one Telegram will not serve (over 20 MB)", async () => {
    const { t } = await start({ ALLOW_PRIVATE_FEEDS: "true" });
    const big = opml(Array.from({ length: 20_000 }, (_, i) => outline(`https://feeds${i}.example/rss`, "x".repeat(30))));
    expect(big.length).toBeGreaterThan(1024 * 1024);
    expect((await sendFile(t, big, "big.opml")).text).toBe(TOO_LARGE);
    expect(t.fake.stats.byMethod.getFile).toBe(1);
    expect((await sendFile(t, Buffer.alloc(21 * 1024 * 1024, 0x20), "huge.opml")).text).toBe(TOO_LARGE);
    expect(t.fake.stats.errors.map((e) => [e.method, e.description])).toEqual([["getFile", "Bad Request: file is too big"]]);
    expect(t.fake.stats.fileDownloads).toBe(0);
  });

  it("ends an import when the bot stops: the feeds left are reported unchecked, and the stop does not wait for them", async () => {
    const clock = new FakeClock();
    server = await startFeedServer({ "/guardian": serve(fixture("guardian.rss")), "/slow": () => undefined });
    t = await startTestBot({ clock, env: { ADMIN_IDS: String(USER), ALLOW_PRIVATE_FEEDS: "true" } });
    const checking = await sendFile(t, opml([outline(server.url("/guardian")), outline(server.url("/slow"))]), "mine.opml");
    await vi.waitFor(async () => expect(await t!.store.feeds.list()).toHaveLength(1));
    expect(server.hits("/slow")).toBe(1);
    const stopped = t;
    // Without the stop reaching the import, this would wait for the minute's budget, which nobody moves on.
    t = await stopped.restart();
    expect(current(t, checking).text.split("\n")[0]).toBe(
      "Import of mine.opml: 1 added, 0 already there, 0 refused, 1 not checked in time (send the file again to check them).",
    );
    expect(JSON.stringify(stopped.logs)).not.toMatch(/"level":(50|60)/);
  });

  it("shows how many feeds are checked while a slow one hangs, and reports it unchecked after a minute", async () => {
    const clock = new FakeClock();
    const start = clock.now();
    server = await startFeedServer({ "/guardian": serve(fixture("guardian.rss")), "/slow": () => undefined });
    t = await startTestBot({ clock, env: { ADMIN_IDS: String(USER), ALLOW_PRIVATE_FEEDS: "true" } });
    const checking = await sendFile(t, opml([outline(server.url("/guardian")), outline(server.url("/slow"))]), "mine.opml");
    expect(checking.text).toBe("Checking 2 feeds…");
    await vi.waitFor(async () => expect(await t!.store.feeds.list()).toHaveLength(1));
    expect(server.hits("/slow")).toBe(1);
    await clock.advance(3_000);
    await t.fake.waitFor(() => current(t!, checking).text === "Checking 2 feeds… 1 checked so far.");
    await clock.runUntil(() => current(t!, checking).text.startsWith("Import of"));
    // Cut at the first progress tick past the minute.
    expect(clock.now() - start).toBe(60_000);
    expect(current(t, checking).text.split("\n")).toEqual([
      "Import of mine.opml: 1 added, 0 already there, 0 refused, 1 not checked in time (send the file again to check them).",
      `✅ Added The Guardian (55 items) ${server.url("/guardian")}`,
      `… Not checked: ${server.url("/slow")}`,
      "",
      "Added feeds are stored at the next poll as backfill: searchable, not posted.",
    ]);
  });

  it("a document sent in the middle of /push is answered, not taken as the dialog's input", async () => {
    const { t, server } = await start({ ALLOW_PRIVATE_FEEDS: "true" });
    await send(t, "/push");
    const report = await importFile(t, opml([outline(server.url("/guardian"))]));
    expect(report).toMatch(/^Import of mine\.opml: 1 added/);
    expect((await send(t, "hello")).text).toBe("Press one of the buttons above, or send /cancel to leave.");
  });
});

describe("readOpml", () => {
  it("reads back what writeOpml wrote, nested outlines included, each URL once", () => {
    const feeds = [
      { url: "https://x.example/?a=1&b=2", title: `<i>It's</i> "x" & y` },
      { url: "https://y.example/rss", title: "Ÿ news" },
    ];
    expect(readOpml(writeOpml(feeds, new Date(0)))).toEqual(feeds);
    const nested = `<opml version="1.0"><body><outline text="A"><outline text="B"><outline xmlUrl="https://deep.example/rss"/></outline></outline>
      <outline title="Top" text="ignored" xmlUrl="https://top.example/rss"/><outline text="dup" xmlUrl="https://top.example/rss"/></body></opml>`;
    expect(readOpml(nested)).toEqual([
      { url: "https://deep.example/rss", title: "deep.example" },
      { url: "https://top.example/rss", title: "Top" },
    ]);
  });

  it("refuses a file that is not OPML or lists no feed with a typed reason, for the template to word", () => {
    expect(() => readOpml("<rss><channel/></rss>")).toThrow(
      expect.objectContaining({ name: "OpmlError", refusal: { problem: "not-opml" } }),
    );
    expect(() => readOpml('<opml version="2.0"><body><outline text="Folder"/></body></opml>')).toThrow(
      expect.objectContaining({ name: "OpmlError", refusal: { problem: "no-feeds" } }),
    );
  });
});
