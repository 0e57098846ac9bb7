import { Api } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { createDeliveryEngine, type DeliveryEngine, type EngineSettings } from "../../src/delivery/engine.js";
import type { Store } from "../../src/store/index.js";
import { captureLogger } from "../support/capture-logger.js";
import { FakeTelegram, type FakeTelegramOptions } from "../support/fake-telegram/index.js";
import {
  addArticle,
  addReaders,
  alertPlain,
  deliveriesByChat,
  enqueueAlerts,
  message,
  readOutbox,
  sleep,
  tally,
  waitUntil,
} from "../support/outbox-fixtures.js";
import { makeTempStore } from "../support/temp-store.js";

/**
 * The delivery engine with a REAL grammY Api talking HTTP to the fake Telegram server, and a real
 * SQLite outbox. Nothing of grammY is mocked; faults come from the fake server.
 */

const CHANNEL = -1001234567890;
const DEFAULTS: EngineSettings = { rate: 50, concurrency: 8, maxAttempts: 5, paidBroadcast: false };

interface Rig {
  fake: FakeTelegram;
  temp: ReturnType<typeof makeTempStore>;
  store: Store;
  logs: Record<string, unknown>[];
  /** A new engine on the current store, with its own real Api (stopped in afterEach). */
  engine(settings?: Partial<EngineSettings>, timeoutSeconds?: number): DeliveryEngine;
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
  return {
    fake,
    temp,
    get store() {
      return temp.store;
    },
    logs,
    engine(settings = {}, timeoutSeconds = 10) {
      const api = new Api(fake.token, { apiRoot: fake.apiRoot, timeoutSeconds });
      const engine = createDeliveryEngine({ api, store: temp.store, logger, settings: { ...DEFAULTS, ...settings } });
      cleanups.push(() => engine.stop());
      return engine;
    },
  };
}

/** Waits until no row is pending or in flight (idle() alone returns while rows wait out a backoff). */
async function drained(store: Store, timeoutMs: number): Promise<void> {
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

const failedForGood = (logs: Record<string, unknown>[]) => logs.filter((line) => line.msg === "message failed for good");

describe("delivery engine against the fake Telegram server", () => {
  it("delivers every row exactly once, within the rate, without a single 429", async () => {
    const t = await rig({ rateLimit: { perSecond: 60, burst: 60 }, latencyMs: 5 });
    const readers = await addReaders(t.store, t.fake, 250);
    expect(await enqueueAlerts(t.store, readers)).toBe(250);
    const engine = t.engine({ rate: 50, concurrency: 8 });
    const started = performance.now();
    await engine.start();
    await engine.idle();
    const elapsed = performance.now() - started;

    expect(tally(t.fake, readers)).toEqual({ delivered: 250, lost: 0, duplicates: 0, duplicatedChats: [], strays: 0 });
    expect(t.fake.stats.tooManyRequests).toBe(0);
    expect(t.fake.stats.errors).toEqual([]);
    expect(await t.store.outbox.counts()).toEqual({ pending: 0, sending: 0, sent: 250, failed: 0, blocked: 0 });
    expect(engine.progress()).toMatchObject({ sent: 250, failed: 0, blocked: 0, tooManyRequests: 0, inFlight: 0 });
    // Each row's message id is the one Telegram gave, and the text is the payload's.
    const rows = readOutbox(t.temp.path);
    for (const row of rows) {
      const [sent] = t.fake.sent(Number(row.chatId));
      expect(row.messageId).toBe(sent?.messageId);
      expect(sent?.text).toBe(alertPlain(row.chatId));
    }
    // The bucket starts with 2.5 tokens and adds 50 a second: 250 sends take at least (250 - 2.5) / 50 = 4.95 s.
    expect(elapsed).toBeGreaterThanOrEqual(4_900);
  }, 20_000);

  it("a 429 storm pauses all sending: afterwards everything arrives once, and 429s stay few", async () => {
    const t = await rig({ latencyMs: 20 });
    const readers = await addReaders(t.store, t.fake, 100);
    await enqueueAlerts(t.store, readers);
    const stormSeconds = 3;
    const storm = t.fake.injectFault({
      method: "sendMessage",
      status: 429,
      description: "Too Many Requests: retry after 1",
      retryAfter: 1,
      untilMs: Date.now() + stormSeconds * 1000,
    });
    const settings = { rate: 50, concurrency: 8 };
    const engine = t.engine(settings);
    await engine.start();
    await drained(t.store, 15_000);

    expect(tally(t.fake, readers)).toMatchObject({ delivered: 100, lost: 0, duplicates: 0, strays: 0 });
    expect(storm.hits).toBeGreaterThan(0);
    expect(t.fake.stats.tooManyRequests).toBe(storm.hits);
    expect(engine.progress().tooManyRequests).toBe(storm.hits);
    // Without the global pause the engine would keep sending 50/s into the storm (~150 429s);
    // with it, at most one wave of in-flight requests per retry_after second.
    expect(storm.hits).toBeLessThanOrEqual(settings.concurrency * (stormSeconds + 1));
    // Nothing was dropped, and a 429 is not an attempt.
    const rows = readOutbox(t.temp.path);
    expect(rows.every((row) => row.state === "sent" && row.attempts === 0)).toBe(true);
    expect(engine.progress()).toMatchObject({ sent: 100, failed: 0 });
    expect(failedForGood(t.logs)).toEqual([]);
  }, 20_000);

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
    await enqueueAlerts(t.store, readers, first);
    await enqueueAlerts(t.store, readers, second);
    const engine = t.engine({ rate: 100, concurrency: 8 });
    await engine.start();
    await drained(t.store, 10_000);

    for (const article of [first, second]) {
      expect(await t.store.outbox.counts(article)).toEqual({ pending: 0, sending: 0, sent: 45, failed: 0, blocked: 5 });
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
        third,
      ),
    ).toBe(45);
    engine.notify();
    await drained(t.store, 10_000);
    expect(await t.store.outbox.counts(third)).toEqual({ pending: 0, sending: 0, sent: 45, failed: 0, blocked: 0 });
    expect(t.fake.stats.errors).toHaveLength(5);
    for (const id of blocked) expect(t.fake.sent(id)).toEqual([]);

    // Rows queued for a blocked chat anyway (the engine does not look at chats.blockedAt): still nothing
    // arrives; each is tried at most once and ends 'blocked'.
    const fourth = await addArticle(t.store, 4);
    expect(await enqueueAlerts(t.store, blocked, fourth)).toBe(5);
    engine.notify();
    await drained(t.store, 10_000);
    expect(await t.store.outbox.counts(fourth)).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0, blocked: 5 });
    expect(t.fake.stats.errors.length).toBeLessThanOrEqual(10);
    for (const id of blocked) expect(t.fake.sent(id)).toEqual([]);
  }, 20_000);

  it("a chat blocked while another of its messages hangs stays blocked: that message's timeout does not requeue it", async () => {
    const t = await rig();
    const [reader] = await addReaders(t.store, t.fake, 1);
    const first = await addArticle(t.store, 1);
    const second = await addArticle(t.store, 2);
    await enqueueAlerts(t.store, [reader!], first);
    await enqueueAlerts(t.store, [reader!], second);
    // The first alert hangs until the Api gives up (3 s); a second later the second alert learns the chat is blocked.
    const hang = t.fake.injectFault({ method: "sendMessage", status: 500, description: "never answered", hang: true, times: 1 });
    const engine = t.engine({ maxAttempts: 5 }, 3);
    await engine.start();
    await t.fake.waitFor(() => hang.hits === 1, 2_000);
    t.fake.block(reader!);
    await waitUntil(async () => (await t.store.outbox.counts()).blocked === 2, 3_000, "the 403 to block both rows");
    // The hanging request times out at 3 s; a requeued row would be retried within 1 s of that.
    await waitUntil(() => engine.progress().inFlight === 0, 4_000, "the hanging request to time out");
    await sleep(1_500);

    expect(t.fake.stats.errors).toEqual([
      { method: "sendMessage", status: 403, description: "Forbidden: bot was blocked by the user", chatId: reader },
    ]);
    expect(readOutbox(t.temp.path).map((row) => row.state)).toEqual(["blocked", "blocked"]);
    expect(t.fake.sent(reader)).toEqual([]);
    expect((await t.store.chats.get(reader!))?.blockedAt).toBeInstanceOf(Date);
  }, 12_000);

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
      new Date(),
    );
    const engine = t.engine();
    await engine.start();
    await drained(t.store, 5_000);

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
    await enqueueAlerts(t.store, readers);
    const badGateway = t.fake.injectFault({ method: "sendMessage", status: 502, description: "Bad Gateway", times: 20 });
    const hang = t.fake.injectFault({ method: "sendMessage", status: 500, description: "never answered", hang: true, times: 3 });
    const engine = t.engine({ rate: 50, concurrency: 8, maxAttempts: 5 }, 1);
    await engine.start();
    await drained(t.store, 12_000);

    expect(badGateway.hits).toBe(20);
    expect(hang.hits).toBe(3);
    expect(tally(t.fake, readers)).toMatchObject({ delivered: 40, lost: 0, duplicates: 0, strays: 0 });
    const rows = readOutbox(t.temp.path);
    expect(rows.every((row) => row.state === "sent" && row.lastError === null)).toBe(true);
    // 20 × 502 and 3 timeouts: 23 attempts counted, no more (none of them was a 429).
    expect(rows.reduce((sum, row) => sum + row.attempts, 0)).toBe(23);
    expect(engine.progress()).toMatchObject({ sent: 40, failed: 0, tooManyRequests: 0 });
    expect(failedForGood(t.logs)).toEqual([]);
  }, 20_000);

  it("a message that always meets 500 fails after maxAttempts, is logged, and is not tried again", async () => {
    const t = await rig();
    const [doomed, later] = await addReaders(t.store, t.fake, 2);
    await t.store.outbox.enqueue([message("alert", doomed!)], new Date());
    const down = t.fake.injectFault({ method: "sendMessage", status: 500, description: "Internal Server Error" });
    const engine = t.engine({ maxAttempts: 3 });
    await engine.start();
    // Backoff before tries 2 and 3: 0.5–1 s, then 1–2 s.
    await drained(t.store, 6_000);

    expect(down.hits).toBe(3);
    expect(readOutbox(t.temp.path)).toMatchObject([{ state: "failed", attempts: 3, lastError: "500 Internal Server Error" }]);
    expect(engine.progress()).toMatchObject({ sent: 0, failed: 1 });
    expect(failedForGood(t.logs)).toMatchObject([{ level: 50, chatId: String(doomed), attempts: 3, error: "500 Internal Server Error" }]);

    // Telegram recovers: new rows go, the failed one stays failed.
    down.remove();
    await t.store.outbox.enqueue([message("alert", later!)], new Date());
    engine.notify();
    await t.fake.waitForSent(later!, 1, 3_000);
    await sleep(300);
    expect(down.hits).toBe(3);
    expect(t.fake.sent(doomed)).toEqual([]);
    expect(await t.store.outbox.counts()).toMatchObject({ sent: 1, failed: 1, pending: 0 });
  }, 15_000);

  it("400 can't parse entities: that row fails for good, loudly, once; the rest still go", async () => {
    const t = await rig();
    const readers = await addReaders(t.store, t.fake, 10);
    const bad = readers[4]!;
    await t.store.outbox.enqueue(
      readers.map((id) => message("alert", id, id === bad ? { text: "<b>Harbour reopens" } : {})),
      new Date(),
    );
    const engine = t.engine();
    await engine.start();
    await engine.idle();

    const rows = readOutbox(t.temp.path);
    const badRow = rows.find((row) => row.chatId === String(bad));
    expect(badRow).toMatchObject({ state: "failed", attempts: 1 });
    expect(badRow?.lastError).toMatch(/^400 Bad Request: can't parse entities/);
    expect(rows.filter((row) => row.state === "sent")).toHaveLength(9);
    expect(tally(t.fake, readers)).toMatchObject({ delivered: 9, lost: 1, duplicates: 0 });
    expect(t.fake.stats.errors).toHaveLength(1);
    const logged = failedForGood(t.logs);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 50, outboxId: badRow?.id, kind: "alert", chatId: String(bad), attempts: 1 });
    expect(String(logged[0]?.error)).toMatch(/can't parse entities/);
    // A bad message is not the reader's fault: the chat stays active.
    expect((await t.store.chats.get(bad))?.blockedAt).toBeUndefined();
    expect(engine.progress()).toMatchObject({ sent: 9, failed: 1, blocked: 0 });
  });

  it("priority: a push queued behind 50 alerts goes out among the next few, a digest last", async () => {
    const t = await rig({ latencyMs: 10 });
    const readers = await addReaders(t.store, t.fake, 53);
    const alerts = readers.slice(0, 50);
    const [digestTo, correctionTo, pushTo] = readers.slice(50);
    t.fake.addChat({ id: CHANNEL, type: "channel", title: "News" });
    const article = await addArticle(t.store, 1);
    await enqueueAlerts(t.store, alerts, article);
    const settings = { rate: 20, concurrency: 2 };
    const engine = t.engine(settings);
    await engine.start();
    await t.fake.waitFor(() => t.fake.sent().length >= 5, 5_000);

    // Queued worst first: the engine must reorder.
    const before = t.fake.sent().length;
    await t.store.outbox.enqueue(
      [
        message("digest", digestTo!, { articleId: article }),
        message("post", CHANNEL, { articleId: article }),
        message("correction", correctionTo!, { articleId: article }),
        message("push", pushTo!, { articleId: article }),
      ],
      new Date(),
    );
    engine.notify();
    await engine.idle();
    await drained(t.store, 5_000);

    const order = t.fake.sent().map((m) => m.chatId);
    expect(order).toHaveLength(54);
    const at = (chatId: number) => order.indexOf(chatId);
    // Only requests already in flight at notify() may come first.
    expect(at(correctionTo!)).toBeLessThanOrEqual(before + settings.concurrency);
    expect(at(pushTo!)).toBe(at(correctionTo!) + 1);
    expect(at(CHANNEL)).toBe(at(pushTo!) + 1);
    expect(at(digestTo!)).toBe(53);
    expect(tally(t.fake, readers)).toMatchObject({ lost: 0, duplicates: 0 });
  }, 15_000);

  it("per-chat spacing: three messages to one private chat meet no 429 from a per-chat limit", async () => {
    const t = await rig({ rateLimit: { perChat: true } });
    const [busy, ...others] = await addReaders(t.store, t.fake, 6);
    const articles = [await addArticle(t.store, 1), await addArticle(t.store, 2), await addArticle(t.store, 3)];
    await t.store.outbox.enqueue(
      articles.map((articleId) => message("alert", busy!, { articleId })),
      new Date(),
    );
    await enqueueAlerts(t.store, others, articles[0]);
    const engine = t.engine({ rate: 50, concurrency: 8 });
    await engine.start();
    await drained(t.store, 6_000);

    expect(t.fake.stats.errors).toEqual([]);
    expect(t.fake.stats.tooManyRequests).toBe(0);
    expect(t.fake.sent(busy).map((m) => m.text)).toEqual(articles.map((id) => alertPlain(busy!, id)));
    // The busy chat does not hold up the others: they got theirs before its second message.
    const order = t.fake.sent().map((m) => m.chatId);
    const secondToBusy = order.indexOf(busy!, order.indexOf(busy!) + 1);
    for (const id of others) expect(order.indexOf(id)).toBeLessThan(secondToBusy);
    expect(engine.progress()).toMatchObject({ sent: 8, tooManyRequests: 0 });
  }, 10_000);

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
    const engine = t.engine();
    await engine.start();
    await t.fake.waitForSent(busy!, 1, 2_000);
    t.fake.setLatency(0);
    await drained(t.store, 6_000);

    expect(t.fake.stats.errors).toEqual([]);
    expect(t.fake.sent(busy).map((m) => m.text)).toEqual(articles.map((id) => alertPlain(busy!, id)));
    expect(engine.progress()).toMatchObject({ sent: 3, tooManyRequests: 0 });
  }, 10_000);

  it("stop() mid-broadcast: in-flight sends finish as 'sent', the rest stay pending; a new engine finishes with 0 duplicates", async () => {
    const t = await rig({ latencyMs: 60 });
    const readers = await addReaders(t.store, t.fake, 200);
    await enqueueAlerts(t.store, readers);
    const first = t.engine({ rate: 50, concurrency: 8 });
    await first.start();
    await t.fake.waitFor(() => t.fake.sent().length >= 40, 10_000);
    const inFlightAtStop = first.progress().inFlight;
    const arrivedAtStop = t.fake.sent().length;
    await first.stop();

    const delivered = t.fake.sent().length;
    expect(inFlightAtStop).toBeGreaterThan(0);
    expect(first.progress().inFlight).toBe(0);
    // Requests still on their way (60 ms latency) arrived after stop() was called; nothing new was started.
    expect(delivered).toBeGreaterThan(arrivedAtStop);
    expect(delivered).toBeLessThanOrEqual(arrivedAtStop + inFlightAtStop);
    // Every message Telegram got is recorded as sent (the in-flight ones finished); the rest wait.
    const counts = await t.store.outbox.counts();
    expect(counts).toEqual({ pending: 200 - delivered, sending: 0, sent: delivered, failed: 0, blocked: 0 });
    await sleep(300);
    expect(t.fake.sent().length).toBe(delivered);

    // A restart: the same database, a new engine.
    await t.temp.reopen();
    const second = t.engine({ rate: 100, concurrency: 8 });
    await second.start();
    await second.idle();
    await drained(t.store, 10_000);
    expect(tally(t.fake, readers)).toEqual({ delivered: 200, lost: 0, duplicates: 0, duplicatedChats: [], strays: 0 });
    expect(second.progress().sent).toBe(200 - delivered);
    expect(t.logs.filter((line) => line.msg === "recovered messages a stop left in flight")).toEqual([]);
  }, 20_000);

  it("recoverInterrupted: rows left 'sending' come back as pending alerts; posts fail with a note and are not resent", async () => {
    const t = await rig();
    const readers = await addReaders(t.store, t.fake, 3);
    t.fake.addChat({ id: CHANNEL, type: "channel", title: "News" });
    const article = await addArticle(t.store, 1);
    await t.store.outbox.enqueue(
      [...readers.map((id) => message("alert", id, { articleId: article })), message("post", CHANNEL, { articleId: article })],
      new Date(),
    );
    // A crash between claim and send: two alerts and the post are left 'sending'.
    const rows = readOutbox(t.temp.path);
    const claimed = [rows[0]!, rows[1]!, rows[3]!];
    for (const row of claimed) expect(await t.store.outbox.claim(row.id)).toBe(true);
    expect(await t.store.outbox.claim(rows[0]!.id)).toBe(false);
    expect(await t.store.outbox.counts()).toMatchObject({ pending: 1, sending: 3 });
    const ready = await t.store.outbox.ready(new Date(Date.now() + 1000), 10);
    expect(ready.map((row) => row.id)).toEqual([rows[2]!.id]);

    const engine = t.engine();
    await engine.start();
    await engine.idle();

    expect(t.logs.filter((line) => line.msg === "recovered messages a stop left in flight")).toMatchObject([
      { level: 40, requeued: 2, abandoned: 1 },
    ]);
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
