import Database from "better-sqlite3";
import { Api } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OutboxMessage } from "../../src/store/index.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestBot, type TestBot } from "../support/harness.js";
import { storeText } from "../support/store-text.js";
import { OTHER_STORIES } from "../support/reference-article.js";
import { correctArticle, retractArticle, type RevisionDeps } from "../../src/delivery/revisions.js";
import { loadTemplates } from "../../src/texts.js";

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
  /** What the desk hands to correctArticle and retractArticle. */
  const revisionDeps = (): RevisionDeps => ({
    store: t.store,
    templates: loadTemplates(),
    config: t.config,
    clock,
    logger: t.logger,
    engine: t.engine,
  });
  /** The newest (or the first) row of a kind: its state, attempts and last error, read from the database file. */
  const row = (kind: string, which: "newest" | "first" = "newest") => {
    const db = new Database(t.config.database.path, { readonly: true });
    try {
      const order = which === "newest" ? "DESC" : "ASC";
      return db
        .prepare(`SELECT state, attempts, last_error AS error FROM outbox WHERE kind = ? ORDER BY id ${order} LIMIT 1`)
        .get(kind) as {
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
    await t.store.outbox.markFailed(target, "Bad Request: chat not found");
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

  it("sends the text a correction gave a message after the engine read it, not the text it read", async () => {
    await t.store.outbox.release(articleId, [post(articleId)], now());
    // The correction lands between the engine's read of the outbox and its claim (a rate or concurrency wait).
    const claim = t.store.outbox.claim.bind(t.store.outbox);
    t.store.outbox.claim = async (id) => {
      await t.store.outbox.correct(articleId, {}, () => fix, now());
      t.store.outbox.claim = claim;
      return claim(id);
    };
    t.engine.notify();
    await clock.runUntil(() => t.fake.sent(CHANNEL).length === 1);
    expect(t.fake.sent(CHANNEL)[0]?.text).toBe("Storm closes three ports");
  });

  it.each([
    {
      overtaken: "a newer correction",
      after: () => t.store.outbox.correct(articleId, {}, () => ({ text: "<b>Storm</b> closes four ports" }), now()),
      fault: undefined,
      final: "Storm closes four ports",
      reason: "superseded by a newer correction",
    },
    {
      overtaken: "a retraction (a message too old to delete is edited into the notice)",
      after: () => t.store.outbox.retract(articleId, { text: "Retracted" }, now()),
      fault: { method: "deleteMessage", status: 400, description: "Bad Request: message can't be deleted", times: 1 },
      final: "Retracted",
      reason: "the article was retracted",
    },
  ])("does not let a correction whose edit met a 5xx undo $overtaken", async ({ after, fault, final, reason }) => {
    await postInFlight({ text: "<b>Storm</b> closes ports" });
    await t.store.outbox.correct(articleId, {}, () => fix, now());
    t.fake.injectFault({ method: "editMessageText", status: 500, description: "Internal Server Error", times: 1 });
    if (fault) t.fake.injectFault(fault);
    // The newer correction or the retraction comes while the first edit is on its way; that edit then fails and waits its turn again.
    const retryAt = t.store.outbox.retryAt.bind(t.store.outbox);
    t.store.outbox.retryAt = async (...args) => {
      t.store.outbox.retryAt = retryAt;
      await after();
      return retryAt(...args);
    };
    t.engine.notify();
    await clock.runUntil(
      async () => (await t.store.outbox.counts(articleId, 1)).pending + (await t.store.outbox.counts(articleId, 2)).pending === 0,
    );
    await clock.advance(60_000);
    expect(t.fake.sent(CHANNEL)[0]?.text).toBe(final);
    expect(t.fake.sent(CHANNEL)).toHaveLength(1);
    expect(row("correction", "first")).toMatchObject({ state: "cancelled", error: reason });
  });

  it("warns when a retraction's channel post was cut short by a crash: it may be in the channel", async () => {
    await postInFlight();
    await t.store.outbox.retract(articleId, { text: "Retracted" }, now());
    t = await t.restart();
    await clock.runUntil(() => t.logs.some((line) => line.level === 40 && line.articleId === articleId));
    expect(row("retraction")).toEqual({
      state: "cancelled",
      attempts: 0,
      error: "its message was interrupted by a crash: it may be in the chat",
    });
    expect(t.logs).toContainEqual(
      expect.objectContaining({
        level: 40,
        articleId,
        msg: "a crash interrupted the message this retraction was for: it may be in the chat, unchanged; check it and delete it by hand",
      }),
    );
  });

  it("says 'Updated' only in the edits of sent messages: a message not sent yet goes out as if it had never been wrong", async () => {
    await postInFlight({ text: "<b>Storm</b> closes ports" });
    await t.engine.stop();
    const alert = { kind: "alert", chatId: "42", articleId, topic: "storm", payload: { text: "<b>Storm</b> closes ports" } } as const;
    await t.store.outbox.enqueue([alert], now());
    expect(await correctArticle(revisionDeps(), articleId, { headline: "Storm closes three ports" })).toMatchObject({
      queued: 1,
      updated: 1,
    });
    const [edit] = await t.store.outbox.ready(now(), 10);
    expect(edit?.kind).toBe("correction");
    expect(edit?.payload.text).toContain("Storm closes three ports");
    expect(edit?.payload.text).toContain("<i>Updated 12:00</i>");
    const waiting = await t.store.outbox.claim((await t.store.outbox.ready(now(), 10)).find((r) => r.kind === "alert")!.id);
    expect(waiting?.payload.text).toContain("Storm closes three ports");
    expect(waiting?.payload.text).not.toContain("Updated");
  });

  it("warns at a retraction, and counts it, when a crash cut the channel post short before: nothing can reach it", async () => {
    await postInFlight();
    t = await t.restart();
    expect(await retractArticle(revisionDeps(), articleId)).toMatchObject({ queued: 0, unconfirmed: 1 });
    expect(t.logs).toContainEqual(
      expect.objectContaining({
        level: 40,
        articleId,
        msg: "a crash interrupted this story's channel post: it may be in the channel, and the retraction cannot reach it; check it and delete it by hand",
      }),
    );
  });
});
