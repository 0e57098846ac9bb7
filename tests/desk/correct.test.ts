import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../support/fake-clock.js";
import type { SentMessage } from "../../src/sandbox/fake-telegram/index.js";
import type { TestBot } from "../support/harness.js";
import { buttonData, press, send, USER } from "../commands/support.js";
import { pressAs, sendAs } from "../commands/admin-support.js";
import { channelPosts, pickFirst, pressForReply, STRANGER, startDesk } from "./desk-support.js";
import { addFollower, FOLLOWER, publishNewest, releaseNewest, releaseStory, untilReport } from "./revision-support.js";

/** /correct, the newest published story picked, its headline edited: the corrected preview. */
async function correctHeadline(t: TestBot, headline: string): Promise<SentMessage> {
  const card = await pickFirst(t, "/correct");
  await pressForReply(t, buttonData(card, /Edit headline/) as string);
  return send(t, headline);
}

/** Presses "Send correction" and returns the live progress message. */
async function sendCorrection(t: TestBot, preview: SentMessage): Promise<SentMessage> {
  return pressForReply(t, buttonData(preview, /Send correction/) as string);
}

describe("/correct", () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it("edits the channel post and the alerts already sent, with an 'Updated' line, once, and reports it", async () => {
    const clock = new FakeClock("2026-11-30T12:00:00Z");
    t = await startDesk({ clock, stories: true });
    await addFollower(t);
    const article = await publishNewest(t, clock);

    const pick = await send(t, "/correct");
    expect(pick.text).toBe("Correct a story: pick one of the newest published. /cancel leaves.");
    // Only the published story is offered, then Search.
    expect(pick.buttons.map((row) => row[0]?.text)).toEqual([expect.stringMatching(/^UK report over Xinjiang/), "🔎 Search"]);
    const card = await pressForReply(t, pick.buttons[0]?.[0]?.callbackData as string);
    expect(card.params.text).toBe(channelPosts(t)[0]?.params.text);
    expect(buttonData(card, /Send correction/)).toBeUndefined();
    expect((await pressForReply(t, buttonData(card, /Edit headline/) as string)).text).toBe(
      "Send the new headline (at most 300 characters), or /cancel to leave.",
    );
    expect((await send(t, "x".repeat(301))).text).toMatch(/^That headline has 301 characters/);
    const preview = await send(t, "Embassy rejects UK report on Xinjiang");
    expect(preview.text.split("\n")[0]).toBe("Embassy rejects UK report on Xinjiang");
    // 12:00 UTC in TIMEZONE (UTC by default).
    expect(preview.text).toContain("\nUpdated 12:00\n");
    // Nothing is stored before the correction is sent.
    expect((await t.store.articles.get(article.id))?.headline).toBe(article.headline);

    const live = await sendCorrection(t, preview);
    expect(live.text).toMatch(/^Correcting… Embassy rejects UK report on Xinjiang\nEdited 0 · failed 0 · blocked 0 · left 2/);
    const report = await untilReport(t, clock, live, "Corrected");
    expect(report.text).toBe("Corrected Embassy rejects UK report on Xinjiang\nEdited 2 · failed 0 · blocked 0");

    const [post] = channelPosts(t);
    expect(post?.html).toBe(preview.params.text);
    expect(post?.history).toHaveLength(1);
    const [alert] = t.fake.sent(FOLLOWER);
    expect(alert?.text).toMatch(
      /^🔔 New on xinjiang — you follow this topic\. \/mytopics to change\.\n\nEmbassy rejects UK report on Xinjiang\n/,
    );
    expect(alert?.text).toContain("\nUpdated 12:00\n");
    expect(alert?.history).toHaveLength(1);
    // Nothing new was sent: the messages were edited in place.
    expect(channelPosts(t)).toHaveLength(1);
    expect(t.fake.sent(FOLLOWER)).toHaveLength(1);
    expect((await send(t, "/latest 1")).text).toContain("Embassy rejects UK report on Xinjiang");

    // Replays ran no side effect twice: one preview, one progress message.
    expect(t.fake.sent(USER).filter((m) => m.params.text === preview.params.text)).toHaveLength(1);
    expect(t.fake.sent(USER).filter((m) => m.text.startsWith("Correct"))).toHaveLength(2);
    // A second press of Send correction does nothing more.
    expect((await press(t, buttonData(preview, /Send correction/) as string)).text).toBe(
      "This button has expired. Please send the command again.",
    );
    expect(await t.store.outbox.counts(article.id, 1)).toEqual({ pending: 0, sending: 0, sent: 2, failed: 0, blocked: 0, cancelled: 0 });
  });

  it("corrects a story a second time: each correction edits the messages again", async () => {
    const clock = new FakeClock("2026-11-30T12:00:00Z");
    t = await startDesk({ clock, stories: true });
    await addFollower(t);
    const article = await publishNewest(t, clock);
    await untilReport(t, clock, await sendCorrection(t, await correctHeadline(t, "First correction")), "Corrected");
    await clock.advance(90 * 60_000);

    const pick = await send(t, "/correct");
    expect(pick.buttons[0]?.[0]?.text).toMatch(/^First correction — /);
    const card = await pressForReply(t, pick.buttons[0]?.[0]?.callbackData as string);
    await pressForReply(t, buttonData(card, /Edit summary/) as string);
    const preview = await send(t, "The embassy answered the report within the hour.");
    expect(buttonData(preview, /Send correction \(2 messages\)/)).toBeDefined();
    await untilReport(t, clock, await sendCorrection(t, preview), "Corrected");

    const [post] = channelPosts(t);
    expect(post?.history).toHaveLength(2);
    expect(post?.text).toMatch(/^First correction\n\nThe embassy answered the report within the hour\.\n/);
    expect(post?.text).toContain("\nUpdated 13:30\n");
    expect(t.fake.sent(FOLLOWER)[0]?.history).toHaveLength(2);
    expect(await t.store.outbox.counts(article.id, 2)).toEqual({ pending: 0, sending: 0, sent: 2, failed: 0, blocked: 0, cancelled: 0 });
  });

  it("sends a message still waiting in the outbox with the corrected text, not the original", async () => {
    const clock = new FakeClock("2026-11-30T12:00:00Z");
    t = await startDesk({ clock, stories: true });
    await addFollower(t);
    // Delivery is held back: the post and the alert wait in the outbox while the editor corrects the story.
    await t.engine.stop();
    const article = await releaseNewest(t);
    const preview = await correctHeadline(t, "Embassy rejects UK report on Xinjiang");
    expect(buttonData(preview, /Send correction \(0 messages\)/)).toBeDefined();
    const live = await sendCorrection(t, preview);
    expect(live.text).toBe(
      "Corrected Embassy rejects UK report on Xinjiang\nEdited 0 · failed 0 · blocked 0\n2 not sent yet: they go out corrected.",
    );

    await t.engine.start();
    t.engine.notify();
    await clock.runUntil(() => channelPosts(t!).length === 1 && t!.fake.sent(FOLLOWER).length === 1);
    // Their readers never saw the first version: the corrected text goes out without the "Updated" line of the preview.
    expect(channelPosts(t)[0]?.params.text).toBe((preview.params.text as string).replace("\n<i>Updated 12:00</i>", ""));
    expect(channelPosts(t)[0]?.history).toEqual([]);
    expect(t.fake.sent(FOLLOWER)[0]?.text).toContain("\n\nEmbassy rejects UK report on Xinjiang\n");
    expect(t.fake.sent(FOLLOWER)[0]?.text).not.toContain("Updated");
    expect(await t.store.outbox.counts(article.id)).toEqual({ pending: 0, sending: 0, sent: 2, failed: 0, blocked: 0, cancelled: 0 });
  });

  it("finishes a correction that a restart left in flight", async () => {
    const clock = new FakeClock("2026-11-30T12:00:00Z");
    t = await startDesk({ clock, stories: true });
    const article = await publishNewest(t, clock, []);
    await t.engine.stop();
    await untilReport(t, clock, await sendCorrection(t, await correctHeadline(t, "Embassy rejects UK report")), "Correcting");
    // As if the process died between claiming the edit and Telegram's answer.
    const [row] = await t.store.outbox.ready(new Date(clock.now()), 10);
    expect(row).toMatchObject({ kind: "correction", target: { state: "sent" } });
    expect(await t.store.outbox.claim(row!.id)).toMatchObject({ id: row!.id });
    t = await t.restart();
    await clock.runUntil(() => channelPosts(t!)[0]?.history.length === 1);
    expect(channelPosts(t)[0]?.text.split("\n")[0]).toBe("Embassy rejects UK report");
    expect(await t.store.outbox.counts(article.id, 1)).toEqual({ pending: 0, sending: 0, sent: 1, failed: 0, blocked: 0, cancelled: 0 });
  });

  it("goes on after a restart between an edit and the confirmation, and sends the edited correction", async () => {
    const clock = new FakeClock("2026-11-30T12:00:00Z");
    t = await startDesk({ clock, stories: true });
    const article = await publishNewest(t, clock, []);
    const preview = await correctHeadline(t, "Embassy rejects UK report");
    t = await t.restart();
    const live = await sendCorrection(t, preview);
    expect(live.text).toMatch(/^Correcting… Embassy rejects UK report\n/);
    expect((await untilReport(t, clock, live, "Corrected")).text).toBe(
      "Corrected Embassy rejects UK report\nEdited 1 · failed 0 · blocked 0",
    );
    expect(channelPosts(t)[0]?.text.split("\n")[0]).toBe("Embassy rejects UK report");
    expect((await t.store.articles.get(article.id))?.headline).toBe("Embassy rejects UK report");
  });

  it("counts one message in the singular, and says nothing was changed on /cancel", async () => {
    const clock = new FakeClock("2026-11-30T12:00:00Z");
    t = await startDesk({ clock, stories: true });
    const article = await publishNewest(t, clock, []);
    const preview = await correctHeadline(t, "Embassy rejects UK report");
    expect(preview.buttons[0]?.map((b) => b.text)).toEqual(["Send correction (1 message)"]);
    expect((await send(t, "/cancel")).text).toBe("Cancelled. Nothing was changed: the story and its messages read as before.");
    expect((await t.store.articles.get(article.id))?.headline).toBe(article.headline);
    expect(channelPosts(t)[0]?.history).toEqual([]);
  });

  it("says nothing was corrected when the story was retracted while the admin edited it", async () => {
    const clock = new FakeClock("2026-11-30T12:00:00Z");
    t = await startDesk({ clock, stories: true });
    const article = await publishNewest(t, clock, []);
    const card = await pickFirst(t, "/correct");
    await pressForReply(t, buttonData(card, /Edit headline/) as string);
    await t.store.outbox.retract(article.id, { text: "Retracted" }, new Date(clock.now()));
    expect((await send(t, "Embassy rejects UK report")).text).toBe(
      `Nothing was corrected: “${article.headline}” was retracted already, or is gone.`,
    );
  });

  it("offers the stories released last first, whatever their feed's date", async () => {
    const clock = new FakeClock("2026-11-30T12:00:00Z");
    t = await startDesk({ clock, stories: true });
    await publishNewest(t, clock, []);
    // A story from the feed 30 hours ago, pushed now: the newest release.
    const older = (await t.store.articles.latest(10)).find((article) => article.headline === "Embassy reopens in Kabul");
    await releaseStory(t, older!);
    await clock.runUntil(() => channelPosts(t!).length === 2);
    const pick = await send(t, "/correct");
    expect(pick.buttons.map((row) => row[0]?.text)).toEqual([
      expect.stringMatching(/^Embassy reopens in Kabul/),
      expect.stringMatching(/^UK report over Xinjiang/),
      "🔎 Search",
    ]);
  });

  it("refuses a non-admin's /correct and its buttons, and changes nothing", async () => {
    const clock = new FakeClock("2026-11-30T12:00:00Z");
    t = await startDesk({ clock, stories: true });
    const article = await publishNewest(t, clock, []);
    const before = await t.store.outbox.counts();
    expect((await sendAs(t, STRANGER, "/correct")).text).toBe("This is for the newsroom's editors.");
    for (const data of [`1:d:a:${article.id}`, "1:d:h", `1:d:c:${article.id}`, "1:d:x"]) {
      expect(await pressAs(t, STRANGER, data)).toBe("This button is not for you.");
    }
    expect(await t.store.dialogs.read(String(STRANGER))).toBeUndefined();
    expect((await t.store.articles.get(article.id))?.headline).toBe(article.headline);
    expect(await t.store.outbox.counts()).toEqual(before);
    expect(channelPosts(t)[0]?.history).toEqual([]);
  });

  it("is in the admins' /help, and points to the private chat when /correct is sent in a group", async () => {
    t = await startDesk();
    const help = (await send(t, "/help")).text;
    expect(help).toContain("/correct — Correct a published story: edits its post and alerts");
    expect(help).toContain("/retract — Retract a published story: deletes its post and alerts");
    const reply = await send(t, "/correct", { chatId: -100777, chatType: "supergroup" });
    expect(reply.text).toBe(
      `The editors' desk works in a private chat: open a chat with @${t.fake.botInfo.username} and send /correct there.`,
    );
  });
});
