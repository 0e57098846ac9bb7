import { Api, InlineKeyboard } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { FakeTelegram } from "../../src/sandbox/fake-telegram/index.js";
import { Transcript } from "../../src/sandbox/transcript.js";

const READER = 4242;
const ELSEWHERE = 5151;

describe("the sandbox's transcript", () => {
  let fake: FakeTelegram | undefined;
  let transcript: Transcript | undefined;
  afterEach(async () => {
    transcript?.stop();
    await fake?.close();
  });

  it("shows what the bot sends to a watched chat once, the answer to a press, its edits as edits and its deletion, and nothing of other chats", async () => {
    fake = await FakeTelegram.start();
    for (const id of [READER, ELSEWHERE]) fake.addChat({ id, type: "private" });
    const api = new Api(fake.token, { apiRoot: fake.apiRoot });
    const printed: string[] = [];
    transcript = new Transcript(fake, {
      chats: new Map([[READER, "bot → reader"]]),
      style: { ansi: false },
      print: (text) => printed.push(text),
    });

    const keyboard = new InlineKeyboard().text("Publish", "p").text("Cancel", "c");
    const sent = await api.sendMessage(READER, "<b>Preview</b> of a story", { parse_mode: "HTML", reply_markup: keyboard });
    await api.sendMessage(ELSEWHERE, "not for this terminal");
    transcript.flush();
    transcript.flush();
    expect(printed).toEqual(["── bot → reader\nPreview of a story\n[1] Publish   [2] Cancel"]);
    expect(transcript.lastMessageWithButtons(READER)?.messageId).toBe(sent.message_id);

    // A press's answer, which Telegram shows over the chat for a moment.
    const press = fake.pushCallbackQuery({ userId: READER, data: "p", messageId: sent.message_id });
    await api.answerCallbackQuery(press.callback_query!.id, { text: "Publishing…" });
    await api.answerCallbackQuery(fake.pushCallbackQuery({ userId: READER, data: "c" }).callback_query!.id);
    transcript.flush();
    expect(printed.slice(1)).toEqual(["── notice: Publishing…"]);
    printed.splice(1);

    await api.editMessageText(READER, sent.message_id, 'Published: <a href="https://t.me/news/1">the post</a>', { parse_mode: "HTML" });
    transcript.flush();
    expect(printed[1]).toBe("── bot → reader (edited)\nPublished: the post (https://t.me/news/1)");

    await api.deleteMessage(READER, sent.message_id);
    transcript.flush();
    expect(printed.slice(2)).toEqual(["── bot → reader (deleted): Published: the post"]);
  });
});
