import { Composer } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commandRegistry } from "../../commands/index.js";
import type { CommandDefinition } from "../../src/bot/menu.js";
import { adminOnly } from "../../src/bot/admin-gate.js";
import type { BotContext } from "../../src/bot/context.js";
import { createTemplates } from "../../src/format/templates.js";
import { readTemplateSources } from "../../src/texts.js";
import { startTestBot, type TestBot } from "../support/harness.js";
import { OTHER_STORIES } from "../support/reference-article.js";
import { storeText } from "../support/store-text.js";

const ADMIN = 7;
const READER = 4242;
const GROUP = -300;
const REFUSAL = "This is for the newsroom's editors.";
const NOT_FOR_YOU = "This button is not for you.";

/** What the test commands did: the gate must keep every one of them from running for a reader. */
let ran: string[] = [];

/** An admin command as the desk will bring them: an alias and a button besides the command itself. */
const desk = new Composer<BotContext>();
desk.command(["desk", "d"], async (ctx) => {
  ran.push(`desk by ${ctx.from?.id}`);
  await ctx.reply("Desk open");
});
desk.callbackQuery("desk:open", async (ctx) => {
  ran.push(`desk button by ${ctx.from?.id}`);
  await ctx.answerCallbackQuery({ text: "Opened" });
});

/** The gate reused in front of a button, as the desk will gate its presses. */
const tools = new Composer<BotContext>();
tools.callbackQuery("tools:run", adminOnly, async (ctx) => {
  ran.push(`tools button by ${ctx.from?.id}`);
  await ctx.answerCallbackQuery({ text: "Done" });
});

const registry: CommandDefinition[] = [
  ...commandRegistry,
  { command: "desk", scope: "admins", composer: desk, buttons: (data) => data === "desk:open" },
  { command: "tools", scope: "everyone", composer: tools },
];

/** The shipped templates, with the menu descriptions of the test commands. */
function templatesWithTestCommands() {
  const sources = readTemplateSources();
  const descriptions = JSON.parse(sources.files["commands.json"] ?? "{}") as Record<string, string>;
  const commandsJson = JSON.stringify({ ...descriptions, desk: "Open the editors' desk", tools: "Editors' tools" });
  return createTemplates({ ...sources, files: { ...sources.files, "commands.json": commandsJson } });
}

describe("the admin gate, in the bot that createBot builds", () => {
  let t: TestBot;
  beforeEach(async () => {
    ran = [];
    t = await startTestBot({ env: { ADMIN_IDS: String(ADMIN) }, commands: registry, templates: templatesWithTestCommands() });
  });
  afterEach(() => t.stop());

  /** Sends a message and waits for the bot's next message in that chat. */
  async function say(userId: number, text: string, chat: { chatId: number; chatType: "private" | "group" }) {
    const before = t.fake.sent(chat.chatId).length;
    t.fake.pushMessage({ userId, text, ...chat });
    const sent = await t.fake.waitForSent(chat.chatId, before + 1);
    return sent[before]?.text;
  }

  /** Presses a button on the chat's last message and waits for the press to be answered. */
  async function press(userId: number, data: string) {
    const before = t.fake.callbackAnswers.length;
    t.fake.pushCallbackQuery({ userId, data });
    await t.fake.waitFor(() => t.fake.callbackAnswers.length > before);
    return t.fake.callbackAnswers[before]?.text;
  }

  const inPrivate = (userId: number) => ({ chatId: userId, chatType: "private" as const });
  const inGroup = { chatId: GROUP, chatType: "group" as const };

  it("runs an admin command for an admin, in private and in a group", async () => {
    expect(await say(ADMIN, "/desk", inPrivate(ADMIN))).toBe("Desk open");
    expect(await say(ADMIN, "/desk", inGroup)).toBe("Desk open");
    expect(await say(ADMIN, `/desk@${t.bot.botInfo.username}`, inGroup)).toBe("Desk open");
    expect(ran).toEqual([`desk by ${ADMIN}`, `desk by ${ADMIN}`, `desk by ${ADMIN}`]);
    expect(await say(ADMIN, "/help", inPrivate(ADMIN))).toContain("/desk — Open the editors' desk");
  });

  it("gives anyone else one polite refusal in private, and nothing else happens", async () => {
    expect(await say(READER, "/desk", inPrivate(READER))).toBe(REFUSAL);
    // The next answer is /help's: nothing else was sent in between.
    expect(await say(READER, "/help", inPrivate(READER))).toMatch(/^Commands/);
    expect(t.fake.sent(READER).map((m) => m.text)).toEqual([REFUSAL, expect.stringMatching(/^Commands/)]);
    expect(t.fake.sent(READER)[1]?.text).not.toContain("/desk");
    expect(ran).toEqual([]);
    expect(t.fake.stats.errors).toEqual([]);
  });

  it("gives anyone else one polite refusal in a group, also for /desk@botname", async () => {
    const name = t.bot.botInfo.username;
    expect(await say(READER, "/desk", inGroup)).toBe(REFUSAL);
    expect(await say(READER, `/desk@${name}`, inGroup)).toBe(REFUSAL);
    expect(await say(READER, `/help@${name}`, inGroup)).toMatch(/^Commands/);
    expect(t.fake.sent(GROUP)).toHaveLength(3);
    expect(ran).toEqual([]);
  });

  it("runs nothing else of an admin command's composer for anyone else: not its alias, not its buttons", async () => {
    expect(await say(READER, "/d", inPrivate(READER))).toMatch(/^I don't know \/d\./);
    expect(await press(READER, "desk:open")).toBe(NOT_FOR_YOU);
    // A press no admin composer handles is not the gate's: the catch-all says it has expired.
    expect(await press(READER, "desk:gone")).toMatch(/^This button has expired/);
    expect(ran).toEqual([]);
    await say(ADMIN, "/d", inPrivate(ADMIN));
    expect(await press(ADMIN, "desk:open")).toBe("Opened");
    expect(ran).toEqual([`desk by ${ADMIN}`, `desk button by ${ADMIN}`]);
  });

  it("gates a button press when put in front of it: a notice for anyone else, the handler for an admin", async () => {
    await say(READER, "/help", inPrivate(READER));
    expect(await press(READER, "tools:run")).toBe(NOT_FOR_YOU);
    expect(t.fake.sent(READER)).toHaveLength(1);
    await say(ADMIN, "/help", inPrivate(ADMIN));
    expect(await press(ADMIN, "tools:run")).toBe("Done");
    expect(ran).toEqual([`tools button by ${ADMIN}`]);
  });

  it("answers anyone else's press of a /feeds, /schedule or desk button itself, and nothing in the store changes", async () => {
    const { feed } = await t.store.feeds.add("https://h.example/rss", "admin", "Harbour News");
    const { article } = await storeText(t.store, OTHER_STORIES[0] ?? "", { clock: t.clock });
    expect(await t.store.articles.queue(article.id)).toBe("queued");
    const before = { feeds: await t.store.feeds.list(), article: await t.store.articles.get(article.id) };
    await say(READER, "/help", inPrivate(READER));
    const presses = [
      ...["p", "x", "y"].map((op) => `1:e:${op}:${feed.id}`),
      `1:p:${article.id}`,
      `1:k:${article.id}`,
      `1:d:a:${article.id}`,
      `1:d:p:${article.id}:0`,
      `1:d:q:${article.id}:1`,
      "1:d:x",
    ];
    for (const data of presses) expect([data, await press(READER, data)]).toEqual([data, NOT_FOR_YOU]);
    expect({ feeds: await t.store.feeds.list(), article: await t.store.articles.get(article.id) }).toEqual(before);
    expect(await t.store.outbox.counts()).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0, blocked: 0, cancelled: 0 });
    expect(await t.store.dialogs.read(String(READER))).toBeUndefined();
    expect(t.fake.sent(READER)).toHaveLength(1);
  });
});
