import Database from "better-sqlite3";
import { Api } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OutboxMessage } from "../../src/store/index.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestBot, type TestBot } from "../support/harness.js";
import { storeText } from "../support/store-text.js";
import { OTHER_STORIES } from "../support/reference-article.js";

const CHANNEL = -1001234567890;
const post = (articleId: number, text = "<b>Storm</b> closes ports"): OutboxMessage => ({
  kind: "post",
  chatId: String(CHANNEL),
  articleId,
  payload: { text },
});
const fix = { text: "<b>Storm</b> closes three ports" };

describe("the engine's corrections and retractions", () => {
  let t: TestBot;
  let clock: FakeClock;
  let api: Api;
  let articleId: number;
  const now = () => new Date(clock.now());
  /** The row's state, attempts and last error, read from the database file. */
  const row = (kind: string) => {
    const db = new Database(t.config.database.path, { readonly: true });
    try {
      return db.prepare("SELECT state, attempts, last_error AS error FROM outbox WHERE kind = ? ORDER BY id DESC LIMIT 1").get(kind) as {
        state: string;
        attempts: number;
        error: string | null;
      };
    } finally {
      db.close();
    }
  };
  /** The article's post, claimed as the engine does, and (with a message) sent as Telegram answered. */
  async function postInFlight(message?: { text: string }): Promise<number> {
    await t.store.outbox.release(articleId, [post(articleId)], now());
    const [ready] = await t.store.outbox.ready(now(), 1);
    await t.store.outbox.claim(ready!.id);
    if (message) {
      const sent = await api.sendMessage(CHANNEL, message.text, { parse_mode: "HTML" });
      await t.store.outbox.markSent(ready!.id, sent.message_id, now());
    }
    return ready!.id;
  }

  beforeEach(async () => {
    clock = new FakeClock();
    t = await startTestBot({ poll: false, deliver: true, clock, env: { CHANNEL_ID: String(CHANNEL) } });
    t.fake.addChat({ id: CHANNEL, type: "channel", title: "News" });
    api = new Api(t.fake.token, { apiRoot: t.fake.apiRoot });
    articleId = (await storeText(t.store, OTHER_STORIES[0]!, { clock })).article.id;
  });
  afterEach(async () => {
    await t.stop();
  });

  it("edits the sent message at correction priority", async () => {
    await postInFlight({ text: "<b>Storm</b> closes ports" });
    await t.store.outbox.correct(articleId, {}, () => fix, now());
    t.engine.notify();
    await clock.runUntil(() => t.fake.sent(CHANNEL)[0]?.history.length === 1);
    expect(t.fake.sent(CHANNEL)[0]?.text).toBe("Storm closes three ports");
    expect(t.fake.sent(CHANNEL)).toHaveLength(1);
    expect(row("correction")).toEqual({ state: "sent", attempts: 0, error: null });
  });

  it("holds a correction while its message is being sent, without counting attempts, then edits it", async () => {
    const target = await postInFlight();
    await t.store.outbox.correct(articleId, {}, () => fix, now());
    t.engine.notify();
    await clock.runUntil(() => row("correction").error !== null);
    await clock.advance(10_000);
    expect(row("correction")).toEqual({ state: "pending", attempts: 0, error: "waiting for its message to be sent" });
    expect(t.fake.sent(CHANNEL)).toEqual([]);

    const sent = await api.sendMessage(CHANNEL, "<b>Storm</b> closes ports", { parse_mode: "HTML" });
    await t.store.outbox.markSent(target, sent.message_id, now());
    await clock.runUntil(() => row("correction").state === "sent");
    expect(t.fake.sent(CHANNEL)[0]?.text).toBe("Storm closes three ports");
  });

  it("cancels a correction whose message was never sent", async () => {
    const target = await postInFlight();
    await t.store.outbox.correct(articleId, {}, () => fix, now());
    await t.store.outbox.markFailed(target, "interrupted while sending: it may or may not have been posted");
    t.engine.notify();
    await clock.runUntil(() => row("correction").state !== "pending");
    expect(row("correction")).toEqual({ state: "cancelled", attempts: 0, error: "its message was never sent (failed)" });
    expect(t.fake.stats.byMethod.editMessageText ?? 0).toBe(0);
  });

  it("counts an edit Telegram finds unchanged, and the deletion of a message already gone, as done", async () => {
    await postInFlight({ text: fix.text });
    await t.store.outbox.correct(articleId, {}, () => fix, now());
    t.engine.notify();
    await clock.runUntil(() => row("correction").state !== "pending");
    expect(row("correction")).toMatchObject({ state: "sent" });
    expect(t.fake.stats.errors.map((e) => e.description)).toContainEqual(expect.stringMatching(/message is not modified/));

    await api.deleteMessage(CHANNEL, t.fake.sent(CHANNEL)[0]!.messageId);
    await t.store.outbox.retract(articleId, { text: "Retracted" }, now());
    t.engine.notify();
    await clock.runUntil(() => row("retraction").state !== "pending");
    expect(row("retraction")).toMatchObject({ state: "sent" });
    expect(t.fake.stats.errors).toContainEqual(expect.objectContaining({ description: "Bad Request: message to delete not found" }));
  });
});
