import { afterEach, describe, expect, it, vi } from "vitest";
import { renderArticleCard } from "../../src/format/card.js";
import { loadTemplates } from "../../src/texts.js";
import type { SentMessage } from "../../src/sandbox/fake-telegram/index.js";
import { FakeClock } from "../support/fake-clock.js";
import type { TestBot } from "../support/harness.js";
import { buttonData, press, send, USER } from "../commands/support.js";
import { pressAs, sendAs } from "../commands/admin-support.js";
import { channelPosts, pickFirst, pressForReply, STRANGER, startDesk, untilPublished } from "./desk-support.js";

describe("/push", () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it("offers the newest stories, previews the exact channel card, and publishes it once, silently, ahead of the queue", async () => {
    t = await startDesk({ stories: true });
    const pick = await send(t, "/push");
    expect(pick.text).toBe("Push a story: pick one of the newest, or paste a link to an article. /cancel leaves.");
    expect(pick.buttons.map((row) => row[0]?.text)).toHaveLength(5);
    expect(pick.buttons[4]?.[0]?.text).toBe("🔎 Search");
    expect(pick.buttons[0]?.[0]?.text).toMatch(/ — .+, /);

    const preview = await pickFirst(t, "/push");
    const [newest] = await t.store.articles.latest(1);
    const expectedCard = renderArticleCard(newest!, loadTemplates(), { timeZone: t.config.schedule.timeZone });
    expect(preview.params.text).toBe(expectedCard);

    const silentData = buttonData(preview, /Silent: off/) as string;
    await press(t, silentData, { messageId: preview.messageId });
    const toggled = t.fake.sent(USER).find((m) => m.messageId === preview.messageId) as SentMessage;
    expect(buttonData(toggled, /Silent: on/)).toBe(silentData);

    const publish = buttonData(toggled, /Publish to channel/) as string;
    await press(t, publish, { messageId: preview.messageId });
    await t.fake.waitFor(() => channelPosts(t!).length === 1);
    expect(channelPosts(t)[0]?.params.text).toBe(expectedCard);
    expect(channelPosts(t)[0]?.params.disable_notification).toBe(true);
    expect((await t.store.articles.get(newest!.id))?.releasedAt).toBeInstanceOf(Date);

    // The second press: already out, with a link to the post; still one post.
    const before = t.fake.sent(USER).length;
    await press(t, publish, { messageId: preview.messageId });
    const again = (await t.fake.waitForSent(USER, before + 1))[before] as SentMessage;
    expect(again.params.text).toBe(`Already out: <a href="https://t.me/newsroom/${channelPosts(t)[0]?.messageId}">the post</a>.`);
    expect(channelPosts(t)).toHaveLength(1);
    // Replays ran no side effect twice: one preview, one push row.
    expect(t.fake.sent(USER).filter((m) => m.params.text === expectedCard)).toHaveLength(1);
    expect(await t.store.outbox.counts(newest!.id)).toEqual({ pending: 0, sending: 0, sent: 1, failed: 0, blocked: 0, cancelled: 0 });
  });

  it("says a story is already out when a second /push publishes it again", async () => {
    t = await startDesk({ stories: true });
    const publish = buttonData(await pickFirst(t, "/push"), /Publish to channel/) as string;
    await press(t, publish);
    await t.fake.waitFor(() => channelPosts(t!).length === 1);
    const again = buttonData(await pickFirst(t, "/push"), /Publish to channel/) as string;
    const before = t.fake.sent(USER).length;
    await press(t, again);
    const answer = (await t.fake.waitForSent(USER, before + 1))[before] as SentMessage;
    expect(answer.text).toBe("Already out: the post.");
    expect(channelPosts(t)).toHaveLength(1);
  });

  it("publishes nothing when the story was retracted while its preview was open", async () => {
    t = await startDesk({ stories: true });
    const preview = await pickFirst(t, "/push");
    const [newest] = await t.store.articles.latest(1);
    await t.store.outbox.retract(newest!.id, { text: "Retracted" }, new Date());
    expect((await pressForReply(t, buttonData(preview, /Publish to channel/) as string)).text).toBe(
      `Not published: “${newest!.headline}” was retracted meanwhile.`,
    );
    expect(channelPosts(t)).toEqual([]);
    expect(await t.store.outbox.counts(newest!.id)).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0, blocked: 0, cancelled: 0 });
  });

  it("refuses a non-admin's /push and desk buttons, and changes nothing", async () => {
    t = await startDesk({ stories: true });
    const [newest] = await t.store.articles.latest(1);
    expect((await sendAs(t, STRANGER, "/push")).text).toBe("This is for the newsroom's editors.");
    for (const data of [`1:d:a:${newest!.id}`, `1:d:p:${newest!.id}:0`, "1:d:s", "1:d:x"]) {
      expect(await pressAs(t, STRANGER, data)).toBe("This button is not for you.");
    }
    expect((await sendAs(t, STRANGER, "/cancel")).text).toBe("This is for the newsroom's editors.");
    expect(await t.store.dialogs.read(String(STRANGER))).toBeUndefined();
    expect((await t.store.articles.get(newest!.id))?.releasedAt).toBeUndefined();
    expect(await t.store.outbox.counts()).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0, blocked: 0, cancelled: 0 });
    expect(channelPosts(t)).toEqual([]);
  });

  it("goes on after a restart in the middle of the dialog, without sending the preview again", async () => {
    t = await startDesk({ stories: true });
    const preview = await pickFirst(t, "/push");
    expect(await t.store.dialogs.read(String(USER))).toBeDefined();
    t = await t.restart();
    await press(t, buttonData(preview, /Silent: off/) as string, { messageId: preview.messageId });
    const toggled = t.fake.sent(USER).find((m) => m.messageId === preview.messageId) as SentMessage;
    await press(t, buttonData(toggled, /Publish to channel/) as string, { messageId: preview.messageId });
    await t.fake.waitFor(() => channelPosts(t!).length === 1);
    expect(channelPosts(t)[0]?.params.disable_notification).toBe(true);
    expect(t.fake.sent(USER).filter((m) => m.params.text === preview.params.text)).toHaveLength(1);
    // The post can be out before the handler that queued it has finished and dropped the dialog's state.
    await vi.waitFor(async () => expect(await t!.store.dialogs.read(String(USER))).toBeUndefined());
  });

  it("answers a command typed mid-dialog as the command, hints at text, and leaves on /cancel", async () => {
    t = await startDesk({ stories: true });
    await pickFirst(t, "/push");
    expect((await send(t, "/latest 1")).text).toContain("Xinjiang");
    expect((await send(t, "hello")).text).toBe("Press one of the buttons above, or send /cancel to leave.");
    // /push again starts the dialog anew; /cancel then leaves that one.
    expect((await send(t, "/push")).text).toBe("Push a story: pick one of the newest, or paste a link to an article. /cancel leaves.");
    expect((await send(t, "/cancel")).text).toBe("Cancelled. Nothing was published.");
    expect((await send(t, "/cancel")).text).toBe("There is nothing to cancel.");
    expect(channelPosts(t)).toEqual([]);
  });

  it("points to the private chat when /push is sent in a group", async () => {
    t = await startDesk({ stories: true });
    const reply = await send(t, "/push", { chatId: -100777, chatType: "supergroup" });
    expect(reply.text).toBe(
      `The editors' desk works in a private chat: open a chat with @${t.fake.botInfo.username} and send /push there.`,
    );
  });

  it("ends a dialog left alone for 30 minutes and says so when the admin writes again", async () => {
    const clock = new FakeClock();
    t = await startDesk({ clock, stories: true });
    await pickFirst(t, "/push");
    await clock.advance(30 * 60_000 + 1);
    expect((await send(t, "hello")).text).toBe(
      "That dialog ended after 30 minutes without an answer: nothing was published. Start it again when you are ready.",
    );
    // The text was meant for the dialog and has its answer: the next reply is to the next command, not a hint.
    expect((await send(t, "/help")).text).toMatch(/^Commands/);
    await vi.waitFor(async () => expect(await t!.store.dialogs.read(String(USER))).toBeUndefined());
  });

  it("shows the broadcast's progress in one message, then the final report", async () => {
    const clock = new FakeClock();
    t = await startDesk({ clock, stories: true });
    const publish = buttonData(await pickFirst(t, "/push"), /Publish to channel/) as string;
    const before = t.fake.sent(USER).length;
    await press(t, publish);
    const live = (await t.fake.waitForSent(USER, before + 1))[before] as SentMessage;
    expect(live.text).toMatch(/^Publishing… .*\nSent 0 · failed 0 · blocked 0 · left 1/);
    const report = await untilPublished(t, clock, live);
    expect(report.text).toMatch(/^Published .*\nSent 1 · failed 0 · blocked 0$/);
    expect(t.fake.sent(USER).length).toBe(before + 1);
    expect(channelPosts(t)).toHaveLength(1);
  });

  it("stops following the progress when the bot stops, without touching the closed store", async () => {
    const clock = new FakeClock();
    t = await startDesk({ clock, stories: true });
    const before = t.fake.sent(USER).length;
    await press(t, buttonData(await pickFirst(t, "/push"), /Publish to channel/) as string);
    await t.fake.waitForSent(USER, before + 1);
    const stopped = t;
    t = await stopped.restart();
    // The old bot's progress loop would wake now, on a closed store.
    await clock.advance(10_000);
    expect(JSON.stringify(stopped.logs)).not.toContain("could not update a progress message");
  });

  it("stores an edited headline and summary as the article's own, refusing what does not fit with the limit", async () => {
    t = await startDesk({ stories: true });
    const preview = await pickFirst(t, "/push");
    expect((await pressForReply(t, buttonData(preview, /Edit headline/) as string)).text).toBe(
      "Send the new headline (at most 300 characters), or /cancel to leave.",
    );
    expect((await send(t, "x".repeat(301))).text).toBe(
      "That headline has 301 characters; it may have 1 to 300. Send a shorter one, or /cancel to leave.",
    );
    const edited = await send(t, "  Embassy  answers the report ");
    expect(edited.text.split("\n")[0]).toBe("Embassy answers the report");
    await pressForReply(t, buttonData(edited, /Edit summary/) as string);
    expect((await send(t, "s".repeat(401))).text).toBe(
      "That summary has 401 characters; it may have 1 to 400. Send a shorter one, or /cancel to leave.",
    );
    const final = await send(t, "The embassy answered within the hour.");
    expect(final.text).toContain("Embassy answers the report\n\nThe embassy answered within the hour.");
    expect((await send(t, "/latest 1")).text).toContain("Embassy answers the report");
    expect((await send(t, "/topic answered")).text).toContain("Embassy answers the report");
    await press(t, buttonData(final, /Publish to channel/) as string, { messageId: final.messageId });
    await t.fake.waitFor(() => channelPosts(t!).length === 1);
    expect(channelPosts(t)[0]?.params.text).toBe(final.params.text);
  });

  it("finds a story to push with the same search as /topic", async () => {
    t = await startDesk({ stories: true });
    const pick = await send(t, "/push");
    expect((await pressForReply(t, buttonData(pick, /Search/) as string)).text).toBe(
      "Send a few words to look for (as with /topic), or /cancel to leave.",
    );
    expect((await send(t, "zanzibar")).text).toBe("Nothing matches zanzibar. Try other words.");
    const found = await send(t, "Norway ports");
    expect(found.text).toBe("Stories matching Norway ports: pick one, or search again.");
    expect(found.buttons.map((row) => row[0]?.text)).toEqual([expect.stringMatching(/^Storm closes ports in Norway — /), "🔎 Search"]);
    const preview = await pressForReply(t, found.buttons[0]?.[0]?.callbackData as string);
    expect(preview.text.split("\n")[0]).toBe("Storm closes ports in Norway");
  });

  it("retries a dialog's reply after a 429 as every reply is (the plugin's own Api would not), and sends it once", async () => {
    t = await startDesk({ stories: true });
    const pick = await send(t, "/push");
    const flood = t.fake.injectFault({
      method: "sendMessage",
      status: 429,
      description: "Too Many Requests: retry after 1",
      retryAfter: 1,
      times: 1,
    });
    const preview = await pressForReply(t, pick.buttons[0]?.[0]?.callbackData as string);
    expect(flood.hits).toBe(1);
    expect(preview.text.split("\n")[0]).toContain("UK report over Xinjiang");
    expect(t.fake.sent(USER).filter((m) => m.params.text === preview.params.text)).toHaveLength(1);
  });

  it("alerts the followers with 'Publish + alert followers (N)', once, and reports them in the progress", async () => {
    const clock = new FakeClock();
    t = await startDesk({ clock, stories: true });
    const FOLLOWER = 777;
    t.fake.addChat({ id: FOLLOWER, type: "private" });
    await t.store.chats.recordStart({ id: FOLLOWER, kind: "private" });
    await t.store.subscriptions.follow(FOLLOWER, "xinjiang", 50);
    const preview = await pickFirst(t, "/push");
    const publishAll = buttonData(preview, /Publish \+ alert followers \(1\)/) as string;
    expect(publishAll).toMatch(/^1:d:q:/);
    const before = t.fake.sent(USER).length;
    await press(t, publishAll);
    const live = (await t.fake.waitForSent(USER, before + 1))[before] as SentMessage;
    expect((await untilPublished(t, clock, live)).text).toMatch(/\nSent 2 · failed 0 · blocked 0$/);
    expect(channelPosts(t)).toHaveLength(1);
    expect(t.fake.sent(FOLLOWER)).toHaveLength(1);
    expect(t.fake.sent(FOLLOWER)[0]?.text).toContain("UK report over Xinjiang");
    const again = await pressForReply(t, publishAll);
    expect(again.text).toMatch(/^Already out/);
    expect(channelPosts(t)).toHaveLength(1);
    expect(t.fake.sent(FOLLOWER)).toHaveLength(1);
    // Nothing more was queued to go later either.
    expect(await t.store.outbox.counts()).toEqual({ pending: 0, sending: 0, sent: 2, failed: 0, blocked: 0, cancelled: 0 });
  });
});
