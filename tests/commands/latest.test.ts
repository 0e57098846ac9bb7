import { afterEach, describe, expect, it } from "vitest";
import { parseCount } from "../../commands/latest.js";
import { startTestBot, type TestBot } from "../support/harness.js";
import { REFERENCE_HEADLINE, REFERENCE_LINK } from "../support/reference-article.js";
import { ingest, send, startNewsBot } from "./support.js";

describe("/latest", () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it("shows the newest story as a card with its preview, then the others as linked headlines with age", async () => {
    t = await startNewsBot();
    const reply = await send(t, "/latest");
    expect(reply.text.startsWith(REFERENCE_HEADLINE)).toBe(true);
    expect(reply.text).toContain("Read on straitstimes.com");
    expect(reply.links[0]).toBe(REFERENCE_LINK);
    expect(reply.linkPreviewOptions).toEqual({ url: REFERENCE_LINK, prefer_small_media: false });
    expect(reply.text).toMatch(
      /Also new\n• Storm closes ports in Norway — news\.example, 2 h ago\n• Central bank holds rates — news\.example, 5 h ago\n• Embassy reopens in Kabul — Newsdesk, 1 d ago$/,
    );
    expect(reply.links).toEqual([REFERENCE_LINK, "https://news.example/storm", "https://news.example/rates"]);
    expect(t.fake.stats.errors).toEqual([]);
  });

  it("shows n stories, and clamps more than 10 with a note", async () => {
    t = await startNewsBot();
    const two = await send(t, "/latest 2");
    expect(two.text).toMatch(/Also new\n• Storm closes ports in Norway — news\.example, 2 h ago$/);
    const one = await send(t, "/latest 1");
    expect(one.text).not.toContain("Also new");
    const many = await send(t, "/latest 99999999999999999999");
    expect(many.text).toContain("Embassy reopens in Kabul");
    expect(many.text).toMatch(/I send at most 10 stories at a time\.$/);
    expect(t.fake.stats.errors).toEqual([]);
  });

  it.each(["-5", "abc", "0", "3.5", "<b>", "١٢"])("explains a bad count: /latest %s", async (n) => {
    t = await startNewsBot();
    const reply = await send(t, `/latest ${n}`);
    expect(reply.text).toBe("Send /latest for the newest 5 stories, or /latest and a number from 1 to 10, e.g. /latest 3.");
    expect(t.fake.stats.errors).toEqual([]);
  });

  it("says so politely when nothing is stored", async () => {
    t = await startTestBot();
    expect((await send(t, "/latest")).text).toBe("No stories yet. Please try again in a little while.");
  });

  it("stays within Telegram's limits with ten hostile stories", async () => {
    t = await startTestBot();
    for (let i = 0; i < 10; i++) {
      await ingest(t, `<b>${i}</b> ${"😀".repeat(1500)} & "quoted"\n\n${"<i>Body</i> & text. ".repeat(300)}`, {
        link: `https://e.example/${i}?a=<b>&c="d"`,
      });
    }
    const reply = await send(t, "/latest 10");
    expect(reply.text.length).toBeLessThanOrEqual(4096);
    expect(reply.text).toContain("Also new");
    expect(t.fake.stats.errors).toEqual([]);
  });

  it("answers /latest@botname in a group", async () => {
    t = await startNewsBot();
    const reply = await send(t, `/latest@${t.bot.botInfo.username} 1`, { chatId: -300, chatType: "supergroup" });
    expect(reply.text.startsWith(REFERENCE_HEADLINE)).toBe(true);
    expect(reply.links).toEqual([REFERENCE_LINK]);
  });
});

describe("parseCount", () => {
  it.each<[string, ReturnType<typeof parseCount>]>([
    ["", { n: 5, clamped: false }],
    [" 3 ", { n: 3, clamped: false }],
    ["10", { n: 10, clamped: false }],
    ["11", { n: 10, clamped: true }],
    ["007", { n: 7, clamped: false }],
    ["99999999999999999999", { n: 10, clamped: true }],
    ["0", undefined],
    ["-5", undefined],
    ["3.5", undefined],
    ["1e3", undefined],
    ["abc", undefined],
    ["5 6", undefined],
  ])("%j → %j", (input, expected) => {
    expect(parseCount(input)).toEqual(expected);
  });
});
