import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderArticleCard } from "../../src/format/card.js";
import { loadTemplates } from "../../src/texts.js";
import type { SentMessage } from "../../src/sandbox/fake-telegram/index.js";
import { serve, startFeedServer } from "../support/feed-server.js";
import type { TestBot } from "../support/harness.js";
import { buttonData, press, send, USER } from "../commands/support.js";
import { channelPosts, pressForReply, startDesk } from "./desk-support.js";

const WAPO = readFileSync(new URL("../../../shared/fixtures/pages/wapo-2/source.html", import.meta.url));
const HTML = "text/html; charset=utf-8";
/** The page server listens on loopback: the desk may fetch it only with ALLOW_PRIVATE_FEEDS=true, as for an intranet. */
const INTRANET = { ALLOW_PRIVATE_FEEDS: "true" };
const ASK_AGAIN = "Paste another link, pick a story above, or /cancel to leave.";

/** Sends a message and waits for the bot's next two messages to the admin ("Fetching…", then the preview or refusal). */
async function sendForTwo(t: TestBot, text: string): Promise<[SentMessage, SentMessage]> {
  const before = t.fake.sent(USER).length;
  t.fake.pushMessage({ userId: USER, text });
  const sent = await t.fake.waitForSent(USER, before + 2);
  return [sent[before] as SentMessage, sent[before + 1] as SentMessage];
}

describe("/push with a pasted link", () => {
  let t: TestBot | undefined;
  let pages: Awaited<ReturnType<typeof startFeedServer>>;
  beforeEach(async () => {
    pages = await startFeedServer({ "/world/israel": serve(WAPO, HTML) });
  });
  afterEach(async () => {
    await t?.stop();
    t = undefined;
    await pages.close();
  });

  it("fetches the page once, previews it with a clean summary, and publishing posts it once", async () => {
    t = await startDesk({ stories: true, env: INTRANET });
    const before = await t.store.articles.count();
    await send(t, "/push");
    const [fetching, preview] = await sendForTwo(t, pages.url("/world/israel?utm_source=twitter"));
    expect(fetching.text).toBe(`Fetching the page from ${new URL(pages.url("/")).host}…`);

    const [stored] = await t.store.articles.latest(1);
    expect(await t.store.articles.count()).toBe(before + 1);
    expect(stored?.source).toBe("Washington Post");
    expect(stored?.queuedAt).toBeUndefined();
    expect(preview.params.text).toBe(renderArticleCard(stored!, loadTemplates(), { timeZone: t.config.schedule.timeZone }));
    // The card's headline and summary: the page's own standfirst, no kicker, byline or photo caption.
    expect(preview.text.split("\n").filter(Boolean).slice(0, 2)).toEqual([
      "Where do strained U.S.-Israeli relations go after Netanyahu’s victory?",
      "Few foreign leaders have so brazenly stood up to President Obama and the relationship could face its next test this month.",
    ]);

    const publish = buttonData(preview, /Publish to channel/) as string;
    await press(t, publish, { messageId: preview.messageId });
    await t.fake.waitFor(() => channelPosts(t!).length === 1);
    expect(channelPosts(t)[0]?.params.text).toBe(preview.params.text);
    expect((await pressForReply(t, publish)).text).toMatch(/^Already out/);
    expect(channelPosts(t)).toHaveLength(1);
    // Every later update replayed the dialog: the page was still fetched once, and "Fetching…" said once.
    expect(pages.hits("/world/israel")).toBe(1);
    expect(t.fake.sent(USER).filter((m) => m.text.startsWith("Fetching"))).toHaveLength(1);
  });

  it("stores one article for the same link pasted twice (after Search too), and fetches it once", async () => {
    t = await startDesk({ stories: true, env: INTRANET });
    const before = await t.store.articles.count();
    await send(t, "/push");
    const [, first] = await sendForTwo(t, pages.url("/world/israel"));
    expect((await send(t, "/cancel")).text).toBe("Cancelled. Nothing was published.");

    const pick = await send(t, "/push");
    // The newest story now is the stored page; a link is taken in the search step as well.
    expect(pick.buttons[0]?.[0]?.text).toMatch(/^Where do strained/);
    await pressForReply(t, buttonData(pick, /Search/) as string);
    const [, again] = await sendForTwo(t, `Read this:\n${pages.url("/world/israel/?utm_medium=social#comments")}`);
    expect(again.params.text).toBe(first.params.text);
    expect(await t.store.articles.count()).toBe(before + 1);
    expect(pages.hits("/world/israel")).toBe(1);
  });

  it("refuses a link to a retracted story, and stays at the pick step", async () => {
    t = await startDesk({ stories: true, env: INTRANET });
    await send(t, "/push");
    await sendForTwo(t, pages.url("/world/israel"));
    await send(t, "/cancel");
    const [stored] = await t.store.articles.latest(1);
    await t.store.outbox.retract(stored!.id, { text: "Retracted" }, new Date());

    const pick = await send(t, "/push");
    const [, refusal] = await sendForTwo(t, pages.url("/world/israel"));
    expect(refusal.text).toBe(`“${stored!.headline}” was retracted: it cannot be published again.\n${ASK_AGAIN}`);
    expect(refusal.buttons).toEqual([]);
    const preview = await pressForReply(t, pick.buttons[0]?.[0]?.callbackData as string);
    expect(preview.text.split("\n")[0]).toContain("UK report over Xinjiang");
    expect(channelPosts(t)).toEqual([]);
  });

  it("refuses a loopback link without ALLOW_PRIVATE_FEEDS, fetching nothing, and stays at the pick step", async () => {
    t = await startDesk({ stories: true });
    const pick = await send(t, "/push");
    const [, refusal] = await sendForTwo(t, pages.url("/world/israel"));
    expect(refusal.text).toBe(
      "Not fetched: that link leads to 127.0.0.1, a loopback address. Newsdesk fetches public sites only; " +
        `for sites on your own network, the operator sets ALLOW_PRIVATE_FEEDS=true.\n${ASK_AGAIN}`,
    );
    expect(pages.hits("/world/israel")).toBe(0);
    // Still picking: a story's button opens its preview.
    const preview = await pressForReply(t, pick.buttons[0]?.[0]?.callbackData as string);
    expect(preview.text.split("\n")[0]).toContain("UK report over Xinjiang");
    expect(channelPosts(t)).toEqual([]);
  });

  it("refuses a cloud-metadata link even with ALLOW_PRIVATE_FEEDS, without advising the setting", async () => {
    t = await startDesk({ stories: true, env: INTRANET });
    await send(t, "/push");
    const [, refusal] = await sendForTwo(t, "http://169.254.169.254/latest/meta-data/");
    expect(refusal.text).toBe(
      "Not fetched: that link leads to 169.254.169.254, a link-local or cloud-metadata address. " +
        `Newsdesk never fetches those, whatever its settings: paste the article's public address.\n${ASK_AGAIN}`,
    );
  });

  it("answers a 404 and a page that is not HTML politely, and takes the next good link", async () => {
    t = await startDesk({ stories: true, env: INTRANET });
    pages.route("/report.pdf", serve(Buffer.from("%PDF-1.4 ..."), "application/pdf"));
    const host = new URL(pages.url("/")).host;
    const before = await t.store.articles.count();
    await send(t, "/push");
    expect((await sendForTwo(t, pages.url("/gone")))[1].text).toBe(
      `${host} answered 404: there is no page to read there. Check the link.\n${ASK_AGAIN}`,
    );
    expect((await sendForTwo(t, pages.url("/report.pdf")))[1].text).toBe(
      `That link is not a web page (application/pdf). Paste the link to an article's page.\n${ASK_AGAIN}`,
    );
    expect(await t.store.articles.count()).toBe(before);
    const [, preview] = await sendForTwo(t, pages.url("/world/israel"));
    expect(preview.text.split("\n")[0]).toBe("Where do strained U.S.-Israeli relations go after Netanyahu’s victory?");
  });
});
