import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { joinPastedParts } from "../../commands/post.js";
import { renderArticleCard } from "../../src/format/card.js";
import { loadTemplates } from "../../src/texts.js";
import type { SentMessage } from "../../src/sandbox/fake-telegram/index.js";
import type { TestBot } from "../support/harness.js";
import { FakeClock } from "../support/fake-clock.js";
import { REFERENCE_ARTICLE_PATH, REFERENCE_HEADLINE, REFERENCE_LINK, referenceArticleText } from "../support/reference-article.js";
import { buttonData, press, send, USER } from "../commands/support.js";
import { channelPosts, pressForReply, STRANGER, startDesk } from "./desk-support.js";
import { pressAs, sendAs } from "../commands/admin-support.js";

const DONE = "1:d:d";

/** The reference article as an admin pastes it: its link under the headline, cut in two messages between paragraphs. */
function referencePaste(): [string, string] {
  const [headline, ...rest] = referenceArticleText().split("\n");
  const body = rest.join("\n");
  const cut = body.indexOf("\n\nIn the report following");
  return [`${headline}\n${REFERENCE_LINK}\n${body.slice(0, cut)}`.trim(), body.slice(cut).trim()];
}

async function expectCleanPreview(t: TestBot, preview: SentMessage): Promise<void> {
  const [article] = await t.store.articles.latest(1);
  expect(article?.headline).toBe(REFERENCE_HEADLINE);
  expect(article?.source).toBe("straitstimes.com");
  expect(article?.releasedAt).toBeUndefined();
  expect(preview.params.text).toBe(renderArticleCard(article!, loadTemplates(), { timeZone: t.config.schedule.timeZone }));
  expect(preview.text).not.toMatch(/PHOTO|REUTERS/);
  expect(preview.text).not.toContain("Telegram channel");
  // The summary comes from the second message too: both parts were taken.
  expect(article?.body).toContain("sanctuary states");
}

describe("/post", () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it("takes the reference article pasted in two messages until Done, previews it clean, and publishes it once", async () => {
    t = await startDesk();
    const ask = await send(t, "/post");
    expect(ask.text).toMatch(/^Post an article: paste it as text/);
    expect(buttonData(ask, /Done/)).toBe(DONE);
    const [first, second] = referencePaste();
    expect((await send(t, first)).text).toBe(`Got it: 1 message, ${first.length} characters so far. Send the rest, or press Done.`);
    expect((await send(t, second)).text).toMatch(/^Got it: 2 messages, /);
    expect(await t.store.articles.latest(1)).toEqual([]);

    const preview = await pressForReply(t, DONE);
    await expectCleanPreview(t, preview);

    const publish = buttonData(preview, /Publish to channel/) as string;
    await press(t, publish, { messageId: preview.messageId });
    await t.fake.waitFor(() => channelPosts(t!).length === 1);
    expect(channelPosts(t)[0]?.params.text).toBe(preview.params.text);
    await press(t, publish, { messageId: preview.messageId });
    expect(channelPosts(t)).toHaveLength(1);
    // Replays stored it once and previewed it once.
    expect(await t.store.articles.latest(10)).toHaveLength(1);
    expect(t.fake.sent(USER).filter((m) => m.params.text === preview.params.text)).toHaveLength(1);
  });

  it("takes the reference article sent as a .txt file, with the same clean preview as the same text pasted", async () => {
    const file = readFileSync(REFERENCE_ARTICLE_PATH);
    t = await startDesk({ clock: new FakeClock() });
    await send(t, "/post");
    t.fake.pushDocument({ userId: USER, data: file, fileName: "xinjiang-embassy.txt", mimeType: "text/plain" });
    const received = (await t.fake.waitForSent(USER, 2))[1];
    expect(received?.text).toBe(
      `Got it: 1 message, ${file.toString("utf8").trim().length} characters so far. Send the rest, or press Done.`,
    );
    const fromFile = await pressForReply(t, DONE);
    expect(fromFile.text.split("\n")[0]).toBe(REFERENCE_HEADLINE);
    expect(fromFile.text).not.toMatch(/PHOTO|REUTERS/);
    expect(fromFile.text).not.toContain("Telegram channel");
    expect(t.fake.stats.fileDownloads).toBe(1);
    await t.stop();

    t = await startDesk({ clock: new FakeClock() });
    await send(t, "/post");
    await send(t, referenceArticleText());
    const pasted = await pressForReply(t, DONE);
    expect(fromFile.params.text).toBe(pasted.params.text);
  });

  it("answers a file that is not text, or too large, and goes on taking the paste", async () => {
    t = await startDesk();
    await send(t, "/post");
    const sendFile = async (data: Buffer, fileName: string, mimeType: string) => {
      const before = t!.fake.sent(USER).length;
      t!.fake.pushDocument({ userId: USER, data, fileName, mimeType });
      return (await t!.fake.waitForSent(USER, before + 1))[before]?.text;
    };
    expect(await sendFile(Buffer.from("%PDF-1.4"), "story.pdf", "application/pdf")).toBe(
      "Send the article as text, or as a .txt file; I cannot read this kind of file. /cancel leaves.",
    );
    expect(await sendFile(Buffer.alloc(1024 * 1024 + 1, 0x41), "long.txt", "text/plain")).toBe(
      "This file is too large: I read files of up to 1 MB. Send a smaller one.",
    );
    expect(t.fake.stats.fileDownloads).toBe(0);
    expect((await send(t, "Storm closes ports\n\nA storm closed three ports.")).text).toMatch(/^Got it: 1 message, /);
    expect((await pressForReply(t, DONE)).text.split("\n")[0]).toBe("Storm closes ports");
  });

  it("goes on after a restart in the middle of the paste", async () => {
    t = await startDesk();
    await send(t, "/post");
    const [first, second] = referencePaste();
    await send(t, first);
    t = await t.restart();
    expect((await send(t, second)).text).toMatch(/^Got it: 2 messages, /);
    const preview = await pressForReply(t, DONE);
    await expectCleanPreview(t, preview);
    await press(t, buttonData(preview, /Publish to channel/) as string, { messageId: preview.messageId });
    await t.fake.waitFor(() => channelPosts(t!).length === 1);
    await vi.waitFor(async () => expect(await t!.store.dialogs.read(String(USER))).toBeUndefined());
  });

  it("says what is missing when the paste has no article text, and takes it again", async () => {
    t = await startDesk();
    await send(t, "/post");
    expect((await pressForReply(t, DONE)).text).toBe("Nothing pasted yet: send the article as text first, or /cancel to leave.");
    await send(t, "Just a headline");
    expect((await pressForReply(t, DONE)).text).toMatch(/^Only a headline was found .* Paste it again, or \/cancel to leave\.$/);
    expect((await send(t, "Storm closes ports\n\nA storm closed three ports.")).text).toMatch(/^Got it: 1 message, /);
    expect((await pressForReply(t, DONE)).text.split("\n")[0]).toBe("Storm closes ports");
  });

  it("refuses a non-admin's /post and Done, and stores nothing", async () => {
    t = await startDesk();
    expect((await sendAs(t, STRANGER, "/post")).text).toBe("This is for the newsroom's editors.");
    expect(await pressAs(t, STRANGER, DONE)).toBe("This button is not for you.");
    expect(await t.store.dialogs.read(String(STRANGER))).toBeUndefined();
    expect(await t.store.articles.latest(1)).toEqual([]);
  });

  it("leaves on /cancel with nothing stored", async () => {
    t = await startDesk();
    await send(t, "/post");
    await send(t, referencePaste()[0]);
    expect((await send(t, "/cancel")).text).toBe("Cancelled. Nothing was published.");
    expect((await send(t, "/cancel")).text).toBe("There is nothing to cancel.");
    expect(await t.store.articles.latest(1)).toEqual([]);
    expect(channelPosts(t)).toEqual([]);
  });

  it("points to the private chat when /post is sent in a group", async () => {
    t = await startDesk();
    const reply = await send(t, "/post", { chatId: -100777, chatType: "supergroup" });
    expect(reply.text).toBe(
      `The editors' desk works in a private chat: open a chat with @${t.fake.botInfo.username} and send /post there.`,
    );
  });
});

describe("joinPastedParts", () => {
  it("puts back the paste's paragraph break between parts, and a space where Telegram cut a sentence", () => {
    expect(joinPastedParts(["Head\n\nOne.", "Two."])).toBe("Head\n\nOne.\n\nTwo.");
    expect(joinPastedParts(["Head\nOne.", "Two."])).toBe("Head\nOne.\nTwo.");
    const cut = `Head\n\n${"word ".repeat(818)}half`;
    expect(joinPastedParts([cut, "way there."])).toBe(`${cut} way there.`);
  });
});
