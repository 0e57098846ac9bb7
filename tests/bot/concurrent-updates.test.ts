import { Composer } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { commandRegistry } from "../../commands/index.js";
import { systemClock, type Clock } from "../../src/clock.js";
import type { BotContext } from "../../src/bot/context.js";
import type { CommandDefinition } from "../../src/bot/menu.js";
import { startPolling, startWebhook, type UpdateSource } from "../../src/bot/updates.js";
import { createTemplates } from "../../src/format/templates.js";
import { readTemplateSources } from "../../src/texts.js";
import { FakeClock } from "../support/fake-clock.js";
import { freePort } from "../support/free-port.js";
import { startTestBot, type TestBot } from "../support/harness.js";

const ALICE = 101;
const BOB = 202;
const SECRET = "concurrency-test-secret-0123456789";
/** No /healthz or /metrics here: every request goes to the webhook's own checks. */
const noOps = (): boolean => false;

/**
 * /hold N waits until the test releases it (a slow handler: an OPML import, a pasted link's fetch), then answers
 * "held N"; /echo N answers at once. The test sees how many handlers run at once and the most that ever did.
 */
class Handlers {
  running = 0;
  peak = 0;
  private readonly gates = new Map<string, () => void>();

  readonly registry: CommandDefinition[] = [...commandRegistry, { command: "hold", scope: "everyone", composer: this.composer() }];

  isHeld(chatId: number, tag: string): boolean {
    return this.gates.has(`${chatId}:${tag}`);
  }

  release(chatId: number, tag: string): void {
    const open = this.gates.get(`${chatId}:${tag}`);
    if (!open) throw new Error(`/hold ${tag} in chat ${chatId} is not waiting`);
    this.gates.delete(`${chatId}:${tag}`);
    open();
  }

  private composer(): Composer<BotContext> {
    const composer = new Composer<BotContext>();
    composer.command("hold", async (ctx) => {
      this.running++;
      this.peak = Math.max(this.peak, this.running);
      try {
        await new Promise<void>((resolve) => this.gates.set(`${ctx.chat.id}:${ctx.match}`, resolve));
        await ctx.reply(`held ${ctx.match}`);
      } finally {
        this.running--;
      }
    });
    composer.command("echo", (ctx) => ctx.reply(`echo ${ctx.match}`));
    return composer;
  }
}

/** The shipped templates, with the menu descriptions of the test commands. */
function templatesWithTestCommands() {
  const sources = readTemplateSources();
  const descriptions = JSON.parse(sources.files["commands.json"] ?? "{}") as Record<string, string>;
  const commandsJson = JSON.stringify({ ...descriptions, hold: "Wait until released" });
  return createTemplates({ ...sources, files: { ...sources.files, "commands.json": commandsJson } });
}

const textsTo = (t: TestBot, chatId: number) => t.fake.sent(chatId).map((message) => message.text);

describe("updates handled at once, in order per chat (the real bot, the fake server)", () => {
  let t: TestBot | undefined;
  let source: UpdateSource | undefined;
  let handlers: Handlers;
  afterEach(async () => {
    await source?.stop();
    await t?.stop();
    t = source = undefined;
  });

  async function poll(concurrency: number, clock = systemClock) {
    handlers = new Handlers();
    t = await startTestBot({ poll: false, clock, commands: handlers.registry, templates: templatesWithTestCommands() });
    const fatals: Error[] = [];
    source = await startPolling({ bot: t.bot, clock, logger: t.logger, onFatal: (error) => fatals.push(error), concurrency });
    return t;
  }

  it("answers another chat while one chat's handler is blocked", async () => {
    const t = await poll(10);
    t.fake.pushMessage({ userId: ALICE, text: "/hold 1" });
    await t.fake.waitFor(() => handlers.isHeld(ALICE, "1"));
    t.fake.pushMessage({ userId: BOB, text: "/echo 1" });

    await t.fake.waitForSent(BOB, 1);
    expect(textsTo(t, BOB)).toEqual(["echo 1"]);
    expect(textsTo(t, ALICE)).toEqual([]);
    handlers.release(ALICE, "1");
    await t.fake.waitForSent(ALICE, 1);
  });

  it("answers one chat's updates in the order they came, although the first is slow", async () => {
    const t = await poll(10);
    t.fake.pushMessage({ userId: ALICE, text: "/hold 1" });
    t.fake.pushMessage({ userId: ALICE, text: "/echo 2" });
    t.fake.pushMessage({ userId: ALICE, text: "/echo 3" });
    await t.fake.waitFor(() => handlers.isHeld(ALICE, "1"));
    // Another chat is answered meanwhile: Alice's /echo waits for her /hold, not for the bot.
    t.fake.pushMessage({ userId: BOB, text: "/echo 1" });
    await t.fake.waitForSent(BOB, 1);
    expect(textsTo(t, ALICE)).toEqual([]);

    handlers.release(ALICE, "1");
    await t.fake.waitForSent(ALICE, 3);
    expect(textsTo(t, ALICE)).toEqual(["held 1", "echo 2", "echo 3"]);
  });

  it("answers another chat at once while one chat floods the bot with more updates than the bound, the flood in order", async () => {
    const t = await poll(3);
    const flood = ["/hold 1", "/echo 2", "/echo 3", "/echo 4", "/echo 5", "/echo 6"];
    for (const text of flood) t.fake.pushMessage({ userId: ALICE, text });
    await t.fake.waitFor(() => handlers.isHeld(ALICE, "1"));
    // Alice's flood holds one slot, not all three: Bob's update is fetched and answered while her first still runs.
    t.fake.pushMessage({ userId: BOB, text: "/echo 1" });
    await t.fake.waitForSent(BOB, 1);
    expect(textsTo(t, ALICE)).toEqual([]);

    handlers.release(ALICE, "1");
    await t.fake.waitForSent(ALICE, flood.length);
    expect(textsTo(t, ALICE)).toEqual(["held 1", "echo 2", "echo 3", "echo 4", "echo 5", "echo 6"]);
  });

  it("never handles more updates at once than its bound, the first batch too: the rest wait at Telegram", async () => {
    handlers = new Handlers();
    t = await startTestBot({ poll: false, commands: handlers.registry, templates: templatesWithTestCommands() });
    const chats = [1, 2, 3, 4, 5, 6].map((n) => 1000 + n);
    // Waiting before polling starts: the runner's first getUpdates would take up to 100.
    for (const chat of chats) t.fake.pushMessage({ userId: chat, text: "/hold x" });
    source = await startPolling({ bot: t.bot, clock: systemClock, logger: t.logger, onFatal: () => undefined, concurrency: 3 });

    await t.fake.waitFor(() => handlers.running === 3);
    // One getUpdates, for 3: the next waits until a handler is done.
    expect(t.fake.stats.byMethod.getUpdates).toBe(1);
    const first = chats.filter((chat) => handlers.isHeld(chat, "x"));
    expect(first).toHaveLength(3);

    const [one, ...others] = first;
    handlers.release(one ?? 0, "x");
    await t.fake.waitFor(() => t?.fake.stats.byMethod.getUpdates === 2 && handlers.running === 3);
    for (const chat of others) handlers.release(chat, "x");
    const rest = chats.filter((chat) => !first.includes(chat));
    await t.fake.waitFor(() => rest.every((chat) => handlers.isHeld(chat, "x")));
    for (const chat of rest) handlers.release(chat, "x");
    await t.fake.waitFor(() => chats.every((chat) => t?.fake.sent(chat).length === 1));
    expect(handlers.peak).toBe(3);
  });

  it("stops after the handlers running in several chats finish, and confirms their updates to Telegram", async () => {
    const t = await poll(10);
    t.fake.pushMessage({ userId: ALICE, text: "/hold 1" });
    t.fake.pushMessage({ userId: BOB, text: "/hold 1" });
    await t.fake.waitFor(() => handlers.running === 2);

    let stopped = false;
    const stopping = source?.stop().then(() => (stopped = true));
    source = undefined;
    handlers.release(ALICE, "1");
    await t.fake.waitForSent(ALICE, 1);
    expect(stopped).toBe(false);
    handlers.release(BOB, "1");
    await stopping;
    expect(textsTo(t, BOB)).toEqual(["held 1"]);
    // The last getUpdates confirmed both: a restart would not handle them again.
    expect(t.fake.pendingUpdates).toEqual([]);
  });

  it("stops within its 7 s budget on the clock while handlers hang, saying so", async () => {
    const clock = new FakeClock();
    const t = await poll(10, clock);
    t.fake.pushMessage({ userId: ALICE, text: "/hold 1" });
    t.fake.pushMessage({ userId: BOB, text: "/hold 1" });
    await t.fake.waitFor(() => handlers.running === 2);

    let stopped = false;
    const stopping = source?.stop().then(() => (stopped = true));
    source = undefined;
    await clock.advance(6_999);
    expect(stopped).toBe(false);
    await clock.advance(1);
    await stopping;
    expect(t.logs.map((line) => line.msg)).toContain("update handlers still running at stop; stopping anyway");
    handlers.release(ALICE, "1");
    handlers.release(BOB, "1");
  });

  /** startWebhook with the real bot; `post` sends an update as Telegram would, with the secret. */
  async function webhook(concurrency: number, clock: Clock = systemClock) {
    handlers = new Handlers();
    t = await startTestBot({ poll: false, commands: handlers.registry, templates: templatesWithTestCommands() });
    t.fake.addChat({ id: ALICE, type: "private" });
    t.fake.addChat({ id: BOB, type: "private" });
    const port = await freePort();
    const mode = { kind: "webhook" as const, url: "https://bot.example/telegram", secret: SECRET, host: "127.0.0.1", port };
    source = await startWebhook({ bot: t.bot, clock, logger: t.logger, onFatal: () => undefined, concurrency }, mode, noOps);
    let updateId = 0;
    const post = (userId: number, text: string) =>
      fetch(`http://127.0.0.1:${port}/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
        body: JSON.stringify({
          update_id: ++updateId,
          message: {
            message_id: updateId,
            date: 0,
            chat: { id: userId, type: "private", first_name: "W" },
            from: { id: userId, is_bot: false, first_name: "W" },
            text,
            entities: [{ type: "bot_command", offset: 0, length: text.indexOf(" ") }],
          },
        }),
      });
    return { t, post };
  }

  it("webhook mode: Telegram gets 200 once an update has started: while its handler runs, and the chat's next when it starts", async () => {
    const clock = new FakeClock();
    const { t, post } = await webhook(10, clock);
    expect((await post(ALICE, "/hold 1")).status).toBe(200);
    await t.fake.waitFor(() => handlers.isHeld(ALICE, "1"));
    let answered = false;
    const next = post(ALICE, "/echo 2").finally(() => (answered = true));
    expect((await post(BOB, "/echo 1")).status).toBe(200);
    await t.fake.waitForSent(BOB, 1);
    // Alice's second update waits for her first, unanswered: a crash now would leave it to Telegram, not lose it.
    expect(answered).toBe(false);
    expect(textsTo(t, ALICE)).toEqual([]);

    handlers.release(ALICE, "1");
    expect((await next).status).toBe(200);
    await t.fake.waitForSent(ALICE, 2);
    expect(textsTo(t, ALICE)).toEqual(["held 1", "echo 2"]);
  });

  it("webhook mode: an update waits for a free slot when the bound is reached, then is handled and answered 200", async () => {
    const clock = new FakeClock();
    const { t, post } = await webhook(1, clock);
    expect((await post(ALICE, "/hold 1")).status).toBe(200);
    await t.fake.waitFor(() => handlers.isHeld(ALICE, "1"));
    const sleepers = clock.pending;
    let answered = false;
    const bob = post(BOB, "/echo 1").finally(() => (answered = true));
    // Bob's update is in the pool, waiting for its slot with its 5 s to start (a sleeper on the clock), and not answered.
    await t.fake.waitFor(() => clock.pending === sleepers + 1);
    expect(handlers.running).toBe(1);
    expect(answered).toBe(false);
    expect(t.fake.sent(BOB)).toEqual([]);

    handlers.release(ALICE, "1");
    expect((await bob).status).toBe(200);
    await t.fake.waitForSent(BOB, 1);
    // Bob's update started only once Alice's was done.
    expect(t.fake.sent().map((message) => message.text)).toEqual(["held 1", "echo 1"]);
  });

  it("webhook mode: one chat flooding holds one slot; another chat is answered at once, the flood in order", async () => {
    const clock = new FakeClock();
    const { t, post } = await webhook(2, clock);
    expect((await post(ALICE, "/hold 1")).status).toBe(200);
    await t.fake.waitFor(() => handlers.isHeld(ALICE, "1"));
    // More of Alice's updates than the bound: each waits for the one before it, without a slot.
    const flood = [2, 3, 4].map((n) => post(ALICE, `/echo ${n}`));
    expect((await post(BOB, "/echo 1")).status).toBe(200);
    await t.fake.waitForSent(BOB, 1);
    expect(textsTo(t, ALICE)).toEqual([]);

    handlers.release(ALICE, "1");
    expect((await Promise.all(flood)).map((response) => response.status)).toEqual([200, 200, 200]);
    await t.fake.waitForSent(ALICE, 4);
    expect(textsTo(t, ALICE)).toEqual(["held 1", "echo 2", "echo 3", "echo 4"]);
  });

  it("webhook mode: an update not started within 5 s on the clock is answered 500 and left for Telegram to send again", async () => {
    const clock = new FakeClock();
    const { t, post } = await webhook(1, clock);
    expect((await post(ALICE, "/hold 1")).status).toBe(200);
    await t.fake.waitFor(() => handlers.isHeld(ALICE, "1"));
    const sleepers = clock.pending;
    const bob = post(BOB, "/echo 1");
    await t.fake.waitFor(() => clock.pending === sleepers + 1);
    await clock.advance(5_000);
    expect((await bob).status).toBe(500);

    // Not handled later: the next update Bob sends is the first he is answered.
    handlers.release(ALICE, "1");
    await t.fake.waitForSent(ALICE, 1);
    expect((await post(BOB, "/echo 2")).status).toBe(200);
    await t.fake.waitForSent(BOB, 1);
    expect(textsTo(t, BOB)).toEqual(["echo 2"]);
    expect(t.logs.map((line) => line.msg)).toContainEqual(expect.stringContaining("Update not started (not started within 5 s)"));
  });

  it("webhook mode: a stop answers 500 to the updates not started, lets the running one finish, and starts nothing after", async () => {
    const clock = new FakeClock();
    const { t, post } = await webhook(1, clock);
    expect((await post(ALICE, "/hold 1")).status).toBe(200);
    await t.fake.waitFor(() => handlers.isHeld(ALICE, "1"));
    const sleepers = clock.pending;
    const waiting = [post(ALICE, "/echo 2"), post(BOB, "/echo 1")];
    await t.fake.waitFor(() => clock.pending === sleepers + 2);

    let stopped = false;
    const stopping = source?.stop().then(() => (stopped = true));
    source = undefined;
    expect((await Promise.all(waiting)).map((response) => response.status)).toEqual([500, 500]);
    // The stop waits for the update running.
    expect(stopped).toBe(false);
    handlers.release(ALICE, "1");
    await stopping;
    expect(textsTo(t, ALICE)).toEqual(["held 1"]);
    expect(textsTo(t, BOB)).toEqual([]);
  });
});
