import { afterEach, describe, expect, it } from "vitest";
import { publishDue } from "../../src/delivery/channel-publisher.js";
import { loadTemplates } from "../../src/texts.js";
import { loadAliasMap } from "../../src/topics/index.js";
import { FakeClock } from "../support/fake-clock.js";
import type { TestBot } from "../support/harness.js";
import { systemClock } from "../../src/clock.js";
import { runFeed } from "../../src/ingest/feed-run.js";
import { rssFeed, serve, startFeedServer, type FeedItemSpec } from "../support/feed-server.js";
import { REFERENCE_HEADLINE, REFERENCE_LINK, referenceArticleText } from "../support/reference-article.js";
import { buttonData, press, send } from "../commands/support.js";
import { pressAs, sendAs } from "../commands/admin-support.js";
import { CHANNEL, channelPosts, pickFirst, pressForReply, STRANGER, startDesk } from "./desk-support.js";
import { addFollower, FOLLOWER, publishNewest, releaseNewest, untilReport } from "./revision-support.js";

const aliases = loadAliasMap();
const OLD_ITEM: FeedItemSpec = {
  guid: "old",
  title: "Harbour reopens after the storm",
  link: "https://news.example/harbour",
  description: "<p>The harbour reopened on Monday, officials said.</p>",
};
const REFERENCE_ITEM: FeedItemSpec = {
  guid: "ref",
  title: REFERENCE_HEADLINE,
  link: REFERENCE_LINK,
  content: referenceArticleText()
    .split("\n\n")
    .slice(1)
    .map((p) => `<p>${p}</p>`)
    .join(""),
};

describe("/retract", () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it("deletes the channel post and the alerts after a confirmation, and the story leaves /latest and /topic", async () => {
    const clock = new FakeClock("2026-11-30T12:00:00Z");
    t = await startDesk({ clock, stories: true });
    await addFollower(t);
    const article = await publishNewest(t, clock);
    expect((await send(t, "/latest 1")).text).toContain("UK report over Xinjiang");

    const pick = await send(t, "/retract");
    expect(pick.text).toBe("Retract a story: pick one of the newest published. /cancel leaves.");
    const preview = await pressForReply(t, pick.buttons[0]?.[0]?.callbackData as string);
    expect(preview.params.text).toBe(channelPosts(t)[0]?.params.text);
    expect(preview.buttons.map((row) => row.map((b) => b.text))).toEqual([["Retract (2 sent messages)"], ["Cancel"]]);
    // Nothing happens before the confirmation.
    expect((await t.store.articles.get(article.id))?.retractedAt).toBeUndefined();

    const live = await pressForReply(t, buttonData(preview, /^Retract \(/) as string);
    expect(live.text).toMatch(
      /^Retracting… UK report over Xinjiang.*\nDeleted 0 · replaced by the notice 0 · failed 0 · blocked 0 · left 2/,
    );
    const report = await untilReport(t, clock, live, "Retracted");
    expect(report.text).toMatch(/^Retracted UK report over Xinjiang.*\nDeleted 2 · replaced by the notice 0 · failed 0 · blocked 0$/);
    expect(channelPosts(t)[0]?.deleted).toBe(true);
    expect(t.fake.sent(FOLLOWER)[0]?.deleted).toBe(true);

    expect((await send(t, "/latest 1")).text).not.toContain("Xinjiang");
    expect((await send(t, "/topic xinjiang")).text).not.toContain("UK report over Xinjiang");
    expect((await send(t, "/retract")).buttons.map((row) => row[0]?.text)).toEqual(["🔎 Search"]);
    // A second press of the confirm button does nothing more.
    expect((await press(t, buttonData(preview, /^Retract \(/) as string)).text).toMatch(/^This button has expired/);
    expect(await t.store.outbox.counts(article.id)).toEqual({ pending: 0, sending: 0, sent: 4, failed: 0, blocked: 0, cancelled: 0 });
  });

  it("edits a message older than 48 hours into the retraction notice, where Telegram refuses to delete it", async () => {
    const clock = new FakeClock("2026-11-30T12:00:00Z");
    t = await startDesk({ clock, stories: true });
    await addFollower(t);
    await publishNewest(t, clock);
    t.fake.ageMessages(CHANNEL, 49);
    const live = await pressForReply(t, buttonData(await pickFirst(t, "/retract"), /^Retract \(/) as string);
    expect((await untilReport(t, clock, live, "Retracted")).text).toMatch(/\nDeleted 1 · replaced by the notice 1 · failed 0 · blocked 0$/);

    const [post] = channelPosts(t);
    expect(post?.deleted).toBeUndefined();
    expect(post?.text).toBe("Retracted — this story was withdrawn by the editors at 12:00.");
    expect(t.fake.stats.errors).toContainEqual(
      expect.objectContaining({ description: "Bad Request: message can't be deleted for everyone" }),
    );
    // The alert was young enough to be deleted.
    expect(t.fake.sent(FOLLOWER)[0]?.deleted).toBe(true);
  });

  it("never posts a retracted story again when its feed serves it again, under another guid too", async () => {
    const clock = new FakeClock("2026-11-30T12:00:00Z");
    t = await startDesk({ clock });
    const server = await startFeedServer();
    try {
      const ingestDeps = {
        store: t.store,
        logger: t.logger,
        aliases,
        settings: { ...t.config.ingest, fullText: "never" as const },
        clock: systemClock,
      };
      const [feed] = await t.store.feeds.ensure([server.url("/rss")], "config");
      const run = async (items: FeedItemSpec[]) => {
        server.route("/rss", serve(rssFeed("Desk News", items)));
        await runFeed((await t!.store.feeds.get(feed!.id))!, ingestDeps);
      };
      await run([OLD_ITEM]);
      await run([REFERENCE_ITEM, OLD_ITEM]);
      const publisher = { store: t.store, templates: loadTemplates(), aliases, config: t.config, logger: t.logger, clock };
      expect(await publishDue(publisher)).toMatchObject({ released: 1, posts: 1 });
      t.engine.notify();
      await clock.runUntil(() => channelPosts(t!).length === 1);

      const live = await pressForReply(t, buttonData(await pickFirst(t, "/retract"), /^Retract \(/) as string);
      await untilReport(t, clock, live, "Retracted");
      const count = await t.store.articles.count();

      await run([REFERENCE_ITEM, OLD_ITEM]);
      await run([{ ...REFERENCE_ITEM, guid: "ref-republished" }, REFERENCE_ITEM, OLD_ITEM]);
      expect(await t.store.articles.count()).toBe(count);
      expect(await publishDue(publisher)).toMatchObject({ released: 0 });
      expect(channelPosts(t)).toHaveLength(1);
      expect((await send(t, "/latest")).text).not.toContain("Xinjiang");
    } finally {
      await server.close();
    }
  });

  it("refuses a non-admin's /retract and its buttons, and changes nothing", async () => {
    const clock = new FakeClock("2026-11-30T12:00:00Z");
    t = await startDesk({ clock, stories: true });
    const article = await publishNewest(t, clock, []);
    const before = await t.store.outbox.counts();
    expect((await sendAs(t, STRANGER, "/retract")).text).toBe("This is for the newsroom's editors.");
    for (const data of [`1:d:a:${article.id}`, `1:d:c:${article.id}`, "1:d:x"]) {
      expect(await pressAs(t, STRANGER, data)).toBe("This button is not for you.");
    }
    expect((await t.store.articles.get(article.id))?.retractedAt).toBeUndefined();
    expect(await t.store.outbox.counts()).toEqual(before);
    expect(channelPosts(t)[0]?.deleted).toBeUndefined();
  });

  it("says nothing was retracted when the story was retracted meanwhile, and queues nothing", async () => {
    const clock = new FakeClock("2026-11-30T12:00:00Z");
    t = await startDesk({ clock, stories: true });
    const article = await publishNewest(t, clock, []);
    const preview = await pickFirst(t, "/retract");
    await t.store.outbox.retract(article.id, { text: "Retracted" }, new Date(clock.now()));
    const before = await t.store.outbox.counts();
    expect((await pressForReply(t, buttonData(preview, /^Retract \(/) as string)).text).toBe(
      `Nothing was retracted: “${article.headline}” was retracted already, or is gone.`,
    );
    expect(await t.store.outbox.counts()).toEqual(before);
  });

  it("goes on after a restart before the confirmation", async () => {
    const clock = new FakeClock("2026-11-30T12:00:00Z");
    t = await startDesk({ clock, stories: true });
    const article = await publishNewest(t, clock, []);
    const preview = await pickFirst(t, "/retract");
    expect(preview.buttons.map((row) => row.map((b) => b.text))).toEqual([["Retract (1 sent message)"], ["Cancel"]]);
    t = await t.restart();
    const live = await pressForReply(t, buttonData(preview, /^Retract \(/) as string);
    expect((await untilReport(t, clock, live, "Retracted")).text).toMatch(/\nDeleted 1 · replaced by the notice 0 · failed 0 · blocked 0$/);
    expect(channelPosts(t)[0]?.deleted).toBe(true);
    expect((await t.store.articles.get(article.id))?.retractedAt).toBeDefined();
  });

  it("never delivers the alerts of a retracted story that were still waiting", async () => {
    const clock = new FakeClock("2026-11-30T12:00:00Z");
    t = await startDesk({ clock, stories: true });
    await addFollower(t);
    // The engine is down: the channel post and the alert wait in the outbox.
    await t.engine.stop();
    const article = await releaseNewest(t);
    const preview = await pickFirst(t, "/retract");
    expect(preview.buttons[0]?.map((b) => b.text)).toEqual(["Retract (0 sent messages)"]);
    const live = await pressForReply(t, buttonData(preview, /^Retract \(/) as string);
    expect(live.text).toMatch(/^Retracted /);
    // Back up: whatever was waiting is gone, not sent.
    t = await t.restart();
    await clock.runUntil(async () => (await t!.store.outbox.pendingCount()) === 0);
    await clock.advance(60_000);
    expect(channelPosts(t)).toEqual([]);
    expect(t.fake.sent(FOLLOWER)).toEqual([]);
    expect(await t.store.outbox.counts(article.id)).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0, blocked: 0, cancelled: 2 });
  });

  it("says nothing was retracted when another admin retracted the story before it was picked", async () => {
    const clock = new FakeClock("2026-11-30T12:00:00Z");
    t = await startDesk({ clock, stories: true });
    const article = await publishNewest(t, clock, []);
    const pick = await send(t, "/retract");
    await t.store.outbox.retract(article.id, { text: "Retracted" }, new Date(clock.now()));
    expect((await pressForReply(t, pick.buttons[0]?.[0]?.callbackData as string)).text).toBe(
      `Nothing was retracted: “${article.headline}” was retracted already, or is gone.`,
    );
  });

  it("leaves everything as it was on Cancel", async () => {
    const clock = new FakeClock("2026-11-30T12:00:00Z");
    t = await startDesk({ clock, stories: true });
    const article = await publishNewest(t, clock, []);
    const preview = await pickFirst(t, "/retract");
    expect((await pressForReply(t, buttonData(preview, /^Cancel$/) as string)).text).toBe(
      "Cancelled. Nothing was changed: the story stays out.",
    );
    expect((await t.store.articles.get(article.id))?.retractedAt).toBeUndefined();
    expect(channelPosts(t)[0]?.deleted).toBeUndefined();
  });
});
