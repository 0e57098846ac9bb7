import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/index.js";
import { READER_COUNTS_SQL } from "../../src/store/sqlite/chats.js";
import { FakeClock } from "../support/fake-clock.js";
import { makeTempStore } from "../support/temp-store.js";

describe("chat store", () => {
  let clock: FakeClock;
  let temp: ReturnType<typeof makeTempStore>;
  let store: Store;
  beforeEach(() => {
    clock = new FakeClock();
    temp = makeTempStore(clock);
    store = temp.store;
  });
  afterEach(() => temp.dispose());

  it("records a chat once and keeps its first start time, by the store's clock", async () => {
    const first = await store.chats.recordStart({ id: 1, kind: "private", title: "Ann", language: "en" });
    expect(first.startedAt).toEqual(new Date(clock.now()));
    await clock.advance(60_000);
    const again = await store.chats.recordStart({ id: 1, kind: "private", title: "Ann B." });
    expect(again.startedAt).toEqual(first.startedAt);
    expect(again).toMatchObject({ id: 1, kind: "private", title: "Ann B.", language: "en", blockedAt: undefined });
  });

  it("marks a chat blocked at the store's time, and a new /start makes it active again", async () => {
    await store.chats.recordStart({ id: 2, kind: "private" });
    await clock.advance(5_000);
    await store.chats.markBlocked(2);
    expect((await store.chats.get(2))?.blockedAt).toEqual(new Date(clock.now()));
    await store.chats.recordStart({ id: 2, kind: "private" });
    expect((await store.chats.get(2))?.blockedAt).toBeUndefined();
  });

  it("keeps groups and channels with negative ids and unicode titles", async () => {
    await store.chats.recordStart({ id: -1001234567890, kind: "channel", title: "أخبار 🗞️ <News>" });
    expect((await store.chats.get(-1001234567890))?.title).toBe("أخبار 🗞️ <News>");
    expect(await store.chats.get(404)).toBeUndefined();
  });

  it("counts active and blocked readers, each through its own partial index, never a scan of chats", async () => {
    for (const id of [1, 2, 3]) await store.chats.recordStart({ id, kind: "private" });
    await store.chats.recordStart({ id: -5, kind: "group" });
    await store.chats.markBlocked(3);
    await store.chats.markBlocked(-5);
    expect(await store.chats.readerCounts()).toEqual({ active: 2, blocked: 1 });
    const db = new Database(temp.path, { readonly: true });
    try {
      const plan = db
        .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${READER_COUNTS_SQL}`)
        .all()
        .map((row) => row.detail);
      expect(plan.filter((detail) => detail.includes("chats"))).toEqual([
        "SEARCH chats USING INDEX chats_active (kind=?)",
        "SEARCH chats USING INDEX chats_blocked (kind=?)",
      ]);
    } finally {
      db.close();
    }
  });
});
