import { afterEach, describe, expect, it } from "vitest";
import { syncCommandMenu } from "../../src/bot/command-sync.js";
import { commandMenu } from "../../src/bot/create-bot.js";
import { loadTemplates } from "../../src/texts.js";
import { startTestBot, type TestBot } from "../support/harness.js";

const USER = 1001;

describe("the bot, end to end over HTTP against the fake Telegram", () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it("greets on /start, lists the commands, and records the chat", async () => {
    t = await startTestBot();
    t.fake.pushMessage({ userId: USER, text: "/start", firstName: "Ann <3" });
    const [reply] = await t.fake.waitForSent(USER, 1);
    expect(reply?.text).toContain("Hello, Ann <3!");
    expect(reply?.text).toMatch(/\/start — .+/);
    expect(reply?.text).toMatch(/\/help — .+/);
    expect((await t.store.chats.get(USER))?.kind).toBe("private");
    expect(t.fake.stats.errors).toEqual([]);
  });

  it("lists the commands on /help", async () => {
    t = await startTestBot();
    t.fake.pushMessage({ userId: USER, text: "/help" });
    const [reply] = await t.fake.waitForSent(USER, 1);
    expect(reply?.text).toMatch(/^Commands\n\/start — .+\n\/help — .+/);
    expect(reply?.text).not.toContain("For editors");
  });

  it.each([
    ["an unknown command", "/frobnicate now", /I don't know \/frobnicate\. Send \/help/],
    ["plain text", "hello there", /^Send \/help to see what I can do\.$/],
    ["text with HTML in it", '<script>alert("x")</script> & <b>bold', /^Send \/help/],
    ["an unknown command made of HTML", "/x<b>", /I don't know \/x\. /],
    ["emoji and right-to-left text", "مرحبا 😀😀😀", /^Send \/help/],
  ])("answers %s with a hint that Telegram accepts", async (_name, text, expected) => {
    t = await startTestBot();
    t.fake.pushMessage({ userId: USER, text });
    const [reply] = await t.fake.waitForSent(USER, 1);
    expect(reply?.text).toMatch(expected);
    expect(t.fake.stats.errors).toEqual([]);
  });

  it("answers commands in groups, also with @botname, and ignores chatter and other bots' commands", async () => {
    t = await startTestBot();
    const group = -200;
    const name = t.bot.botInfo.username;
    t.fake.pushMessage({ chatId: group, chatType: "group", userId: USER, text: "good morning all" });
    t.fake.pushMessage({ chatId: group, chatType: "group", userId: USER, text: "/weather@some_other_bot" });
    t.fake.pushMessage({ chatId: group, chatType: "group", userId: USER, text: `/help@${name}` });
    t.fake.pushMessage({ chatId: group, chatType: "group", userId: USER, text: `/nope@${name}` });
    // Chatter after the commands too; a last addressed command marks the end: updates are handled in order.
    t.fake.pushMessage({ chatId: group, chatType: "group", userId: USER, text: "/latest@some_other_bot" });
    t.fake.pushMessage({ chatId: group, chatType: "group", userId: USER, text: `/help@${name}` });
    const replies = await t.fake.waitForSent(group, 3);
    expect(replies.map((reply) => reply.text.split("\n")[0])).toEqual([
      expect.stringMatching(/^Commands/),
      expect.stringMatching(/I don't know \/nope/),
      expect.stringMatching(/^Commands/),
    ]);
    expect(await t.store.chats.get(group)).toBeUndefined();
  });

  it("apologizes when a handler fails, logs it, and keeps running", async () => {
    t = await startTestBot();
    await t.store.close(); // the database goes away under the bot: /start cannot record the chat
    t.fake.pushMessage({ userId: USER, text: "/start" });
    const [apology] = await t.fake.waitForSent(USER, 1);
    expect(apology?.text).toMatch(/^Sorry, something went wrong/);
    expect(t.logs.some((line) => line.level === 50 && line.msg === "handler failed")).toBe(true);
    t.fake.pushMessage({ userId: USER, text: "/help" });
    const replies = await t.fake.waitForSent(USER, 2);
    expect(replies[1]?.text).toMatch(/^Commands/);
  });

  it("marks a user who blocked the bot, and says nothing more to them", async () => {
    t = await startTestBot();
    t.fake.pushMessage({ userId: USER, text: "/start" });
    await t.fake.waitForSent(USER, 1);
    // The user blocks the bot between sending /help and getting the answer.
    t.fake.injectFault({ method: "sendMessage", status: 403, description: "Forbidden: bot was blocked by the user", times: 1 });
    t.fake.pushMessage({ userId: USER, text: "/help" });
    await t.fake.waitFor(() => t!.fake.stats.errors.some((e: { status: number }) => e.status === 403));
    await expect.poll(async () => (await t!.store.chats.get(USER))?.blockedAt).toBeInstanceOf(Date);
    expect(t.fake.sent(USER)).toHaveLength(1);
  });

  it("retries replies after 429 flood waits instead of dropping them", async () => {
    t = await startTestBot({ fakeOptions: { rateLimit: { perSecond: 1, burst: 1 } } });
    for (let i = 0; i < 3; i++) t.fake.pushMessage({ userId: USER + i, text: "/help" });
    for (let i = 0; i < 3; i++) await t.fake.waitForSent(USER + i, 1, 10_000);
    expect(t.fake.stats.tooManyRequests).toBeGreaterThan(0);
  });

  it("logs one child logger per update, and never the token", async () => {
    t = await startTestBot();
    t.fake.pushMessage({ userId: USER, text: "/help" });
    await t.fake.waitForSent(USER, 1);
    await expect.poll(() => t!.logs.some((line) => line.msg === "update handled")).toBe(true);
    const handled = t.logs.find((line) => line.msg === "update handled");
    expect(handled).toMatchObject({ chatId: USER, command: "help" });
    expect(typeof handled?.updateId).toBe("number");
    t.logger.info({ url: `${t.fake.apiRoot}/bot${t.fake.token}/getMe` }, `token ${t.fake.token}`);
    const all = JSON.stringify(t.logs);
    expect(all).not.toContain(t.fake.token);
    expect(all).toContain("[secret]");
  });

  it("publishes the menu from the registry: subscribers by default, admins in their chat scope", async () => {
    t = await startTestBot({ poll: false, env: { ADMIN_IDS: `${USER},999` } });
    t.fake.addChat({ id: USER, type: "private" });
    await syncCommandMenu(t.bot.api, commandMenu(loadTemplates()), t.config.adminIds, t.logger);
    const byScope = t.fake.commands;
    const everyone = byScope[JSON.stringify({ type: "default" })];
    expect(everyone?.map((c: { command: string }) => c.command)).toEqual([
      "start",
      "help",
      "latest",
      "topic",
      "topics",
      "follow",
      "unfollow",
      "mytopics",
      "stop",
    ]);
    expect(byScope[JSON.stringify({ type: "chat", chat_id: USER })]).toBeDefined();
    // 999 never started the bot: skipped with a warning, not a crash.
    expect(t.logs.some((line) => line.adminId === 999 && line.level === 40)).toBe(true);
  });
});

describe("logging errors", () => {
  it("keeps the message and stack of an error, and scrubs the token even from a network error", async () => {
    const { Api, HttpError } = await import("grammy");
    const { captureLogger } = await import("../support/capture-logger.js");
    const token = "123456:SECRET-TOKEN-for-logs";
    const { logger, lines } = captureLogger("info", [token]);
    const api = new Api(token, { apiRoot: "http://127.0.0.1:1" }); // nothing listens on port 1
    const error = await api.getMe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    logger.error({ err: error }, "handler failed");
    logger.error({ err: new Error("plain failure") }, "job failed");
    const [network, plain] = lines;
    expect(JSON.stringify(network)).toContain("Network request for 'getMe' failed");
    expect(JSON.stringify(lines)).not.toContain("SECRET-TOKEN");
    expect(plain).toMatchObject({ err: { message: "plain failure" } });
    expect(String((plain?.err as { stack?: string }).stack)).toContain("bot.e2e.test");
  });
});
