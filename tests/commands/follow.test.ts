import { afterEach, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/harness.js";
import { buttonData, press, send, startNewsBot, USER } from "./support.js";

describe("following topics", () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it("follows a normalized topic, records the chat, and knows it already follows it", async () => {
    t = await startTestBot();
    const added = await send(t, "/follow Uighur");
    expect(added.text).toBe("🔔 You now follow uyghur. I'll send you new stories on it. /mytopics lists your topics.");
    expect(await t.store.subscriptions.list(USER)).toEqual(["uyghur"]);
    expect((await t.store.chats.get(USER))?.kind).toBe("private");
    expect((await send(t, "/subscribe  #UYGHUR ")).text).toBe("You already follow uyghur.");
    expect((await send(t, "/follow Zürich")).text).toContain("You now follow zurich.");
    expect(await t.store.subscriptions.list(USER)).toEqual(["uyghur", "zurich"]);
  });

  it("follows from the button of /topic", async () => {
    t = await startNewsBot();
    const reply = await send(t, "/topic Uighurs");
    const data = buttonData(reply, /Follow/);
    expect(data).toBe("1:f:uyghur");
    const answer = await press(t, data as string);
    expect(answer.text).toBe("🔔 You now follow uyghur. I'll send you new stories on it. /mytopics lists your topics.");
    expect(await t.store.subscriptions.list(USER)).toEqual(["uyghur"]);
    expect((await t.store.chats.get(USER))?.kind).toBe("private");
    expect((await press(t, data as string)).text).toBe("You already follow uyghur.");
    expect(t.fake.stats.errors).toEqual([]);
  });

  it("refuses a topic over 64 characters and saves nothing", async () => {
    t = await startTestBot();
    expect((await send(t, `/follow ${"a".repeat(65)}`)).text).toBe("A topic can be at most 64 characters long. Please try a shorter one.");
    expect(await t.store.subscriptions.list(USER)).toEqual([]);
    expect((await send(t, `/follow ${"a".repeat(64)}`)).text).toMatch(/^🔔 You now follow a{64}\./);
  });

  it("refuses the 51st topic", async () => {
    t = await startTestBot();
    await t.store.chats.recordStart({ id: USER, kind: "private" });
    for (let i = 0; i < 50; i++) await t.store.subscriptions.follow(USER, `topic ${i}`, 50);
    const reply = await send(t, "/follow xinjiang");
    expect(reply.text).toBe("You follow 50 topics, the most I keep. Remove one with /mytopics, then follow xinjiang again.");
    expect(await t.store.subscriptions.list(USER)).toHaveLength(50);
    expect(await t.store.subscriptions.list(USER)).not.toContain("xinjiang");
  });

  it.each([
    ["/follow", "Send /follow and a topic, e.g. /follow xinjiang."],
    ["/follow 😀😀😀 !!!", "There are no words in that to follow. Try e.g. /follow xinjiang."],
    ["/unfollow", "Send /unfollow and a topic, e.g. /unfollow xinjiang, or use the buttons of /mytopics."],
    ["/unfollow ???", "There are no words in that. /mytopics lists the topics you follow."],
    ["/unfollow volcanoes", "You don't follow volcanoes. /mytopics lists the topics you follow."],
    ["/mytopics", "You don't follow any topics yet. Send /follow and a topic, e.g. /follow xinjiang."],
    ["/stop", "You weren't following any topics. Send /follow and a topic to get alerts."],
  ])("answers %s politely", async (text, expected) => {
    t = await startTestBot();
    expect((await send(t, text)).text).toBe(expected);
  });

  it("unfollows by any spelling of the topic", async () => {
    t = await startTestBot();
    await send(t, "/follow uyghur");
    expect((await send(t, "/unsubscribe Uighur")).text).toBe("You no longer follow uyghur.");
    expect(await t.store.subscriptions.list(USER)).toEqual([]);
  });

  it("lists topics with a remove button each, and removes one in place", async () => {
    t = await startTestBot();
    for (const topic of ["xinjiang", "Uighur", "forced labour"]) await send(t, `/follow ${topic}`);
    const list = await send(t, "/mytopics");
    expect(list.text).toBe(
      "Your topics (3 of 50)\n• xinjiang\n• uyghur\n• forced labour\n\nTap a button to stop following that topic; /stop stops them all.",
    );
    expect(list.buttons.flat().map((b) => b.callbackData)).toEqual(["1:u:xinjiang", "1:u:uyghur", "1:u:forced labour"]);
    const answer = await press(t, buttonData(list, /uyghur/) as string, { messageId: list.messageId });
    expect(answer.text).toBe("You no longer follow uyghur.");
    expect(await t.store.subscriptions.list(USER)).toEqual(["xinjiang", "forced labour"]);
    expect(list.text).toMatch(/^Your topics \(2 of 50\)\n• xinjiang\n• forced labour\n/);
    expect(list.buttons.flat().map((b) => b.callbackData)).toEqual(["1:u:xinjiang", "1:u:forced labour"]);

    // The same button again (a second tap, an old message): nothing changes.
    const again = await press(t, "1:u:uyghur", { messageId: list.messageId });
    expect(again.text).toBe("You don't follow uyghur. /mytopics lists the topics you follow.");
    expect(list.history).toHaveLength(1);
    expect(t.fake.stats.errors).toEqual([]);
  });

  it("shows all 50 topics of a full list within Telegram's limits", async () => {
    t = await startTestBot();
    await t.store.chats.recordStart({ id: USER, kind: "private" });
    for (let i = 0; i < 50; i++) await t.store.subscriptions.follow(USER, `${String(i).padStart(2, "0")} ${"新疆".repeat(30)}`, 50);
    const list = await send(t, "/mytopics");
    expect(list.text).toMatch(/^Your topics \(50 of 50\)/);
    // Too long for callback data: no buttons, and /unfollow still works.
    expect(list.buttons).toEqual([]);
    expect(t.fake.stats.errors).toEqual([]);
  });

  it("stops every topic on /stop", async () => {
    t = await startTestBot();
    await send(t, "/follow xinjiang");
    await send(t, "/follow uk");
    expect((await send(t, "/stop")).text).toBe(
      "Done: you no longer follow any topics (2 removed). Send /follow and a topic to start again.",
    );
    expect(await t.store.subscriptions.list(USER)).toEqual([]);
  });

  it("sends group members to the private chat, and saves nothing for the group", async () => {
    t = await startTestBot();
    const group = { chatId: -500, chatType: "group" as const };
    const name = t.bot.botInfo.username;
    for (const command of ["follow", "unfollow", "mytopics", "stop"]) {
      const reply = await send(t, `/${command}@${name} xinjiang`, group);
      expect(reply.text).toBe(`Alerts are private. Open a chat with @${name}, press Start and send /${command} there.`);
    }
    expect(await t.store.subscriptions.list(-500)).toEqual([]);
    expect(await t.store.chats.get(-500)).toBeUndefined();

    t.fake.pushMessage({ userId: USER, text: "/follow xinjiang", chatId: -500, chatType: "group" }); // not addressed: still ours
    await t.fake.waitForSent(-500, 5);
    const answer = await press(t, "1:f:xinjiang", { chatId: -500 });
    expect(answer.text).toBe(`Alerts are private. Open a chat with @${name}, press Start and send /follow there.`);
    expect(await t.store.subscriptions.list(-500)).toEqual([]);
    expect(await t.store.subscriptions.list(USER)).toEqual([]);
  });
});
