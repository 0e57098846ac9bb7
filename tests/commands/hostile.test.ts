import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestBot } from "../support/harness.js";
import { press, send, startNewsBot, USER } from "./support.js";

const EXPIRED = "This button has expired. Please send the command again.";
const long = "Xinjiang ".repeat(560); // 5,040 characters
const emoji = "😀".repeat(3000);

/** One bot for the whole table: every input must get an answer, and Telegram must accept every answer. */
describe("hostile input", () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startNewsBot();
  });
  afterAll(() => t.stop());

  it.each([
    "/latest <b>bold</b>",
    "/latest -5",
    "/latest 99999999999999999999",
    "/latest 3.5",
    `/latest ${emoji}`,
    `/latest ${long}`,
    '/topic <script>alert("x")</script> & </a>',
    "/topic <b>xinjiang</b>",
    `/topic ${long}`,
    `/topic ${emoji}`,
    '/topic "unclosed quote',
    "/topic NEAR(a b) OR * ^x headline:xinjiang",
    "/topic '; DROP TABLE articles; --",
    `/follow ${long}`,
    `/follow ${emoji}`,
    "/follow <b>&amp;</b>",
    '/follow "><a href="x">',
    `/unfollow ${long}`,
    "/unfollow <i>",
    "/mytopics <b>",
    "/stop now & <b>",
    "/topics ?!",
    "/frobnicate <b>",
    "/x<b>",
    "مرحبا 😀😀😀",
    long,
    emoji,
  ])("answers %s", async (text) => {
    const reply = await send(t, text);
    expect(reply.text.length).toBeGreaterThan(0);
    expect(reply.text.length).toBeLessThanOrEqual(4096);
    expect(t.fake.stats.errors).toEqual([]);
    // A real answer, not the error boundary's apology.
    expect(reply.text).not.toMatch(/^Sorry, something went wrong/);
    expect(t.logs.filter((line) => line.msg === "handler failed")).toEqual([]);
  });

  it.each([
    ["an unknown prefix", "x:1:2"],
    ["an old version", "0:m:2:xinjiang"],
    ["a bad page number", "1:m:abc:xinjiang"],
    ["a page far beyond the results", "1:m:20:xinjiang"],
    ["a negative page", "1:m:-1:xinjiang"],
    ["oversized data", `1:t:${"x".repeat(200)}`],
    ["random bytes", Buffer.from([0xff, 0x00, 0x13, 0x37, 0xfe]).toString("latin1")],
    ["a topic that is not text", "1:f:\u0000"],
    ["empty data", ""],
    ["HTML", "<b>1:t:xinjiang</b>"],
  ])("answers a forged button (%s) with 'expired' and changes nothing", async (_name, data) => {
    const messages = () => t.fake.sent(USER).map((m) => `${m.messageId}:${m.history.length}`);
    const before = { messages: messages(), topics: await t.store.subscriptions.list(USER) };
    const answer = await press(t, data);
    expect(answer.text).toBe(EXPIRED);
    expect(messages()).toEqual(before.messages);
    expect(await t.store.subscriptions.list(USER)).toEqual(before.topics);
    expect(t.fake.stats.errors).toEqual([]);
  });

  it("answers a button pressed on a message the bot can no longer see", async () => {
    const before = t.fake.sent(USER).length;
    const answer = await press(t, "1:m:1:xinjiang", { messageId: 999_999 });
    expect(answer.text).toBeUndefined();
    // The page cannot replace a message that is gone: it comes as a new one.
    expect(t.fake.sent(USER)).toHaveLength(before + 1);
    expect(t.fake.stats.errors).toEqual([]);
  });

  it("answers buttons with HTML-looking topics as plain text", async () => {
    const answer = await press(t, "1:u:<b>&amp;");
    expect(answer.text).toBe("You don't follow <b>&amp;. /mytopics lists the topics you follow.");
  });
});
