import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OutboxMessage, OutboxPayload, Store } from "../../src/store/index.js";
import { FakeClock } from "../support/fake-clock.js";
import { storeText } from "../support/store-text.js";
import { makeTempStore } from "../support/temp-store.js";
import { OTHER_STORIES } from "../support/reference-article.js";

const CHANNEL = "@newsroom";
const post: (articleId: number) => OutboxMessage = (articleId) => ({ kind: "post", chatId: CHANNEL, articleId, payload: { text: "post" } });
const alert = (articleId: number, chatId: number): OutboxMessage => ({
  kind: "alert",
  chatId: String(chatId),
  articleId,
  topic: "xinjiang",
  payload: { text: "alert", silent: true },
});
/** What a correction renders: the kind and topic show, and whether it edits a sent message, so that each row's text can be checked. */
const render = (label: string) => (m: { kind: string; topic: string | undefined; sent: boolean }) => ({
  text: `${label} ${m.kind}${m.topic ? ` ${m.topic}` : ""}${m.sent ? " (edit)" : ""}`,
  linkPreviewUrl: "https://news.example/fixed",
});

describe("the outbox's corrections and retractions", () => {
  let clock: FakeClock;
  let temp: ReturnType<typeof makeTempStore>;
  let store: Store;
  let id: number;
  /** The row ids of the article's post and its alerts to chats 1 (sent), 2 (being sent) and 3 (not sent yet). */
  let rows: { post: number; sent: number; sending: number; pending: number };
  const at = () => new Date(clock.now());
  const states = () => {
    const db = new Database(temp.path, { readonly: true });
    try {
      return db.prepare("SELECT id, kind, state, target_id AS target, revision, payload FROM outbox ORDER BY id").all() as {
        id: number;
        kind: string;
        state: string;
        target: number | null;
        revision: number;
        payload: string;
      }[];
    } finally {
      db.close();
    }
  };
  const payloadOf = (rowId: number) => JSON.parse(states().find((r) => r.id === rowId)?.payload ?? "{}") as OutboxPayload;

  beforeEach(async () => {
    clock = new FakeClock();
    temp = makeTempStore(clock);
    store = temp.store;
    id = (await storeText(store, OTHER_STORIES[0]!, { clock })).article.id;
    await store.outbox.release(id, [post(id), alert(id, 1), alert(id, 2), alert(id, 3)], at());
    const ready = await store.outbox.ready(at(), 10);
    const idOf = (chat: string) => ready.find((r) => r.chatId === chat)!.id;
    rows = { post: idOf(CHANNEL), sent: idOf("1"), sending: idOf("2"), pending: idOf("3") };
    for (const row of [rows.post, rows.sent, rows.sending]) await store.outbox.claim(row);
    await store.outbox.markSent(rows.post, 11, at());
    await store.outbox.markSent(rows.sent, 21, at());
  });
  afterEach(() => temp.dispose());

  it("corrects in one go: the article's fields, the unsent message's text, one correction per sent or sending message", async () => {
    expect(await store.outbox.revisable(id)).toEqual({ sent: 3, pending: 1 });
    const outcome = await store.outbox.correct(id, { headline: "Fixed headline" }, render("v1"), at());
    expect(outcome).toEqual({ revision: 1, queued: 3, updated: 1, cancelled: 0, unconfirmed: 0 });
    expect((await store.articles.get(id))?.headline).toBe("Fixed headline");
    // The alert not sent yet keeps its other settings (silent) and takes the corrected text and link.
    expect(payloadOf(rows.pending)).toEqual({ text: "v1 alert xinjiang", silent: true, linkPreviewUrl: "https://news.example/fixed" });
    const corrections = states().filter((r) => r.kind === "correction");
    expect(corrections.map((r) => [r.target, r.revision, (JSON.parse(r.payload) as OutboxPayload).text])).toEqual([
      [rows.post, 1, "v1 post (edit)"],
      [rows.sent, 1, "v1 alert xinjiang (edit)"],
      [rows.sending, 1, "v1 alert xinjiang (edit)"],
    ]);
    // Corrections go ahead of posts and alerts, and carry their target as it stands.
    const [first] = await store.outbox.ready(at(), 10);
    expect(first).toMatchObject({ kind: "correction", priority: 1, target: { id: rows.post, state: "sent", messageId: 11 } });
  });

  it("a second correction cancels the first one's edits not sent yet, and takes the next revision", async () => {
    await store.outbox.correct(id, { headline: "First fix" }, render("v1"), at());
    const firstEdit = states().find((r) => r.kind === "correction" && r.target === rows.post)!.id;
    await store.outbox.claim(firstEdit);
    await store.outbox.markSent(firstEdit, 11, at());
    const outcome = await store.outbox.correct(id, { summary: "Second fix" }, render("v2"), at());
    expect(outcome).toEqual({ revision: 2, queued: 3, updated: 1, cancelled: 2, unconfirmed: 0 });
    expect(await store.outbox.counts(id, 1)).toMatchObject({ sent: 1, cancelled: 2, pending: 0 });
    expect(await store.outbox.counts(id, 2)).toMatchObject({ pending: 3 });
    expect(payloadOf(rows.pending).text).toBe("v2 alert xinjiang");
    expect(await store.articles.get(id)).toMatchObject({ headline: "First fix", summary: "Second fix" });
  });

  it("retracts in one go: out of latest, search and the queue, unsent messages cancelled, one retraction per sent message", async () => {
    expect(await store.articles.search('"norway"', { limit: 10, offset: 0 })).toHaveLength(1);
    await store.outbox.correct(id, { headline: "Fixed" }, render("v1"), at());
    const notice = { text: "Retracted" };
    expect(await store.outbox.retract(id, notice, at())).toEqual({ revision: 2, queued: 3, updated: 0, cancelled: 4, unconfirmed: 0 });
    expect((await store.articles.get(id))?.retractedAt).toEqual(at());
    expect((await store.articles.latest(10)).map((a) => a.id)).not.toContain(id);
    expect((await store.articles.published(10)).map((a) => a.id)).not.toContain(id);
    expect(await store.articles.search('"norway"', { limit: 10, offset: 0 })).toEqual([]);
    expect(await store.outbox.counts(id, 0)).toMatchObject({ sent: 2, sending: 1, cancelled: 1 });
    expect(await store.outbox.counts(id, 1)).toMatchObject({ cancelled: 3 });
    expect(
      states()
        .filter((r) => r.kind === "retraction")
        .map((r) => [r.target, r.revision, JSON.parse(r.payload) as OutboxPayload]),
    ).toEqual([
      [rows.post, 2, notice],
      [rows.sent, 2, notice],
      [rows.sending, 2, notice],
    ]);
    // Once only, and no correction after it.
    expect(await store.outbox.retract(id, notice, at())).toBeUndefined();
    expect(await store.outbox.correct(id, { headline: "Late" }, render("v3"), at())).toBeUndefined();
    expect(await store.outbox.release(id, [post(id)], at())).toBe(false);
  });

  it("takes a queued article out of the queue when it is retracted before its release", async () => {
    const queued = (await storeText(store, OTHER_STORIES[1]!, { clock })).article.id;
    expect(await store.articles.queue(queued)).toBe("queued");
    expect(await store.outbox.retract(queued, { text: "Retracted" }, at())).toEqual({
      revision: 1,
      queued: 0,
      updated: 0,
      cancelled: 0,
      unconfirmed: 0,
    });
    expect(await store.articles.unreleased(10)).toEqual([]);
  });

  it("cancels a claimed row, and requeues corrections and retractions left in flight by a crash", async () => {
    await store.outbox.correct(id, { headline: "Fixed" }, render("v1"), at());
    const [edit, other] = states().filter((r) => r.kind === "correction");
    await store.outbox.claim(edit!.id);
    await store.outbox.claim(other!.id);
    await store.outbox.markCancelled(other!.id, "its message was never sent (failed)");
    expect(await store.outbox.recoverInterrupted()).toEqual({ requeued: 2, abandoned: 0 });
    expect(states().find((r) => r.id === edit!.id)?.state).toBe("pending");
    expect(states().find((r) => r.id === other!.id)?.state).toBe("cancelled");
  });

  it("claims a row as it stands now: the text a correction gave it after it was read", async () => {
    const [read] = (await store.outbox.ready(at(), 10)).filter((r) => r.id === rows.pending);
    expect(read?.payload.text).toBe("alert");
    await store.outbox.correct(id, { headline: "Fixed" }, render("v1"), at());
    expect(await store.outbox.claim(rows.pending)).toMatchObject({
      id: rows.pending,
      payload: { text: "v1 alert xinjiang", silent: true },
    });
    expect(await store.outbox.claim(rows.pending)).toBeUndefined();
  });

  it("cancels at its claim a retried correction that a newer correction overtook, and sends the newer one", async () => {
    await store.outbox.correct(id, { headline: "First fix" }, render("v1"), at());
    const first = states().find((r) => r.kind === "correction" && r.target === rows.post)!.id;
    await store.outbox.claim(first);
    // The newer correction comes while the first edit is on its way; the first one then meets a 5xx and waits its turn again.
    await store.outbox.correct(id, { headline: "Second fix" }, render("v2"), at());
    await store.outbox.retryAt(first, at(), "500 Internal Server Error", true);
    const second = states().find((r) => r.kind === "correction" && r.target === rows.post && r.revision === 2)!.id;
    expect(await store.outbox.claim(first)).toBeUndefined();
    expect(await store.outbox.claim(second)).toMatchObject({ payload: { text: "v2 post (edit)" } });
    const db = new Database(temp.path, { readonly: true });
    try {
      expect(db.prepare("SELECT state, last_error AS error FROM outbox WHERE id = ?").get(first)).toEqual({
        state: "cancelled",
        error: "superseded by a newer correction",
      });
    } finally {
      db.close();
    }
  });

  it("cancels at its claim a retried correction of a story retracted meanwhile", async () => {
    await store.outbox.correct(id, { headline: "Fixed" }, render("v1"), at());
    const edit = states().find((r) => r.kind === "correction" && r.target === rows.post)!.id;
    await store.outbox.claim(edit);
    await store.outbox.retract(id, { text: "Retracted" }, at());
    await store.outbox.retryAt(edit, at(), "500 Internal Server Error", true);
    expect(await store.outbox.claim(edit)).toBeUndefined();
    expect(await store.outbox.counts(id, 1)).toMatchObject({ pending: 0, sending: 0, cancelled: 3 });
  });

  it("counts the channel post a crash cut short as unconfirmed: a retraction cannot reach it", async () => {
    const other = (await storeText(store, OTHER_STORIES[1]!, { clock })).article.id;
    await store.outbox.release(other, [post(other)], at());
    const [row] = (await store.outbox.ready(at(), 10)).filter((r) => r.articleId === other);
    await store.outbox.claim(row!.id);
    await store.outbox.recoverInterrupted();
    expect(await store.outbox.retract(other, { text: "Retracted" }, at())).toEqual({
      revision: 1,
      queued: 0,
      updated: 0,
      cancelled: 0,
      unconfirmed: 1,
    });
  });
});
