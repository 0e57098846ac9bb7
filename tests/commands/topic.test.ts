import { afterEach, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/harness.js";
import { REFERENCE_HEADLINE, REFERENCE_LINK } from "../support/reference-article.js";
import { buttonData, ingest, press, send, startNewsBot, USER } from "./support.js";

describe("/topic", () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it.each(["xinjiang", "uighurs", "uyghur", "embassies", '"forced labour"', "#Xinjiang"])(
    "finds the reference article for /topic %s, linked, with source and a snippet",
    async (query) => {
      t = await startNewsBot();
      const reply = await send(t, `/topic ${query}`);
      expect(reply.text).toContain(REFERENCE_HEADLINE);
      expect(reply.links).toContain(REFERENCE_LINK);
      expect(reply.text).toMatch(/straitstimes\.com · just now\n\S/);
      expect(buttonData(reply, /Follow/)).toMatch(/^1:f:/);
      expect(t.fake.stats.errors).toEqual([]);
    },
  );

  it("shows the headline, linked, then source and age, then a one-line snippet", async () => {
    t = await startNewsBot();
    const reply = await send(t, "/topic xinjiang");
    const [title, meta, snippet] = reply.text.split("\n").slice(2);
    expect(title).toBe(REFERENCE_HEADLINE);
    expect(meta).toBe("straitstimes.com · just now");
    expect(snippet?.length).toBeGreaterThan(20);
    expect(reply.entities.some((e) => e.type === "text_link" && e.url === REFERENCE_LINK)).toBe(true);
    // One page, nothing more: no paging buttons.
    expect(buttonData(reply, /More|Back/)).toBeUndefined();
  });

  it("pages with More and Back, editing the message in place", async () => {
    t = await startNewsBot();
    for (let i = 1; i <= 7; i++)
      await ingest(t, `Xinjiang story number ${i}\n\nReport ${i} from Xinjiang on the cotton harvest.`, { hoursAgo: i });
    const first = await send(t, "/topic xinjiang");
    expect(first.text.match(/(Newsdesk|straitstimes\.com) ·/g)).toHaveLength(5);
    const more = buttonData(first, /More/);
    expect(more).toBe("1:m:2:xinjiang");

    const answer = await press(t, more as string, { messageId: first.messageId });
    expect(answer.text).toBeUndefined();
    const second = t.fake.sent(USER).find((m) => m.messageId === first.messageId);
    expect(t.fake.sent(USER)).toHaveLength(1); // edited, not sent anew
    expect(second?.history).toHaveLength(1);
    expect(second?.text).toMatch(/^🔎 xinjiang · page 2/);
    expect(second?.text.match(/(Newsdesk|straitstimes\.com) ·/g)).toHaveLength(3);
    const headlines = (text: string) => text.split("\n").filter((line) => /^(UK report|Xinjiang story)/.test(line));
    const all = [...headlines(first.history[0]?.text ?? ""), ...headlines(second?.text ?? "")];
    expect(new Set(all).size).toBe(8);
    expect(buttonData(second, /More/)).toBeUndefined();
    expect(buttonData(second, /Follow/)).toBe("1:f:xinjiang");

    await press(t, buttonData(second, /Back/) as string, { messageId: first.messageId });
    expect(t.fake.sent(USER)[0]?.text).toBe(first.history[0]?.text);
    expect(t.fake.stats.errors).toEqual([]);
  });

  it("answers a More for a page that no longer exists without touching the message", async () => {
    t = await startNewsBot();
    const reply = await send(t, "/topic xinjiang");
    const answer = await press(t, "1:m:9:xinjiang", { messageId: reply.messageId });
    expect(answer.text).toBe("This button has expired. Please send the command again.");
    expect(t.fake.sent(USER)[0]?.history).toHaveLength(0);
  });

  it("suggests popular topics when nothing matches, with a Follow button", async () => {
    t = await startNewsBot();
    const reply = await send(t, "/topic volcano");
    expect(reply.text).toMatch(/^No stories on volcano yet\./);
    expect(reply.text).toMatch(/Popular topics:\n• /);
    expect(reply.text).toContain("• china");
    expect(buttonData(reply, /Follow volcano/)).toBe("1:f:volcano");
    const topicButton = buttonData(reply, /^china$/);
    expect(topicButton).toBe("1:t:china");
    await press(t, topicButton as string);
    expect(t.fake.sent(USER)[1]?.text).toContain(REFERENCE_HEADLINE);
  });

  it("prefers topics people follow as suggestions", async () => {
    t = await startNewsBot();
    await t.store.chats.recordStart({ id: 77, kind: "private" });
    await t.store.subscriptions.follow(77, "volcanoes", 50);
    const reply = await send(t, "/topic");
    expect(reply.text).toMatch(/^Send \/topic and a few words/);
    expect(reply.text).toMatch(/Popular topics:\n• volcanoes$/);
    expect(buttonData(reply, /volcanoes/)).toBe("1:t:volcanoes");
  });

  it("lists popular topics on a bare /topic, and hints on a query of punctuation", async () => {
    t = await startNewsBot();
    const bare = await send(t, "/topic");
    expect(bare.text).toMatch(/^Send \/topic and a few words, e\.g\. \/topic xinjiang\.\n\nPopular topics:\n• /);
    const punctuation = await send(t, "/topic ?!…");
    expect(punctuation.text).toMatch(/^I can't search for \?!…: there are no words in it\./);
    expect(t.fake.stats.errors).toEqual([]);
  });

  it("says nothing is stored yet, without suggestions", async () => {
    t = await startTestBot();
    const reply = await send(t, "/topic xinjiang");
    expect(reply.text).toBe("No stories on xinjiang yet. Follow it and I'll send you the next one.");
    expect(reply.buttons.flat().map((b) => b.text)).toEqual(["🔔 Follow xinjiang"]);
  });

  it("leaves out the More button when the query is too long for it, and says so", async () => {
    t = await startNewsBot();
    for (let i = 1; i <= 6; i++) await ingest(t, `Xinjiang story number ${i}\n\nReport ${i} from Xinjiang.`, { hoursAgo: i });
    const longQuery = "xinjiang ".repeat(8).trim(); // 71 bytes: more than a button can carry
    const reply = await send(t, `/topic ${longQuery}`);
    expect(reply.text).toMatch(/send a shorter query to page through them\.$/);
    expect(buttonData(reply, /More/)).toBeUndefined();
    expect(t.fake.stats.errors).toEqual([]);
  });

  it("answers /topic@botname in a group", async () => {
    t = await startNewsBot();
    const reply = await send(t, `/topic@${t.bot.botInfo.username} uyghur`, { chatId: -400, chatType: "group" });
    expect(reply.text).toContain(REFERENCE_HEADLINE);
  });
});

describe("/topics", () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it("lists the week's commonest tags with counts, as buttons that show each topic", async () => {
    t = await startNewsBot();
    await ingest(t, "Xinjiang cotton ban widens\n\nMore brands dropped Xinjiang cotton, China said.", { hoursAgo: 3 });
    await ingest(t, "Old Xinjiang story\n\nXinjiang, long ago.", { hoursAgo: 24 * 10 });
    const reply = await send(t, "/topics");
    expect(reply.text).toMatch(/^Topics of the last 7 days\n• /);
    expect(reply.text).toContain("• xinjiang (2)");
    expect(reply.text).toMatch(/Tap a topic to see its stories\.$/);
    const data = buttonData(reply, /^xinjiang \(2\)$/);
    expect(data).toBe("1:t:xinjiang");
    await press(t, data as string);
    const shown = t.fake.sent(USER)[1];
    expect(shown?.text).toMatch(/^🔎 xinjiang\n/);
    expect(shown?.links).toContain(REFERENCE_LINK);
  });

  it("says so when there is nothing recent", async () => {
    t = await startTestBot();
    const reply = await send(t, "/topics");
    expect(reply.text).toBe("No stories in the last 7 days, so no topics yet.");
    expect(reply.buttons).toEqual([]);
  });
});
