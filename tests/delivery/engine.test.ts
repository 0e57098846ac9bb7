import { Api } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock, type Clock } from "../../src/clock.js";
import { createDeliveryEngine, type DeliveryEngine, type EngineSettings } from "../../src/delivery/engine.js";
import { DeliveryStoppedError } from "../../src/delivery/store-retry.js";
import type { Store } from "../../src/store/index.js";
import { captureLogger } from "../support/capture-logger.js";
import { FakeClock } from "../support/fake-clock.js";
import { FakeTelegram, type FakeTelegramOptions } from "../../src/sandbox/fake-telegram/index.js";
import {
  addArticle,
  addReaders,
  alertPlain,
  busyError,
  corruptError,
  deliveriesByChat,
  enqueueAlerts,
  failOutbox,
  message,
  readOutbox,
  tally,
  waitUntil,
} from "../support/outbox-fixtures.js";
import { makeTempStore } from "../support/temp-store.js";

/**
 * The delivery engine with a REAL grammY Api talking HTTP to the fake Telegram server, and a real
 * SQLite outbox. Nothing of grammY is mocked; faults come from the fake server, or from a store method
 * wrapped to throw. The engine runs on a FakeClock: its pacing, backoff and waits take no real time.
 */

const CHANNEL = -1001234567890;
const DEFAULTS: EngineSettings = { rate: 50, concurrency: 8, maxAttempts: 5, paidBroadcast: false };
/** Longer than any wait of the engine's own (the longest backoff is 5 minutes). */
const PAST_ANY_BACKOFF_MS = 10 * 60_000;

interface Send {
  chatId: number;
  /** The engine clock's time when the request left. */
  at: number;
  /** And when Telegram's "ok" came back. */
  answeredAt?: number;
}

interface Rig {
  fake: FakeTelegram;
  temp: ReturnType<typeof makeTempStore>;
  store: Store;
  logs: Record<string, unknown>[];
  clock: FakeClock;
  /** Every sendMessage the engines made, in the order they made them. */
  sends: Send[];
  /** When each 429 answer came back, on the engine's clock. */
  tooManyRequests: number[];
  /** What the engines passed to onFatal. */
  fatals: Error[];
  /** The engine clock's now, for rows that must be due. */
  now(): Date;
  /** A new engine on the current store, with its own real Api (stopped in afterEach). */
  engine(options?: { settings?: Partial<EngineSettings>; timeoutSeconds?: number; clock?: Clock }): DeliveryEngine;
  /** Moves the fake clock until `done` holds; an engine that died fails the wait at once. */
  until(done: () => boolean | Promise<boolean>): Promise<void>;
  /** Until no row is pending or in flight (idle() alone returns while rows wait out a backoff). */
  drained(): Promise<void>;
  /** Until the engine says it is idle. */
  idle(engine: DeliveryEngine): Promise<void>;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  // Last in, first out: engines stop before the fake server closes, the store closes last.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function rig(fakeOptions: FakeTelegramOptions = {}): Promise<Rig> {
  const temp = makeTempStore();
  cleanups.push(() => temp.dispose());
  const fake = await FakeTelegram.start(fakeOptions);
  cleanups.push(() => fake.close());
  const { logger, lines: logs } = captureLogger("debug", [fake.token]);
  const clock = new FakeClock();
  const sends: Send[] = [];
  const tooManyRequests: number[] = [];
  const fatals: Error[] = [];
  const until = (done: () => boolean | Promise<boolean>) =>
    clock.runUntil(async () => {
      if (fatals[0]) throw fatals[0];
      return done();
    });
  return {
    fake,
    temp,
    get store() {
      return temp.store;
    },
    logs,
    clock,
    sends,
    tooManyRequests,
    fatals,
    now: () => new Date(clock.now()),
    engine({ settings = {}, timeoutSeconds = 10, clock: engineClock = clock } = {}) {
      const api = new Api(fake.token, { apiRoot: fake.apiRoot, timeoutSeconds });
      api.config.use(async (prev, method, payload, signal) => {
        const send: Send = { chatId: Number((payload as { chat_id?: unknown }).chat_id), at: engineClock.now() };
        if (method === "sendMessage") sends.push(send);
        const answer = await prev(method, payload, signal);
        if (answer.ok) send.answeredAt = engineClock.now();
        else if (answer.error_code === 429) tooManyRequests.push(engineClock.now());
        return answer;
      });
      const engine = createDeliveryEngine({
        api,
        store: temp.store,
        logger,
        settings: { ...DEFAULTS, ...settings },
        clock: engineClock,
        onFatal: (error) => fatals.push(error),
      });
      cleanups.push(() => engine.stop());
      return engine;
    },
    until,
    drained: () =>
      until(async () => {
        const counts = await temp.store.outbox.counts();
        return counts.pending === 0 && counts.sending === 0;
      }),
    async idle(engine) {
      let idle = false;
      void engine.idle().then(() => (idle = true));
      await until(() => idle);
    },
  };
}

/** For engines on the real clock: the same wait, in real time. */
async function drainedInRealTime(store: Store, timeoutMs: number): Promise<void> {
  await waitUntil(
    async () => {
      const counts = await store.outbox.counts();
      return counts.pending === 0 && counts.sending === 0;
    },
    timeoutMs,
    "the outbox to drain",
    () => store.outbox.counts(),
  );
}

/** The most sends that started within any one second. */
function busiestSecond(sends: readonly Send[]): number {
  const times = sends.map((send) => send.at).sort((a, b) => a - b);
  let most = 0;
  for (let last = 0, first = 0; last < times.length; last++) {
    while ((times[last] ?? 0) - (times[first] ?? 0) >= 1_000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

const failedForGood = (logs: Record<string, unknown>[]) => logs.filter((line) => line.msg === "message failed for good");
const logged = (logs: Record<string, unknown>[], msg: string) => logs.filter((line) => line.msg === msg);
const BUSY = "the database is busy: delivery waits and retries";
const ANSWERS_AGAIN = "the database answers again: delivery goes on";

describe("delivery engine against the fake Telegram server", () => {
  it("delivers every row exactly once, and no second of its clock holds more than the rate allows", async () => {
    const t = await rig({ latencyMs: 5 });
    const readers = await addReaders(t.store, t.fake, 250);
    expect(await enqueueAlerts(t.store, readers, t.now())).toBe(250);
    const rate = 50;
    const engine = t.engine({ settings: { rate, concurrency: 8 } });
    await engine.start();
    await t.idle(engine);

    expect(tally(t.fake, readers)).toEqual({ delivered: 250, lost: 0, duplicates: 0, duplicatedChats: [], strays: 0 });
    expect(t.fake.stats.errors).toEqual([]);
    expect(await t.store.outbox.counts()).toEqual({ pending: 0, sending: 0, sent: 250, failed: 0, blocked: 0, cancelled: 0 });
    expect(engine.progress()).toMatchObject({ sent: 250, failed: 0, blocked: 0, tooManyRequests: 0, inFlight: 0 });
    // Each row's message id is the one Telegram gave, and the text is the payload's.
    const rows = readOutbox(t.temp.path);
    for (const row of rows) {
      const [sent] = t.fake.sent(Number(row.chatId));
      expect(row.messageId).toBe(sent?.messageId);
      expect(sent?.text).toBe(alertPlain(row.chatId));
    }
    // Within any second: that second's refill of the bucket (50) and what it held (a twentieth of a second's worth, 2.5).
    expect(t.sends).toHaveLength(250);
    expect(busiestSecond(t.sends)).toBeLessThanOrEqual(rate + rate / 20);
    // progress() measures its rate over the last 5 s of the same clock.
    const answeredLately = t.sends.filter((send) => (send.answeredAt ?? -Infinity) >= t.clock.now() - 5_000).length;
    expect(answeredLately).toBeGreaterThan(0);
    expect(engine.progress().rate).toBe(answeredLately / 5);
    await t.clock.advance(5_001);
    expect(engine.progress().rate).toBe(0);
  });

  it("a 429 storm pauses all sending for retry_after: no send starts in a pause, everything arrives once, a 429 is no attempt", async () => {
    const t = await rig({ latencyMs: 20 });
    const readers = await addReaders(t.store, t.fake, 100);
    await enqueueAlerts(t.store, readers, t.now());
    const storm = t.fake.injectFault({
      method: "sendMessage",
      status: 429,
      description: "Too Many Requests: retry after 1",
      retryAfter: 1,
      times: 20,
    });
    const engine = t.engine({ settings: { rate: 50, concurrency: 8 } });
    await engine.start();
    await t.drained();

    expect(tally(t.fake, readers)).toMatchObject({ delivered: 100, lost: 0, duplicates: 0, strays: 0 });
    expect(storm.hits).toBe(20);
    expect(t.tooManyRequests).toHaveLength(20);
    expect(engine.progress().tooManyRequests).toBe(20);
    // Telegram counts the bot, not the chat: after each 429, nothing at all starts until retry_after has passed.
    for (const at of t.tooManyRequests) expect(t.sends.filter((send) => send.at > at && send.at < at + 1_000)).toEqual([]);
    // Nothing was dropped, and a 429 is not an attempt.
    const rows = readOutbox(t.temp.path);
    expect(rows.every((row) => row.state === "sent" && row.attempts === 0)).toBe(true);
    expect(engine.progress()).toMatchObject({ sent: 100, failed: 0 });
    expect(failedForGood(t.logs)).toEqual([]);
  });

  it("blocked readers: their rows end 'blocked', their chats are marked, and nobody writes to them again", async () => {
    const t = await rig({ latencyMs: 2 });
    const readers = await addReaders(t.store, t.fake, 50);
    for (const id of readers) await t.store.subscriptions.follow(id, "harbour", 10);
    const blocked = readers.filter((_, i) => i % 10 === 9);
    const active = readers.filter((_, i) => i % 10 !== 9);
    for (const id of blocked) t.fake.block(id);

    // Two articles queued before the first send: each blocked reader has a second row waiting when the 403 comes.
    const first = await addArticle(t.store, 1);
    const second = await addArticle(t.store, 2);
    await enqueueAlerts(t.store, readers, t.now(), first);
    await enqueueAlerts(t.store, readers, t.now(), second);
    const engine = t.engine({ settings: { rate: 100, concurrency: 8 } });
    await engine.start();
    await t.drained();

    for (const article of [first, second]) {
      expect(await t.store.outbox.counts(article)).toEqual({ pending: 0, sending: 0, sent: 45, failed: 0, blocked: 5, cancelled: 0 });
    }
    const byChat = deliveriesByChat(t.fake);
    for (const id of blocked) {
      expect(byChat.get(id)).toBeUndefined();
      expect((await t.store.chats.get(id))?.blockedAt).toBeInstanceOf(Date);
      // One try per blocked chat: the 403 blocked its other row before it was sent.
      expect(t.fake.stats.errors.filter((e) => e.chatId === id)).toEqual([
        { method: "sendMessage", status: 403, description: "Forbidden: bot was blocked by the user", chatId: id },
      ]);
    }
    for (const id of active) {
      expect((await t.store.chats.get(id))?.blockedAt).toBeUndefined();
      expect(t.fake.sent(id).map((m) => m.text)).toEqual([alertPlain(id, first), alertPlain(id, second)]);
    }
    expect(t.fake.stats.errors).toHaveLength(5);
    expect(engine.progress()).toMatchObject({ sent: 90, blocked: 5, failed: 0 });
    const rows = readOutbox(t.temp.path).filter((row) => blocked.includes(Number(row.chatId)));
    expect(rows).toHaveLength(10);
    expect(rows.every((row) => row.state === "blocked" && row.lastError === "403 Forbidden: bot was blocked by the user")).toBe(true);

    // A third article: alerts go to followersOf, which leaves blocked chats out, so nobody tries them again.
    const followers = await t.store.subscriptions.followersOf(["harbour"]);
    expect(followers.map((f) => f.chatId).sort((a, b) => a - b)).toEqual(active);
    const third = await addArticle(t.store, 3);
    expect(
      await enqueueAlerts(
        t.store,
        followers.map((f) => f.chatId),
        t.now(),
        third,
      ),
    ).toBe(45);
    engine.notify();
    await t.drained();
    expect(await t.store.outbox.counts(third)).toEqual({ pending: 0, sending: 0, sent: 45, failed: 0, blocked: 0, cancelled: 0 });
    expect(t.fake.stats.errors).toHaveLength(5);
    for (const id of blocked) expect(t.fake.sent(id)).toEqual([]);

    // Rows queued for a blocked chat anyway (the engine does not look at chats.blockedAt): still nothing
    // arrives; each is tried at most once and ends 'blocked'.
    const fourth = await addArticle(t.store, 4);
    expect(await enqueueAlerts(t.store, blocked, t.now(), fourth)).toBe(5);
    engine.notify();
    await t.drained();
    expect(await t.store.outbox.counts(fourth)).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0, blocked: 5, cancelled: 0 });
    expect(t.fake.stats.errors.length).toBeLessThanOrEqual(10);
    for (const id of blocked) expect(t.fake.sent(id)).toEqual([]);
  });

  it("a chat blocked while another of its messages hangs stays blocked: that message's timeout does not requeue it", async () => {
    const t = await rig();
    const [reader] = await addReaders(t.store, t.fake, 1);
    const first = await addArticle(t.store, 1);
    const second = await addArticle(t.store, 2);
    await enqueueAlerts(t.store, [reader!], t.now(), first);
    await enqueueAlerts(t.store, [reader!], t.now(), second);
    // The first alert hangs until the Api gives up (1 s of real time: grammY's own timeout); a second later on
    // the engine's clock, the second alert learns the chat is blocked.
    const hang = t.fake.injectFault({ method: "sendMessage", status: 500, description: "never answered", hang: true, times: 1 });
    const engine = t.engine({ settings: { maxAttempts: 5 }, timeoutSeconds: 1 });
    await engine.start();
    await t.fake.waitFor(() => hang.hits === 1, 2_000);
    t.fake.block(reader!);
    await t.clock.advance(1_000);
    await waitUntil(async () => (await t.store.outbox.counts()).blocked === 2, 2_000, "the 403 to block both rows");
    await waitUntil(() => engine.progress().inFlight === 0, 3_000, "the hanging request to time out");
    // A requeued row would be tried again after its backoff: let the engine's clock pass any backoff.
    await t.clock.advance(PAST_ANY_BACKOFF_MS);

    expect(t.fake.stats.errors).toEqual([
      { method: "sendMessage", status: 403, description: "Forbidden: bot was blocked by the user", chatId: reader },
    ]);
    expect(t.sends).toHaveLength(2);
    expect(readOutbox(t.temp.path).map((row) => row.state)).toEqual(["blocked", "blocked"]);
    expect(t.fake.sent(reader)).toEqual([]);
    expect((await t.store.chats.get(reader!))?.blockedAt).toBeInstanceOf(Date);
  });

  it("403 'user is deactivated', a kicked channel and 400 'chat not found' block the chat too", async () => {
    const t = await rig();
    const [ok, deactivated] = await addReaders(t.store, t.fake, 2);
    t.fake.deactivate(deactivated!);
    // Started the bot once (so it is in the store) but Telegram does not know the chat.
    const unknown = 999_999_999;
    await t.store.chats.recordStart({ id: unknown, kind: "private" });
    await t.store.chats.recordStart({ id: CHANNEL, kind: "channel", title: "News" });
    t.fake.addChat({ id: CHANNEL, type: "channel", title: "News" });
    t.fake.setMember(CHANNEL, t.fake.botInfo.id, "kicked");
    const article = await addArticle(t.store, 1);
    await t.store.outbox.enqueue(
      [message("alert", ok!), message("alert", deactivated!), message("post", CHANNEL, { articleId: article }), message("alert", unknown)],
      t.now(),
    );
    const engine = t.engine();
    await engine.start();
    await t.drained();

    const states = Object.fromEntries(readOutbox(t.temp.path).map((row) => [row.chatId, [row.state, row.lastError]]));
    expect(states).toEqual({
      [String(ok)]: ["sent", null],
      [String(deactivated)]: ["blocked", "403 Forbidden: user is deactivated"],
      [String(CHANNEL)]: ["blocked", "403 Forbidden: bot is not a member of the channel chat"],
      [String(unknown)]: ["blocked", "400 Bad Request: chat not found"],
    });
    for (const id of [deactivated!, CHANNEL, unknown]) expect((await t.store.chats.get(id))?.blockedAt).toBeInstanceOf(Date);
    expect((await t.store.chats.get(ok!))?.blockedAt).toBeUndefined();
    expect(engine.progress()).toMatchObject({ sent: 1, blocked: 3, failed: 0 });
    expect(failedForGood(t.logs)).toEqual([]);
  });

  it("5xx bursts and hanging requests: everything arrives exactly once, each fault costs one attempt", async () => {
    const t = await rig({ latencyMs: 2 });
    const readers = await addReaders(t.store, t.fake, 40);
    await enqueueAlerts(t.store, readers, t.now());
    const badGateway = t.fake.injectFault({ method: "sendMessage", status: 502, description: "Bad Gateway", times: 20 });
    const hang = t.fake.injectFault({ method: "sendMessage", status: 500, description: "never answered", hang: true, times: 3 });
    // The hanging requests take grammY's timeout (1 s) in real time; the backoffs take none.
    const engine = t.engine({ settings: { rate: 50, concurrency: 8, maxAttempts: 5 }, timeoutSeconds: 1 });
    await engine.start();
    await t.drained();

    expect(badGateway.hits).toBe(20);
    expect(hang.hits).toBe(3);
    expect(tally(t.fake, readers)).toMatchObject({ delivered: 40, lost: 0, duplicates: 0, strays: 0 });
    const rows = readOutbox(t.temp.path);
    expect(rows.every((row) => row.state === "sent" && row.lastError === null)).toBe(true);
    // 20 × 502 and 3 timeouts: 23 attempts counted, no more (none of them was a 429).
    expect(rows.reduce((sum, row) => sum + row.attempts, 0)).toBe(23);
    expect(engine.progress()).toMatchObject({ sent: 40, failed: 0, tooManyRequests: 0 });
    expect(failedForGood(t.logs)).toEqual([]);
  });

  it("a message that always meets 500 fails after maxAttempts, is logged, and is not tried again", async () => {
    const t = await rig();
    const [doomed, later] = await addReaders(t.store, t.fake, 2);
    await t.store.outbox.enqueue([message("alert", doomed!)], t.now());
    const down = t.fake.injectFault({ method: "sendMessage", status: 500, description: "Internal Server Error" });
    const engine = t.engine({ settings: { maxAttempts: 3 } });
    await engine.start();
    await t.drained();

    expect(down.hits).toBe(3);
    expect(readOutbox(t.temp.path)).toMatchObject([{ state: "failed", attempts: 3, lastError: "500 Internal Server Error" }]);
    expect(engine.progress()).toMatchObject({ sent: 0, failed: 1 });
    expect(failedForGood(t.logs)).toMatchObject([{ level: 50, chatId: String(doomed), attempts: 3, error: "500 Internal Server Error" }]);

    // Telegram recovers: new rows go, the failed one stays failed, however long the engine runs.
    down.remove();
    await t.store.outbox.enqueue([message("alert", later!)], t.now());
    engine.notify();
    await t.until(() => t.fake.sent(later).length === 1);
    await t.clock.advance(PAST_ANY_BACKOFF_MS);
    expect(down.hits).toBe(3);
    expect(t.sends.map((send) => send.chatId)).toEqual([doomed, doomed, doomed, later]);
    expect(t.fake.sent(doomed)).toEqual([]);
    expect(await t.store.outbox.counts()).toMatchObject({ sent: 1, failed: 1, pending: 0 });
  });

  it("400 can't parse entities: that row fails for good, loudly, once; the rest still go", async () => {
    const t = await rig();
    const readers = await addReaders(t.store, t.fake, 10);
    const bad = readers[4]!;
    await t.store.outbox.enqueue(
      readers.map((id) => message("alert", id, id === bad ? { text: "<b>Harbour reopens" } : {})),
      t.now(),
    );
    const engine = t.engine();
    await engine.start();
    await t.idle(engine);

    const rows = readOutbox(t.temp.path);
    const badRow = rows.find((row) => row.chatId === String(bad));
    expect(badRow).toMatchObject({ state: "failed", attempts: 1 });
    expect(badRow?.lastError).toMatch(/^400 Bad Request: can't parse entities/);
    expect(rows.filter((row) => row.state === "sent")).toHaveLength(9);
    expect(tally(t.fake, readers)).toMatchObject({ delivered: 9, lost: 1, duplicates: 0 });
    expect(t.fake.stats.errors).toHaveLength(1);
    const failures = failedForGood(t.logs);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: 50, outboxId: badRow?.id, kind: "alert", chatId: String(bad), attempts: 1 });
    expect(String(failures[0]?.error)).toMatch(/can't parse entities/);
    // A bad message is not the reader's fault: the chat stays active.
    expect((await t.store.chats.get(bad))?.blockedAt).toBeUndefined();
    expect(engine.progress()).toMatchObject({ sent: 9, failed: 1, blocked: 0 });
  });

  it("priority: a channel post queued behind 50 alerts goes out among the next few, a digest last", async () => {
    const t = await rig({ latencyMs: 10 });
    const readers = await addReaders(t.store, t.fake, 51);
    const alerts = readers.slice(0, 50);
    const digestTo = readers[50]!;
    t.fake.addChat({ id: CHANNEL, type: "channel", title: "News" });
    const article = await addArticle(t.store, 1);
    await enqueueAlerts(t.store, alerts, t.now(), article);
    const settings = { rate: 20, concurrency: 2 };
    const engine = t.engine({ settings });
    await engine.start();
    await t.until(() => t.sends.length >= 5);

    // Queued worst first: the engine must reorder.
    const before = t.sends.length;
    await t.store.outbox.enqueue(
      [message("digest", digestTo, { articleId: article }), message("post", CHANNEL, { articleId: article })],
      t.now(),
    );
    engine.notify();
    await t.drained();

    const order = t.sends.map((send) => send.chatId);
    expect(order).toHaveLength(52);
    // Only requests already on their way at notify() may come first.
    expect(order.indexOf(CHANNEL)).toBeLessThanOrEqual(before + settings.concurrency);
    expect(order.indexOf(digestTo)).toBe(51);
    expect(tally(t.fake, readers)).toMatchObject({ lost: 0, duplicates: 0 });
  });

  it("a channel with 300 posts waiting does not hold up 20 alerts: they go at the engine's rate; posts keep order and 3 s spacing", async () => {
    const t = await rig();
    t.fake.addChat({ id: CHANNEL, type: "channel", title: "News" });
    const readers = await addReaders(t.store, t.fake, 20);
    const posts = Array.from({ length: 300 }, (_, i) => `Post ${i + 1}`);
    await t.store.outbox.enqueue(
      posts.map((text) => message("post", CHANNEL, { text })),
      t.now(),
    );
    await enqueueAlerts(t.store, readers, t.now());
    const rate = 10;
    const engine = t.engine({ settings: { rate, concurrency: 4 } });
    await engine.start();
    await t.until(() => t.fake.sent(CHANNEL).length >= 4);

    const alertTimes = t.sends.filter((send) => send.chatId !== CHANNEL).map((send) => send.at);
    const postTimes = t.sends.filter((send) => send.chatId === CHANNEL).map((send) => send.at);
    expect(tally(t.fake, readers)).toMatchObject({ delivered: 20, lost: 0, duplicates: 0 });
    // The first post and the 20 alerts share the bucket: all 21 within 21 tokens' time, before the second post.
    const start = t.sends[0]!.at;
    expect(Math.max(...alertTimes) - start).toBeLessThanOrEqual((21 / rate) * 1000);
    expect(Math.max(...alertTimes)).toBeLessThan(postTimes[1]!);
    expect(t.fake.sent(CHANNEL).map((m) => m.text)).toEqual(posts.slice(0, t.fake.sent(CHANNEL).length));
    for (let i = 1; i < postTimes.length; i++) expect(postTimes[i]! - postTimes[i - 1]!).toBeGreaterThanOrEqual(3_000);
  });

  // On the real clock: the fake server's per-chat limits run on real time.
  it("per-chat spacing: three messages to one private chat meet no 429 from a per-chat limit", async () => {
    const t = await rig({ rateLimit: { perChat: true } });
    const [busy, ...others] = await addReaders(t.store, t.fake, 6);
    const articles = [await addArticle(t.store, 1), await addArticle(t.store, 2), await addArticle(t.store, 3)];
    await t.store.outbox.enqueue(
      articles.map((articleId) => message("alert", busy!, { articleId })),
      new Date(),
    );
    await enqueueAlerts(t.store, others, new Date(), articles[0]);
    const engine = t.engine({ settings: { rate: 50, concurrency: 8 }, clock: systemClock });
    await engine.start();
    await drainedInRealTime(t.store, 6_000);

    expect(t.fake.stats.errors).toEqual([]);
    expect(t.fake.stats.tooManyRequests).toBe(0);
    expect(t.fake.sent(busy).map((m) => m.text)).toEqual(articles.map((id) => alertPlain(busy!, id)));
    // The busy chat does not hold up the others: they got theirs before its second message.
    const order = t.fake.sent().map((m) => m.chatId);
    const secondToBusy = order.indexOf(busy!, order.indexOf(busy!) + 1);
    for (const id of others) expect(order.indexOf(id)).toBeLessThan(secondToBusy);
    expect(engine.progress()).toMatchObject({ sent: 8, tooManyRequests: 0 });
  }, 10_000);

  // On the real clock: the point is real latency against the fake server's real-time per-chat limit.
  it("per-chat spacing counts from when Telegram got the message: a slow first send, then fast ones, still no 429", async () => {
    // 300 ms on the way for the first message, nothing for the next: spacing counted from the moment the
    // engine started the first send would put the second only ~700 ms after the first at Telegram.
    const t = await rig({ rateLimit: { perChat: true }, latencyMs: 300 });
    const [busy] = await addReaders(t.store, t.fake, 1);
    const articles = [await addArticle(t.store, 1), await addArticle(t.store, 2), await addArticle(t.store, 3)];
    await t.store.outbox.enqueue(
      articles.map((articleId) => message("alert", busy!, { articleId })),
      new Date(),
    );
    const engine = t.engine({ clock: systemClock });
    await engine.start();
    await t.fake.waitForSent(busy!, 1, 2_000);
    t.fake.setLatency(0);
    await drainedInRealTime(t.store, 6_000);

    expect(t.fake.stats.errors).toEqual([]);
    expect(t.fake.sent(busy).map((m) => m.text)).toEqual(articles.map((id) => alertPlain(busy!, id)));
    expect(engine.progress()).toMatchObject({ sent: 3, tooManyRequests: 0 });
  }, 10_000);

  it("stop() mid-broadcast: in-flight sends finish as 'sent', the rest stay pending; a new engine finishes with 0 duplicates", async () => {
    const t = await rig({ latencyMs: 60 });
    const readers = await addReaders(t.store, t.fake, 200);
    await enqueueAlerts(t.store, readers, t.now());
    const first = t.engine({ settings: { rate: 50, concurrency: 8 } });
    await first.start();
    await t.until(() => t.fake.sent().length >= 40);
    const inFlightAtStop = first.progress().inFlight;
    const arrivedAtStop = t.fake.sent().length;
    await first.stop();
    const startedBeforeStop = t.sends.length;

    const delivered = t.fake.sent().length;
    expect(inFlightAtStop).toBeGreaterThan(0);
    expect(first.progress().inFlight).toBe(0);
    // Requests still on their way (60 ms latency) arrived after stop() was called; nothing new was started.
    expect(delivered).toBeGreaterThan(arrivedAtStop);
    expect(delivered).toBeLessThanOrEqual(arrivedAtStop + inFlightAtStop);
    // Every message Telegram got is recorded as sent (the in-flight ones finished); the rest wait.
    const counts = await t.store.outbox.counts();
    expect(counts).toEqual({ pending: 200 - delivered, sending: 0, sent: delivered, failed: 0, blocked: 0, cancelled: 0 });
    // A stopped engine starts nothing, however long its clock runs.
    expect(startedBeforeStop).toBe(delivered);
    await t.clock.advance(PAST_ANY_BACKOFF_MS);
    expect(t.sends).toHaveLength(startedBeforeStop);

    // A restart: the same database, a new engine.
    await t.temp.reopen();
    const second = t.engine({ settings: { rate: 100, concurrency: 8 } });
    await second.start();
    await t.drained();
    expect(tally(t.fake, readers)).toEqual({ delivered: 200, lost: 0, duplicates: 0, duplicatedChats: [], strays: 0 });
    expect(second.progress().sent).toBe(200 - delivered);
    expect(logged(t.logs, "recovered messages a stop left in flight")).toEqual([]);
  });

  it("recoverInterrupted: rows left 'sending' come back as pending alerts; posts fail with a note and are not resent", async () => {
    const t = await rig();
    const readers = await addReaders(t.store, t.fake, 3);
    t.fake.addChat({ id: CHANNEL, type: "channel", title: "News" });
    const article = await addArticle(t.store, 1);
    await t.store.outbox.enqueue(
      [...readers.map((id) => message("alert", id, { articleId: article })), message("post", CHANNEL, { articleId: article })],
      t.now(),
    );
    // A crash between claim and send: two alerts and the post are left 'sending'.
    const rows = readOutbox(t.temp.path);
    const claimed = [rows[0]!, rows[1]!, rows[3]!];
    for (const row of claimed) expect(await t.store.outbox.claim(row.id)).toMatchObject({ id: row.id });
    expect(await t.store.outbox.claim(rows[0]!.id)).toBeUndefined();
    expect(await t.store.outbox.counts()).toMatchObject({ pending: 1, sending: 3 });
    const ready = await t.store.outbox.ready(new Date(t.clock.now() + 1000), 10);
    expect(ready.map((row) => row.id)).toEqual([rows[2]!.id]);

    const engine = t.engine();
    await engine.start();
    await t.idle(engine);

    expect(logged(t.logs, "recovered messages a stop left in flight")).toMatchObject([{ level: 40, requeued: 2, abandoned: 1 }]);
    expect(readOutbox(t.temp.path).map((row) => [row.kind, row.state, row.lastError])).toEqual([
      ["alert", "sent", null],
      ["alert", "sent", null],
      ["alert", "sent", null],
      ["post", "failed", "interrupted while sending: it may or may not have been posted"],
    ]);
    expect(tally(t.fake, readers)).toMatchObject({ delivered: 3, lost: 0, duplicates: 0, strays: 0 });
    expect(t.fake.sent(CHANNEL)).toEqual([]);
    // Nothing is left to recover the next time.
    expect(await t.store.outbox.recoverInterrupted()).toEqual({ requeued: 0, abandoned: 0 });
  });
});

describe("delivery engine when the store fails", () => {
  it.each(["ready", "claim"] as const)(
    "%s() answering SQLITE_BUSY a few times: waited out, everything delivered once, one warning and one recovery line",
    async (method) => {
      const t = await rig();
      // More readers than one read of the outbox brings (256), so that the engine reads again mid-broadcast.
      const readers = await addReaders(t.store, t.fake, 300);
      await enqueueAlerts(t.store, readers, t.now());
      const fault = failOutbox(t.store.outbox, method, busyError, { skip: 1, times: 4 });
      const engine = t.engine({ settings: { rate: 200, concurrency: 8 } });
      await engine.start();
      await t.drained();

      expect(fault.thrown).toBe(4);
      expect(t.fatals).toEqual([]);
      expect(tally(t.fake, readers)).toEqual({ delivered: 300, lost: 0, duplicates: 0, duplicatedChats: [], strays: 0 });
      expect(await t.store.outbox.counts()).toEqual({ pending: 0, sending: 0, sent: 300, failed: 0, blocked: 0, cancelled: 0 });
      expect(logged(t.logs, BUSY)).toMatchObject([{ level: 40, err: { code: "SQLITE_BUSY" } }]);
      expect(logged(t.logs, ANSWERS_AGAIN)).toMatchObject([{ level: 30, retries: 4 }]);
      // 100 + 200 + 400 + 800 ms of backoff on the engine's clock.
      expect(logged(t.logs, ANSWERS_AGAIN)[0]?.waitedMs).toBeGreaterThanOrEqual(1_500);
    },
  );

  it("recording a delivery answering SQLITE_BUSY: the record is retried, not dropped, and nothing is sent twice", async () => {
    const t = await rig();
    const readers = await addReaders(t.store, t.fake, 10);
    await enqueueAlerts(t.store, readers, t.now());
    const fault = failOutbox(t.store.outbox, "markSent", busyError, { skip: 2, times: 3 });
    const engine = t.engine({ settings: { rate: 100, concurrency: 1 } });
    await engine.start();
    await t.drained();

    expect(fault.thrown).toBe(3);
    expect(t.fatals).toEqual([]);
    expect(tally(t.fake, readers)).toEqual({ delivered: 10, lost: 0, duplicates: 0, duplicatedChats: [], strays: 0 });
    const rows = readOutbox(t.temp.path);
    for (const row of rows) {
      expect(row).toMatchObject({ state: "sent", attempts: 0, lastError: null });
      expect(row.messageId).toBe(t.fake.sent(Number(row.chatId))[0]?.messageId);
    }
    expect(logged(t.logs, BUSY)).toHaveLength(1);
    expect(logged(t.logs, ANSWERS_AGAIN)).toHaveLength(1);
  });

  it("a damaged database: onFatal is called once with it, the loop stops, nothing more is sent", async () => {
    const t = await rig();
    const readers = await addReaders(t.store, t.fake, 20);
    await enqueueAlerts(t.store, readers, t.now());
    const fault = failOutbox(t.store.outbox, "claim", corruptError, { skip: 5 });
    const engine = t.engine({ settings: { rate: 100, concurrency: 1 } });
    await engine.start();
    await t.clock.runUntil(() => t.fatals.length > 0);
    await t.clock.advance(PAST_ANY_BACKOFF_MS);

    expect(t.fatals).toHaveLength(1);
    const [fatal] = t.fatals;
    expect(fatal).toBeInstanceOf(DeliveryStoppedError);
    expect(fatal).toMatchObject({ name: "DeliveryStoppedError", cause: { code: "SQLITE_CORRUPT" } });
    expect(fatal?.message).toMatch(/claiming a message: database disk image is malformed\. .*DATABASE_URL.*restart/);
    // The loop stopped at the failing claim: no second try, no send after it.
    expect(fault.calls).toBe(6);
    expect(t.sends).toHaveLength(5);
    expect(await t.store.outbox.counts()).toEqual({ pending: 15, sending: 0, sent: 5, failed: 0, blocked: 0, cancelled: 0 });
    expect(logged(t.logs, BUSY)).toEqual([]);
  });

  it("the store closed under sends in flight: onFatal once, however many records fail, and nothing more is sent", async () => {
    const t = await rig({ latencyMs: 100 });
    const readers = await addReaders(t.store, t.fake, 20);
    await enqueueAlerts(t.store, readers, t.now());
    const engine = t.engine({ settings: { rate: 100, concurrency: 4 } });
    await engine.start();
    await t.until(() => engine.progress().inFlight === 4);
    await t.store.close();
    await t.clock.runUntil(() => engine.progress().inFlight === 0);
    await t.clock.advance(PAST_ANY_BACKOFF_MS);

    expect(t.fatals).toHaveLength(1);
    expect(t.fatals[0]).toBeInstanceOf(DeliveryStoppedError);
    expect(t.fatals[0]?.message).toMatch(/recording a delivery: The database connection is not open/);
    expect(t.sends).toHaveLength(4);
    expect(engine.progress().sent).toBe(0);
  });
});

describe("outbox.ready, the engine's read", () => {
  it("gives the best due row of each chat (priority, due time, id), best first, at most `limit`", async () => {
    const temp = makeTempStore();
    cleanups.push(() => temp.dispose());
    const { outbox } = temp.store;
    const t0 = Date.parse("2026-11-30T12:00:00Z");
    await outbox.enqueue([message("post", CHANNEL, { text: "later post" })], new Date(t0 - 1_000));
    await outbox.enqueue(
      [message("post", CHANNEL, { text: "early post" }), message("post", CHANNEL, { text: "early post, queued second" })],
      new Date(t0 - 5_000),
    );
    await outbox.enqueue([message("alert", 5, { text: "alert to 5" }), message("digest", 6, { text: "digest to 6" })], new Date(t0 - 100));
    await outbox.enqueue([message("post", 5, { text: "post to 5" })], new Date(t0 - 100));
    // Not due yet: it does not hide the digest, which is.
    await outbox.enqueue([message("post", 6, { text: "post to 6, not due" })], new Date(t0 + 60_000));

    const texts = async (limit: number) => (await outbox.ready(new Date(t0), limit)).map((row) => row.payload.text);
    expect(await texts(10)).toEqual(["early post", "post to 5", "digest to 6"]);
    expect(await texts(2)).toEqual(["early post", "post to 5"]);
  });
});
