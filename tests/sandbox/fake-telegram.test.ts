import { Bot, GrammyError, HttpError, InputFile } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeTelegram } from "../../src/sandbox/fake-telegram/index.js";

const USER = 42;
const GROUP = -1001234567890;

let fake: FakeTelegram;
let bot: Bot;

beforeEach(async () => {
  fake = await FakeTelegram.start();
  bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  fake.addChat({ id: USER, type: "private", firstName: "Ada", username: "ada" });
});

afterEach(async () => {
  if (bot.isRunning()) await bot.stop();
  await fake.close();
});

/** Runs an API call that must fail and returns the GrammyError. */
async function apiError(call: Promise<unknown>): Promise<GrammyError> {
  const error: unknown = await call.then(
    () => new Error("expected the call to fail"),
    (e: unknown) => e,
  );
  if (!(error instanceof GrammyError)) throw error;
  return error;
}

function raw(method: string, init: RequestInit = {}, token = fake.token): Promise<Response> {
  return fetch(`${fake.apiRoot}/bot${token}/${method}`, init);
}

describe("identity and routing", () => {
  it("answers getMe with the configured bot, id taken from the token", async () => {
    await bot.init();
    expect(bot.botInfo).toMatchObject({ id: 123456, is_bot: true, username: "newsdesk_test_bot" });

    const other = await FakeTelegram.start({ token: "987:abc", username: "other_bot" });
    try {
      const otherBot = new Bot(other.token, { client: { apiRoot: other.apiRoot } });
      await otherBot.init();
      expect(otherBot.botInfo).toMatchObject({ id: 987, username: "other_bot" });
    } finally {
      await other.close();
    }
  });

  it("answers 401 to a wrong token and 404 to an unknown method", async () => {
    const unauthorized = await raw("getMe", {}, "123456:WRONG");
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({ ok: false, error_code: 401, description: "Unauthorized" });

    const unknown = await raw("sendTelepathy", { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ ok: false, error_code: 404, description: "Not Found" });
    expect(fake.stats.errors.map((e) => e.status)).toEqual([401, 404]);
  });

  it("accepts urlencoded bodies and GET query strings, JSON-decoding object fields", async () => {
    const form = new URLSearchParams({
      chat_id: String(USER),
      text: "<b>hi</b>",
      parse_mode: "HTML",
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "Go", callback_data: "go" }]] }),
    });
    const posted = await raw("sendMessage", { method: "POST", body: form });
    expect(posted.status).toBe(200);
    const got = await raw(`sendMessage?chat_id=${USER}&text=plain`);
    expect(await got.json()).toMatchObject({ ok: true, result: { message_id: 2, text: "plain" } });
    // Text fields stay strings even when they look like JSON.
    await raw("sendMessage", { method: "POST", body: new URLSearchParams({ chat_id: String(USER), text: "[1, 2]" }) });
    expect(fake.sent(USER)[2]?.text).toBe("[1, 2]");

    const [first] = fake.sent(USER);
    expect(first).toMatchObject({ text: "hi", entities: [{ type: "bold", offset: 0, length: 2 }] });
    expect(first?.buttons).toEqual([[{ text: "Go", callbackData: "go" }]]);
  });
});

describe("sending messages", () => {
  it("records a sent HTML message with entities, links, buttons and preview options", async () => {
    const message = await bot.api.sendMessage(USER, '  <b>Breaking</b>: <a href="https://news.example/1">read</a>  ', {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      reply_markup: {
        inline_keyboard: [
          [
            { text: "More", callback_data: "more:1" },
            { text: "Web", url: "https://news.example" },
          ],
        ],
      },
    });
    expect(message).toMatchObject({
      message_id: 1,
      chat: { id: USER, type: "private", first_name: "Ada", username: "ada" },
      from: { id: 123456, is_bot: true },
      text: "Breaking: read",
      entities: [
        { type: "bold", offset: 0, length: 8 },
        { type: "text_link", offset: 10, length: 4, url: "https://news.example/1" },
      ],
    });

    const [sent] = fake.sent(USER);
    expect(sent).toMatchObject({
      method: "sendMessage",
      chatId: USER,
      messageId: 1,
      text: "Breaking: read",
      parseMode: "HTML",
      links: ["https://news.example/1"],
      linkPreviewOptions: { is_disabled: true },
      buttons: [
        [
          { text: "More", callbackData: "more:1" },
          { text: "Web", url: "https://news.example" },
        ],
      ],
    });
    expect(sent?.html).toContain('<a href="https://news.example/1">');
  });

  it("resolves channels by @username", async () => {
    fake.addChat({ id: GROUP, type: "channel", title: "News", username: "newsdesk_news" });
    const message = await bot.api.sendMessage("@newsdesk_news", "hello channel");
    expect(message.chat).toMatchObject({ id: GROUP, type: "channel", title: "News" });
    expect(message.sender_chat?.id).toBe(GROUP);
    expect(fake.sent(GROUP).map((m) => m.text)).toEqual(["hello channel"]);
  });

  it("answers 400 for HTML Telegram can't parse", async () => {
    const error = await apiError(bot.api.sendMessage(USER, "<b>open", { parse_mode: "HTML" }));
    expect(error.error_code).toBe(400);
    expect(error.description).toBe("Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"");
    expect(fake.sent()).toEqual([]);
    expect(fake.stats.errors).toEqual([{ method: "sendMessage", status: 400, description: error.description, chatId: USER }]);
  });

  it("limits text to 4096 UTF-16 characters after parsing", async () => {
    const ok = await bot.api.sendMessage(USER, "&amp;".repeat(4096), { parse_mode: "HTML" });
    expect(ok.text).toHaveLength(4096);
    await bot.api.sendMessage(USER, `<b>${"x".repeat(4096)}</b>`, { parse_mode: "HTML" });
    await bot.api.sendMessage(USER, "😀".repeat(2048));

    const tooLong = await apiError(bot.api.sendMessage(USER, "&amp;".repeat(4097), { parse_mode: "HTML" }));
    expect([tooLong.error_code, tooLong.description]).toEqual([400, "Bad Request: message is too long"]);
    const emoji = await apiError(bot.api.sendMessage(USER, `${"😀".repeat(2048)}x`));
    expect(emoji.description).toBe("Bad Request: message is too long");
  });

  it("rejects empty texts and oversized callback data", async () => {
    const empty = await apiError(bot.api.sendMessage(USER, "<b> </b>", { parse_mode: "HTML" }));
    expect(empty.description).toBe("Bad Request: message text is empty");

    const data = "x".repeat(65);
    const button = await apiError(
      bot.api.sendMessage(USER, "hi", { reply_markup: { inline_keyboard: [[{ text: "b", callback_data: data }]] } }),
    );
    expect([button.error_code, button.description]).toEqual([400, "Bad Request: BUTTON_DATA_INVALID"]);
    // 64 bytes is still fine, counted in UTF-8 bytes (ü is 2).
    await bot.api.sendMessage(USER, "hi", { reply_markup: { inline_keyboard: [[{ text: "b", callback_data: "ü".repeat(32) }]] } });
  });

  it("answers 403 for blocked and deactivated users and 400 for unknown chats", async () => {
    fake.block(USER);
    const blocked = await apiError(bot.api.sendMessage(USER, "hi"));
    expect([blocked.error_code, blocked.description]).toEqual([403, "Forbidden: bot was blocked by the user"]);
    fake.unblock(USER);
    await bot.api.sendMessage(USER, "hi again");

    fake.deactivate(77);
    const deactivated = await apiError(bot.api.sendMessage(77, "hi"));
    expect([deactivated.error_code, deactivated.description]).toEqual([403, "Forbidden: user is deactivated"]);

    const unknown = await apiError(bot.api.sendMessage(999, "hi"));
    expect([unknown.error_code, unknown.description]).toEqual([400, "Bad Request: chat not found"]);
    expect(fake.sent().map((m) => m.text)).toEqual(["hi again"]);
  });

  it("edits keep the history; identical edits and deleted messages are refused", async () => {
    const first = await bot.api.sendMessage(USER, "v1", {
      reply_markup: { inline_keyboard: [[{ text: "b", callback_data: "b" }]] },
    });
    await bot.api.editMessageText(USER, first.message_id, "<i>v2</i>", {
      parse_mode: "HTML",
      reply_markup: { inline_keyboard: [[{ text: "b", callback_data: "b" }]] },
    });
    const notModified = await apiError(
      bot.api.editMessageText(USER, first.message_id, "<i>v2</i>", {
        parse_mode: "HTML",
        reply_markup: { inline_keyboard: [[{ text: "b", callback_data: "b" }]] },
      }),
    );
    expect(notModified.description).toMatch(/^Bad Request: message is not modified/);

    const [sent] = fake.sent(USER);
    expect(sent).toMatchObject({ text: "v2", entities: [{ type: "italic", offset: 0, length: 2 }] });
    expect(sent?.editedAt).toBeTypeOf("number");
    expect(sent?.history.map((v) => v.text)).toEqual(["v1"]);

    expect(await bot.api.deleteMessage(USER, first.message_id)).toBe(true);
    expect(fake.sent(USER)[0]?.deleted).toBe(true);
    const again = await apiError(bot.api.deleteMessage(USER, first.message_id));
    expect(again.description).toBe("Bad Request: message to delete not found");
    const edit = await apiError(bot.api.editMessageText(USER, first.message_id, "v3"));
    expect(edit.description).toBe("Bad Request: message to edit not found");
  });

  it("accepts a multipart photo upload with a caption and records it", async () => {
    const message = await bot.api.sendPhoto(USER, new InputFile(Buffer.from("png"), "a.png"), {
      caption: "<b>Photo</b> caption",
      parse_mode: "HTML",
      reply_markup: { inline_keyboard: [[{ text: "Open", url: "https://news.example/p" }]] },
    });
    expect(message.caption).toBe("Photo caption");
    expect(message.caption_entities).toEqual([{ type: "bold", offset: 0, length: 5 }]);
    const [sent] = fake.sent(USER);
    expect(sent).toMatchObject({ method: "sendPhoto", caption: "Photo caption", photo: { source: "upload", filename: "a.png", size: 3 } });
    expect(sent?.photo?.data?.toString()).toBe("png");
    // Multipart form fields holding JSON were decoded.
    expect(sent?.buttons).toEqual([[{ text: "Open", url: "https://news.example/p" }]]);

    // The returned file_id can be reused, as on Telegram; captions are capped at 1024.
    const fileId = message.photo.at(-1)?.file_id ?? "";
    await bot.api.sendPhoto(USER, fileId, { caption: "x".repeat(1024) });
    const long = await apiError(bot.api.sendPhoto(USER, "https://img.example/a.jpg", { caption: "x".repeat(1025) }));
    expect(long.description).toBe("Bad Request: message caption is too long");
    expect(fake.sent(USER).map((m) => m.photo?.source)).toEqual(["upload", "file_id"]);
  });
});

describe("files users send", () => {
  it("delivers message.document, answers getFile with a file_path and serves the bytes there, as the Bot API does", async () => {
    const data = Buffer.from("<opml/>");
    fake.pushDocument({ userId: USER, data, fileName: "feeds.opml", mimeType: "text/x-opml", caption: "mine" });
    const [update] = fake.pendingUpdates;
    const document = update?.message?.document;
    expect(document).toMatchObject({ file_name: "feeds.opml", mime_type: "text/x-opml", file_size: data.length });
    expect(update?.message?.caption).toBe("mine");
    const file = await bot.api.getFile(document?.file_id ?? "");
    expect(file).toMatchObject({ file_id: document?.file_id, file_unique_id: document?.file_unique_id, file_size: 7 });
    expect(file.file_path).toMatch(/^documents\/file_\d+\.opml$/);
    const download = await fetch(`${fake.apiRoot}/file/bot${fake.token}/${file.file_path}`);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(data);
    expect(fake.stats.fileDownloads).toBe(1);
    // Another token, or a path nobody was given, is not found.
    expect((await fetch(`${fake.apiRoot}/file/bot1:WRONG/${file.file_path}`)).status).toBe(404);
    expect((await fetch(`${fake.apiRoot}/file/bot${fake.token}/documents/nope.opml`)).status).toBe(404);
    expect((await apiError(bot.api.getFile("nope"))).description).toBe("Bad Request: invalid file_id");
  });

  it("refuses getFile for a file over 20 MB: bots cannot download it", async () => {
    fake.pushDocument({ userId: USER, data: Buffer.alloc(20 * 1024 * 1024 + 1), fileName: "big.opml", mimeType: "text/x-opml" });
    const document = fake.pendingUpdates[0]?.message?.document;
    expect((await apiError(bot.api.getFile(document?.file_id ?? ""))).description).toBe("Bad Request: file is too big");
    fake.pushDocument({ userId: USER, data: Buffer.alloc(20 * 1024 * 1024), fileName: "max.opml", mimeType: "text/x-opml" });
    const largest = fake.pendingUpdates[1]?.message?.document;
    expect((await bot.api.getFile(largest?.file_id ?? "")).file_size).toBe(20 * 1024 * 1024);
  });
});

describe("rate limiting, latency and faults", () => {
  it("answers 429 with retry_after when the global bucket is empty", async () => {
    fake.setRateLimit({ perSecond: 1, burst: 2 });
    await bot.api.sendMessage(USER, "1");
    await bot.api.sendMessage(USER, "2");
    const error = await apiError(bot.api.sendMessage(USER, "3"));
    expect(error.error_code).toBe(429);
    expect(error.description).toBe("Too Many Requests: retry after 1");
    expect(error.parameters.retry_after).toBe(1);
    // getMe is not a send method and is never limited.
    await bot.api.getMe();
    expect(fake.stats.tooManyRequests).toBe(1);

    fake.setRateLimit(null);
    await bot.api.sendMessage(USER, "3");
    expect(fake.sent(USER)).toHaveLength(3);
  });

  it("applies per-chat limits when switched on", async () => {
    fake.setRateLimit({ perChat: true });
    fake.addChat({ id: 43, type: "private" });
    await bot.api.sendMessage(USER, "a");
    await bot.api.sendMessage(43, "b");
    const error = await apiError(bot.api.sendMessage(USER, "c"));
    expect([error.error_code, error.parameters.retry_after]).toEqual([429, 1]);
  });

  it("adds latency", async () => {
    fake.setLatency(150);
    const started = Date.now();
    await bot.api.getMe();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("injects faults for a number of requests", async () => {
    const fault = fake.injectFault({ method: "sendMessage", status: 500, description: "Internal Server Error", times: 1 });
    const error = await apiError(bot.api.sendMessage(USER, "x"));
    expect([error.error_code, error.description]).toEqual([500, "Internal Server Error"]);
    await bot.api.sendMessage(USER, "x");
    expect(fault.hits).toBe(1);

    fake.injectFault({ status: 429, description: "Too Many Requests: retry after 7", retryAfter: 7, times: 1 });
    const flood = await apiError(bot.api.getChat(USER));
    expect(flood.parameters.retry_after).toBe(7);
  });

  it("hangs requests until the client aborts them", async () => {
    const fault = fake.injectFault({ method: "sendMessage", status: 0, description: "", hang: true });
    const abort = new AbortController();
    // grammY types its signal with the abort-controller polyfill; the runtime object is the same.
    const signal = abort.signal as Parameters<typeof bot.api.sendMessage>[3];
    const pending = bot.api.sendMessage(USER, "x", {}, signal);
    await fake.waitFor(() => fault.hits === 1);
    abort.abort();
    await expect(pending).rejects.toThrow();
    expect(fake.sent()).toEqual([]);
  });

  it("cuts the connection without an answer, as a network failure does", async () => {
    const fault = fake.injectFault({ method: "getMe", reset: true, times: 2 });
    for (let i = 0; i < 2; i++) {
      const error: unknown = await bot.api.getMe().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).error).toMatchObject({ code: "ECONNRESET" });
    }
    expect(fault.hits).toBe(2);
    expect((await bot.api.getMe()).id).toBe(fake.botInfo.id);
    expect(fake.stats.errors).toEqual([]);
  });

  it("hangs requests until the server closes", async () => {
    fake.injectFault({ method: "getChat", status: 0, description: "", hang: true });
    const pending = bot.api.getChat(USER).then(
      () => "answered",
      () => "failed",
    );
    await fake.waitFor(() => fake.stats.byMethod.getChat === 1);
    await fake.close();
    expect(await pending).toBe("failed");
  });
});

describe("updates", () => {
  it("long polling delivers a pushed /start and bot.stop() returns promptly", async () => {
    bot.command("start", (ctx) => ctx.reply(`Welcome, ${ctx.from?.first_name ?? "?"}`));
    const update = fake.pushMessage({ userId: USER, text: "/start@newsdesk_test_bot now", firstName: "Ada" });
    expect(update.message?.entities).toEqual([{ type: "bot_command", offset: 0, length: 24 }]);

    void bot.start({ drop_pending_updates: false });
    const [reply] = await fake.waitForSent(USER, 1);
    expect(reply?.text).toBe("Welcome, Ada");

    const started = Date.now();
    await bot.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    // bot.stop() confirmed the handled update.
    expect(fake.pendingUpdates).toEqual([]);
  });

  it("callback queries reach bot.on('callback_query') and are answered", async () => {
    bot.on("callback_query:data", async (ctx) => {
      await ctx.answerCallbackQuery({ text: `got ${ctx.callbackQuery.data}` });
      await ctx.editMessageText("pressed");
    });
    await bot.api.sendMessage(USER, "choose", { reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] } });
    const update = fake.pushCallbackQuery({ userId: USER, data: "a" });
    expect(update.callback_query?.message?.message_id).toBe(1);

    void bot.start();
    await fake.waitFor(() => fake.sent(USER)[0]?.text === "pressed");
    expect(fake.callbackAnswers).toEqual([{ callback_query_id: update.callback_query?.id, text: "got a" }]);
    // Editing without reply_markup removed the keyboard, as on Telegram.
    expect(fake.sent(USER)[0]?.buttons).toEqual([]);
  });

  it("getUpdates honours offset, limit and timeout", async () => {
    const ids = [1, 2, 3].map((n) => fake.pushMessage({ userId: USER, text: `m${n}` }).update_id);
    expect(ids).toEqual([1, 2, 3]);
    expect((await bot.api.getUpdates({ limit: 2 })).map((u) => u.update_id)).toEqual([1, 2]);
    expect((await bot.api.getUpdates({ offset: 3 })).map((u) => u.update_id)).toEqual([3]);
    expect(fake.pendingUpdates.map((u) => u.update_id)).toEqual([3]);

    const started = Date.now();
    expect(await bot.api.getUpdates({ offset: 4, timeout: 1 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    const waiting = bot.api.getUpdates({ offset: 4, timeout: 30 });
    setTimeout(() => fake.pushMessage({ userId: USER, text: "late" }), 50);
    expect((await waiting).map((u) => u.message?.text)).toEqual(["late"]);
  });

  it("a second getUpdates ends the pending one with 409, as on Telegram", async () => {
    const first = apiError(bot.api.getUpdates({ timeout: 30 }));
    await fake.waitFor(() => fake.stats.byMethod.getUpdates === 1);
    expect(await bot.api.getUpdates()).toEqual([]);
    const error = await first;
    expect([error.error_code, error.description]).toEqual([
      409,
      "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    ]);
  });

  it("close() releases a pending long poll with an empty result", async () => {
    const waiting = bot.api.getUpdates({ timeout: 30 });
    await fake.waitFor(() => fake.stats.byMethod.getUpdates === 1);
    const started = Date.now();
    await fake.close();
    expect(await waiting).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("refuses getUpdates while a webhook is set", async () => {
    await bot.api.setWebhook("https://bot.example/hook");
    expect((await bot.api.getWebhookInfo()).url).toBe("https://bot.example/hook");
    const error = await apiError(bot.api.getUpdates());
    expect(error.error_code).toBe(409);
    await bot.api.deleteWebhook({ drop_pending_updates: true });
    expect(await bot.api.getUpdates()).toEqual([]);
  });

  it("pushUpdate makes the chat known", async () => {
    fake.pushUpdate({
      message: {
        message_id: 1,
        date: 0,
        chat: { id: -5, type: "group", title: "G" },
        from: { id: 7, is_bot: false, first_name: "Bo" },
        text: "hi",
      },
    });
    expect((await bot.api.getChat(-5)).title).toBe("G");
  });
});

describe("chats, members and commands", () => {
  it("reports members and administrators", async () => {
    fake.addChat({ id: GROUP, type: "supergroup", title: "Desk" });
    fake.setMember(GROUP, 7, "creator", { firstName: "Owner" });
    fake.setMember(GROUP, fake.botInfo.id, "administrator");
    expect((await bot.api.getChatMember(GROUP, 7)).status).toBe("creator");
    expect((await bot.api.getChatMember(USER, USER)).status).toBe("member");
    const admins = await bot.api.getChatAdministrators(GROUP);
    expect(admins.map((a) => [a.user.id, a.status])).toEqual([
      [7, "creator"],
      [123456, "administrator"],
    ]);
    const error = await apiError(bot.api.getChatAdministrators(USER));
    expect(error.description).toBe("Bad Request: there are no administrators in the private chat");
  });

  it("stores commands per scope and language", async () => {
    const commands = [{ command: "start", description: "Start" }];
    await bot.api.setMyCommands(commands);
    await bot.api.setMyCommands([{ command: "stop", description: "Stopp" }], {
      scope: { type: "chat", chat_id: USER },
      language_code: "de",
    });
    expect(fake.commands).toEqual({
      '{"type":"default"}': commands,
      [`{"type":"chat","chat_id":${USER}}|de`]: [{ command: "stop", description: "Stopp" }],
    });
    expect(await bot.api.getMyCommands()).toEqual(commands);
    expect(await bot.api.getMyCommands({ language_code: "de" })).toEqual([]);
    await bot.api.deleteMyCommands();
    expect(fake.getCommands()).toBeUndefined();
    const invalid = await apiError(bot.api.setMyCommands([{ command: "Bad Command", description: "x" }]));
    expect(invalid.description).toBe("Bad Request: BOT_COMMAND_INVALID");
  });
});

describe("test helpers", () => {
  it("waitForSent explains what was sent when it times out", async () => {
    await bot.api.sendMessage(USER, "only one");
    await apiError(bot.api.sendMessage(USER, "<x>", { parse_mode: "HTML" }));
    await expect(fake.waitForSent(USER, 2, 100)).rejects.toThrow(
      /expected at least 2 message\(s\) to chat 42 within 100ms, got 1[\s\S]*#1 sendMessage: "only one"[\s\S]*Unsupported start tag "x"/,
    );
  });

  it("counts requests per method and resets", async () => {
    await bot.api.getMe();
    await bot.api.sendMessage(USER, "a");
    expect(fake.stats).toMatchObject({ requests: 2, byMethod: { getMe: 1, sendMessage: 1 }, errors: [] });
    fake.resetStats();
    expect(fake.stats).toEqual({ requests: 0, byMethod: {}, tooManyRequests: 0, errors: [], fileDownloads: 0 });
  });
});
