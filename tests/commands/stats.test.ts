import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../support/fake-clock.js";
import { startTestBot, type TestBot } from "../support/harness.js";
import { message } from "../support/outbox-fixtures.js";
import { OTHER_STORIES, REFERENCE_LINK, referenceArticleText } from "../support/reference-article.js";
import { ADMIN, sendAs } from "./admin-support.js";
import { ingest, USER } from "./support.js";

const HOUR = 3_600_000;
/** 18:00 in Singapore (UTC+8): its day began at 16:00 UTC the day before. */
const NOW = "2026-11-30T10:00:00Z";

describe("/stats", () => {
  let t: TestBot;
  let clock: FakeClock;
  beforeEach(async () => {
    clock = new FakeClock(NOW);
    t = await startTestBot({ clock, env: { ADMIN_IDS: String(ADMIN), TIMEZONE: "Asia/Singapore" } });
  });
  afterEach(() => t.stop());

  /** A known newsroom: 3 readers (1 blocked) and a group, 3 follows, 4 articles, a day of deliveries, 2 feeds. */
  async function fixture() {
    for (const id of [501, 502, 503]) await t.store.chats.recordStart({ id, kind: "private" });
    await t.store.chats.recordStart({ id: -300, kind: "group", title: "Newsroom" });
    await t.store.chats.markBlocked(503);
    await t.store.subscriptions.follow(501, "xinjiang", 50);
    await t.store.subscriptions.follow(502, "xinjiang", 50);
    await t.store.subscriptions.follow(502, "volcano", 50);

    // Stored oldest first, as feed runs store them: 30 h ago is yesterday; 17 h ago (01:00 in Singapore) is today,
    // though it is yesterday in UTC.
    for (const [i, text] of OTHER_STORIES.entries()) await ingest(t, text, { hoursAgo: [30, 17, 2][i] ?? 1 });
    await ingest(t, referenceArticleText(), { link: REFERENCE_LINK });

    // Deliveries: two rows from 30 hours ago (one sent, one still pending), five from 3 hours ago.
    const at = (hoursAgo: number) => new Date(clock.now() - hoursAgo * HOUR);
    await t.store.outbox.enqueue([message("alert", 601), message("alert", 607)], at(30));
    await t.store.outbox.enqueue(
      [602, 603, 604, 605, 606].map((id) => message("alert", id)),
      at(3),
    );
    const ids = await t.store.outbox.ready(new Date(clock.now()), 100);
    const rowOf = (chatId: number) => ids.find((row) => row.chatId === String(chatId))!.id;
    for (const chatId of [601, 602, 603]) await t.store.outbox.markSent(rowOf(chatId), 1, at(1));
    await t.store.outbox.markFailed(rowOf(604), "Bad Request: message is too long");
    await t.store.outbox.markChatBlocked("605", "Forbidden: bot was blocked by the user");

    const [broken, fine] = await t.store.feeds.ensure(["https://broken.example/rss", "https://fine.example/rss"], "config");
    await t.store.feeds.recordFailure(broken!.id, "HTTP 503 Service Unavailable", at(2), at(1));
    await t.store.feeds.recordFailure(broken!.id, "HTTP 503 Service Unavailable", at(1), at(0));
    await t.store.feeds.recordSuccess(fine!.id, { title: "Fine News", at: at(1) });
  }

  it("gives an admin the numbers of a known fixture", async () => {
    await fixture();
    const reply = await sendAs(t, ADMIN, "/stats");
    expect(reply.text).toBe(
      [
        "Newsdesk in numbers",
        "",
        "Readers: 2 active, 1 blocked the bot",
        "Most followed topics",
        "• xinjiang (2)",
        "• volcano (1)",
        "",
        "Articles stored today (30 Nov 2026): 3",
        "Deliveries, last 24 hours: 2 sent, 1 failed, 1 blocked",
        "Outbox: 2 waiting to be sent",
        "",
        "Failing feeds",
        "• https://broken.example/rss: 2 failures in a row, last: HTTP 503 Service Unavailable",
      ].join("\n"),
    );
  });

  it("says when nothing is there yet", async () => {
    const reply = await sendAs(t, ADMIN, "/stats");
    expect(reply.text).toContain("Readers: 0 active, 0 blocked the bot");
    expect(reply.text).toContain("Nobody follows a topic yet.");
    expect(reply.text).toContain("None: every feed's last fetch worked.");
  });

  it("refuses a reader and reveals nothing", async () => {
    await fixture();
    const reply = await sendAs(t, USER, "/stats");
    expect(reply.text).toBe("This is for the newsroom's editors.");
    expect(t.fake.sent(USER)).toHaveLength(1);
  });
});
