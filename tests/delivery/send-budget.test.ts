import { Api } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { sendBudget } from "../../src/bot/send-budget.js";
import { createDeliveryEngine, type DeliveryEngine } from "../../src/delivery/engine.js";
import { SendBudget, SendCancelledError } from "../../src/delivery/send-budget.js";
import { FakeTelegram } from "../../src/sandbox/fake-telegram/index.js";
import { captureLogger } from "../support/capture-logger.js";
import { FakeClock } from "../support/fake-clock.js";
import { addReaders, enqueueAlerts } from "../support/outbox-fixtures.js";
import { makeTempStore } from "../support/temp-store.js";

/**
 * The send budget shared by the bot's replies and the delivery engine, on a FakeClock: a real engine and a real grammY Api
 * with the bot's budget transformer, both over HTTP to the fake Telegram server, a real SQLite outbox.
 */

const RATE = 20;
/** Readers who ask the bot something: far from the followers' ids. */
const FIRST_ASKER = 900_001;

interface Rig {
  fake: FakeTelegram;
  clock: FakeClock;
  /** When (fake clock) each of the engine's sendMessage requests left. */
  engineSends: number[];
  /** The budget shared by the engine and `replies`. */
  budget: SendBudget;
  /** An Api as the bot's: every message it sends takes a token of `budget`. */
  replies: Api;
  /** The app's stop, as the bot's transformer sees it. */
  stopping: AbortController;
  /** When (fake clock) each of the replies' sendMessage requests left, after its token. */
  replySends: number[];
  engine(): DeliveryEngine;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function rig(followers: number): Promise<Rig> {
  const temp = makeTempStore();
  cleanups.push(() => temp.dispose());
  const fake = await FakeTelegram.start();
  cleanups.push(() => fake.close());
  const { logger } = captureLogger("warn", [fake.token]);
  const clock = new FakeClock();
  const budget = new SendBudget(RATE, clock);
  const engineSends: number[] = [];
  const replySends: number[] = [];
  const replies = new Api(fake.token, { apiRoot: fake.apiRoot });
  // Under the budget, as the bot installs its outage log: it sees the request when it leaves.
  replies.config.use(async (prev, method, payload, signal) => {
    if (method === "sendMessage") replySends.push(clock.now());
    return prev(method, payload, signal);
  });
  const stopping = new AbortController();
  replies.config.use(sendBudget(budget, { clock, stopping: stopping.signal }));
  const followerIds = await addReaders(temp.store, fake, followers);
  await enqueueAlerts(temp.store, followerIds, new Date(clock.now()));
  return {
    fake,
    clock,
    engineSends,
    budget,
    replies,
    stopping,
    replySends,
    engine() {
      const api = new Api(fake.token, { apiRoot: fake.apiRoot });
      api.config.use(async (prev, method, payload, signal) => {
        if (method === "sendMessage") engineSends.push(clock.now());
        return prev(method, payload, signal);
      });
      const engine = createDeliveryEngine({
        api,
        store: temp.store,
        logger,
        settings: { rate: RATE, concurrency: 4, maxAttempts: 5, paidBroadcast: false },
        clock,
        budget,
        onFatal: (error) => logger.fatal({ err: error }, "engine died"),
      });
      cleanups.push(() => engine.stop());
      return engine;
    },
  };
}

/** Sends `count` replies, one every `everyMs` on the fake clock, each to its own reader; resolves when all are answered. */
async function replyEvery(t: Rig, everyMs: number, count: number): Promise<void> {
  const answers: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const chatId = FIRST_ASKER + i;
    t.fake.addChat({ id: chatId, type: "private", firstName: `Asker ${i}` });
    answers.push(t.replies.sendMessage(chatId, `Answer ${i}`));
    await t.clock.sleep(everyMs);
  }
  await Promise.all(answers);
}

const within = (times: readonly number[], from: number, to: number): number => times.filter((at) => at >= from && at < to).length;

describe("one send budget for replies and the delivery engine", () => {
  it("a reply waiting for a token goes before the engine's next row", async () => {
    const t = await rig(200);
    const engine = t.engine();
    t.fake.addChat({ id: FIRST_ASKER, type: "private", firstName: "Asker" });
    await engine.start();
    await t.clock.runUntil(() => t.engineSends.length >= 40);

    for (let round = 0; round < 5; round++) {
      const asked = t.clock.now();
      let answered = false;
      void t.replies.sendMessage(FIRST_ASKER, `Answer ${round}`).then(() => (answered = true));
      await t.clock.runUntil(() => answered);
      const replyAt = t.replySends.at(-1) ?? Number.NaN;
      // The broadcast has used the bucket up: the reply waited for the next token, and took it before the engine.
      expect(replyAt).toBeGreaterThan(asked);
      expect(t.engineSends.filter((at) => at > asked && at <= replyAt)).toEqual([]);
      expect(replyAt - asked).toBeLessThanOrEqual(1000 / RATE);
      await t.clock.advance(1_000 + round * 137);
    }
    expect(t.replySends).toHaveLength(5);
  });

  it("the broadcast slows down by exactly the replies' share, and the two together keep to the rate", async () => {
    const t = await rig(400);
    const engine = t.engine();
    await engine.start();
    // 5 replies a second for 10 s, while the broadcast at 20 a second has 400 followers to alert.
    let repliesDone = false;
    const start = t.clock.now();
    void replyEvery(t, 200, 50).then(() => (repliesDone = true));
    await t.clock.runUntil(() => repliesDone);

    // After the first second (the buckets' start), the engine sends at RATE minus the replies' 5 a second.
    const window = { from: start + 1_000, to: start + 9_000 };
    const seconds = (window.to - window.from) / 1000;
    const broadcastRate = within(t.engineSends, window.from, window.to) / seconds;
    const replyRate = within(t.replySends, window.from, window.to) / seconds;
    expect(replyRate).toBe(5);
    expect(broadcastRate).toBeGreaterThanOrEqual(RATE - replyRate - 0.5);
    expect(broadcastRate).toBeLessThanOrEqual(RATE - replyRate + 0.5);
    // No second of the clock holds more than the rate and the bucket's twentieth of a second.
    const all = [...t.engineSends, ...t.replySends].sort((a, b) => a - b);
    for (let second = start; second < start + 10_000; second += 250)
      expect(within(all, second, second + 1_000)).toBeLessThanOrEqual(RATE + 1);
  });

  it("a reply aborted while it waits for a token leaves the queue and takes none; the next reply takes it", async () => {
    const t = await rig(0);
    // The bucket holds one token (a twentieth of a second's worth at 20/s): the first reply takes it.
    expect(t.budget.forEngine()).toBe(0);
    const cancel = new AbortController();
    const aborted = t.budget.forReply("sendMessage", cancel.signal);
    let nextServedAt: number | undefined;
    const next = t.budget.forReply("sendMessage").then(() => (nextServedAt = t.clock.now()));
    const start = t.clock.now();
    cancel.abort();
    await expect(aborted).rejects.toBeInstanceOf(SendCancelledError);
    await t.clock.runUntil(() => nextServedAt !== undefined);
    await next;
    // One token's wait, not two: the aborted reply took none.
    expect(nextServedAt).toBe(start + 1000 / RATE);
    expect(t.budget.forEngine()).toBeGreaterThan(0);
  });

  it("the app's stop ends the replies waiting for a token: they are not sent", async () => {
    const t = await rig(0);
    const chats = [FIRST_ASKER, FIRST_ASKER + 1, FIRST_ASKER + 2];
    for (const id of chats) t.fake.addChat({ id, type: "private", firstName: "Asker" });
    const first = t.replies.sendMessage(FIRST_ASKER, "Answer 0");
    const waiting = chats.slice(1).map((id) => t.replies.sendMessage(id, "Answer").catch((error: unknown) => error));
    await first;
    // The bucket is empty and nothing moves the clock: the two others wait for their tokens until the stop.
    t.stopping.abort();
    for (const outcome of await Promise.all(waiting)) expect(outcome).toBeInstanceOf(SendCancelledError);
    expect(t.replySends).toHaveLength(1);
    expect(t.fake.sent(FIRST_ASKER + 1)).toEqual([]);
    // No token was taken by them: the engine gets the next one as soon as the bucket refills.
    await t.clock.advance(1000 / RATE);
    expect(t.budget.forEngine()).toBe(0);
  });

  it("a reply's 429 holds the engine back for retry_after, and the replies too", async () => {
    const t = await rig(20);
    t.fake.addChat({ id: FIRST_ASKER, type: "private", firstName: "Asker" });
    t.fake.injectFault({ method: "sendMessage", status: 429, description: "Too Many Requests: retry after 5", retryAfter: 5, times: 1 });
    const floodAt = t.clock.now();
    // No auto-retry on this Api: the 429 comes back to the caller, and the budget has learnt of it.
    await expect(t.replies.sendMessage(FIRST_ASKER, "Answer")).rejects.toMatchObject({ error_code: 429 });
    expect(t.budget.resumesAt()).toBe(floodAt + 5_000);

    let replyAt: number | undefined;
    void t.replies.sendMessage(FIRST_ASKER, "Answer again").then(() => (replyAt = t.clock.now()));
    await t.engine().start();
    await t.clock.runUntil(() => t.engineSends.length >= 20 && replyAt !== undefined);
    // Nothing left before the flood wait was over; then the waiting reply went first.
    expect(Math.min(...t.engineSends)).toBeGreaterThanOrEqual(floodAt + 5_000);
    expect(replyAt).toBe(floodAt + 5_000);
    expect(Math.min(...t.engineSends)).toBeGreaterThan(replyAt ?? Number.NaN);
  });
});
