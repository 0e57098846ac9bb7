import { afterEach, describe, expect, it } from "vitest";
import { writeOpml } from "../../src/ingest/opml.js";
import { createFeedPoller } from "../../src/schedule/feed-poller.js";
import { loadAliasMap } from "../../src/topics/index.js";
import { rssFeed, serve, startFeedServer } from "../support/feed-server.js";
import { startTestBot, type TestBot } from "../support/harness.js";
import { buttonData, current, press, send, USER } from "./support.js";
import { pressAs, sendAs } from "./admin-support.js";

const READER = 5151;
const REFUSAL = "This is for the newsroom's editors.";
const item = (n: number) => ({
  guid: `g${n}`,
  title: `Harbour story ${n} for the feeds test`,
  link: `https://h.example/${n}`,
  description: "Text.",
});

describe("/addfeed and /feeds, for admins", () => {
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
      "/rss": serve(rssFeed("Harbour News", [item(1), item(2), item(3)])),
      "/home": serve(
        '<html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head><body>Home</body></html>',
        "text/html",
      ),
    });
    t = await startTestBot({ env: { ADMIN_IDS: String(USER), ...env } });
    return { t, server };
  }

  it("in a group, points the admin to the private chat, as the rest of the desk does", async () => {
    const { t } = await start();
    const group = { chatId: -4242, chatType: "group" as const };
    for (const command of ["feeds", "addfeed", "export"]) {
      expect((await send(t, `/${command}`, group)).text).toBe(
        `The editors' desk works in a private chat: open a chat with @${t.bot.botInfo.username} and send /${command} there.`,
      );
    }
  });

  it("refuses a loopback address without ALLOW_PRIVATE_FEEDS, says why, and fetches nothing", async () => {
    const { t, server } = await start();
    const reply = await send(t, `/addfeed ${server.url("/rss")}`);
    expect(reply.text).toMatch(
      /^Not added: .*127\.0\.0\.1, a loopback address, which Newsdesk does not fetch\..*ALLOW_PRIVATE_FEEDS=true/s,
    );
    expect((await send(t, "/addfeed http://localhost/rss")).text).toContain("a loopback address");
    expect((await send(t, "/addfeed http://169.254.169.254/latest/meta-data/")).text).toContain("a link-local or cloud-metadata address");
    expect(server.hits("/rss")).toBe(0);
    expect(await t.store.feeds.list()).toEqual([]);
  });

  it("adds a feed found through a page's <link rel=alternate>, with its title and item count, once", async () => {
    const { t, server } = await start({ ALLOW_PRIVATE_FEEDS: "true" });
    const reply = await send(t, `/addfeed ${server.url("/home")}`);
    expect(reply.text).toContain("Added Harbour News (3 items)");
    expect(reply.text).toContain(server.url("/rss"));
    expect((await t.store.feeds.list()).map((f) => [f.url, f.origin, f.firstFetchedAt])).toEqual([
      [server.url("/rss"), "admin", undefined],
    ]);
    expect((await send(t, `/addfeed ${server.url("/rss")}`)).text).toContain("Harbour News is already followed.");
    expect((await send(t, "/addfeed ftp://example.com/rss")).text).toMatch(/^Not added: .*not an http or https address/);
    expect((await send(t, "/addfeed")).text).toMatch(/^Send \/addfeed and the feed's address/);
    expect(await t.store.feeds.list()).toHaveLength(1);
  });

  it("lists feeds with their health; Pause stops polling it, Resume brings it back; Remove asks first", async () => {
    const { t, server } = await start({ ALLOW_PRIVATE_FEEDS: "true" });
    await send(t, `/addfeed ${server.url("/rss")}`);
    const poller = createFeedPoller(
      { store: t.store, logger: t.logger, aliases: loadAliasMap(), settings: { ...t.config.ingest, fullText: "never" }, clock: t.clock },
      [],
    );
    await poller.poll();
    expect(server.hits("/rss")).toBe(2); // /addfeed's proof, then the backfill

    const list = await send(t, "/feeds");
    expect(list.text).toMatch(/#1 Harbour News\n.*\/rss\nLast success just now · 3 articles · 0 failures in a row/);
    expect(await press(t, buttonData(list, /Pause #1/)!)).toMatchObject({ text: "Paused Harbour News." });
    expect((await t.store.feeds.get(1))?.enabled).toBe(false);
    expect(current(t, list).text).toContain("#1 Harbour News ⏸ paused");
    await poller.poll();
    expect(server.hits("/rss")).toBe(2);

    expect(await press(t, buttonData(current(t, list), /Resume #1/)!)).toMatchObject({ text: "Resumed Harbour News." });
    await poller.poll();
    expect(server.hits("/rss")).toBe(3);

    expect(await press(t, buttonData(current(t, list), /Remove #1/)!)).toMatchObject({});
    expect(current(t, list).text).toMatch(/^Remove the feed #1 Harbour News\?/);
    expect(await t.store.feeds.list()).toHaveLength(1);
    await press(t, buttonData(current(t, list), /No, keep it/)!);
    expect(current(t, list).text).toMatch(/^Feeds/);
    await press(t, buttonData(current(t, list), /Remove #1/)!);
    expect(await press(t, buttonData(current(t, list), /Yes, remove/)!)).toMatchObject({ text: "Removed Harbour News." });
    expect(await t.store.feeds.list()).toEqual([]);
    expect(current(t, list).text).toMatch(/^No feeds yet/);
    expect(await t.store.articles.count()).toBe(3);
  });

  it("sends every feed as feeds.opml on /export", async () => {
    const { t, server } = await start({ ALLOW_PRIVATE_FEEDS: "true" });
    server.route("/amp", serve(rssFeed('Sea & "Port" News', [item(4)])));
    await send(t, `/addfeed ${server.url("/rss")}`);
    await send(t, `/addfeed ${server.url("/amp")}`);
    const sent = await send(t, "/export");
    expect(sent.method).toBe("sendDocument");
    expect(sent.text).toBe("2 feeds, as OPML: import the file in a feed reader, or keep it as a backup.");
    expect(sent.document?.filename).toBe("feeds.opml");
    const opml = sent.document?.data.toString("utf8") ?? "";
    expect(opml).toContain(`<outline type="rss" text="Harbour News" title="Harbour News" xmlUrl="${server.url("/rss")}"/>`);
    expect(opml).toContain('text="Sea &amp; &quot;Port&quot; News"');
    expect(writeOpml([{ url: "https://x.example/?a=1&b=2", title: "<i>It's</i>" }], new Date(0))).toContain(
      `text="&lt;i&gt;It&apos;s&lt;/i&gt;" title="&lt;i&gt;It&apos;s&lt;/i&gt;" xmlUrl="https://x.example/?a=1&amp;b=2"`,
    );
  });

  it("refuses non-admins every feed command and button, and changes nothing", async () => {
    const { t, server } = await start({ ALLOW_PRIVATE_FEEDS: "true" });
    await send(t, `/addfeed ${server.url("/rss")}`);
    const say = async (text: string) => (await sendAs(t, READER, text)).text;
    expect(await say("/feeds")).toBe(REFUSAL);
    expect(await say(`/addfeed ${server.url("/home")}`)).toBe(REFUSAL);
    expect(await say("/export")).toBe(REFUSAL);
    for (const data of ["1:e:p:1", "1:e:x:1", "1:e:y:1"]) {
      // The gate runs nothing of /feeds for a reader, and answers the press itself.
      expect(await pressAs(t, READER, data)).toBe("This button is not for you.");
    }
    expect((await t.store.feeds.list()).map((f) => [f.url, f.enabled])).toEqual([[server.url("/rss"), true]]);
    expect(server.hits("/home")).toBe(0);
    expect(t.fake.sent(READER).map((m) => m.text)).toEqual([REFUSAL, REFUSAL, REFUSAL]);
  });
});
