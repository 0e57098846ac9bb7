import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/index.js";
import { makeTempDir } from "../support/temp-dir.js";

describe("chat store", () => {
  let dir: ReturnType<typeof makeTempDir>;
  let store: Store;
  beforeEach(() => {
    dir = makeTempDir();
    store = openStore({ kind: "sqlite", path: join(dir.path, "news.db") });
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it("records a chat once and keeps its first start time", async () => {
    const first = await store.chats.recordStart({ id: 1, kind: "private", title: "Ann", language: "en" });
    const again = await store.chats.recordStart({ id: 1, kind: "private", title: "Ann B." });
    expect(again.startedAt).toEqual(first.startedAt);
    expect(again).toMatchObject({ id: 1, kind: "private", title: "Ann B.", language: "en", blockedAt: undefined });
    expect(await store.chats.countActive()).toBe(1);
  });

  it("marks a chat blocked, and a new /start makes it active again", async () => {
    await store.chats.recordStart({ id: 2, kind: "private" });
    await store.chats.markBlocked(2, new Date(1_000));
    expect((await store.chats.get(2))?.blockedAt).toEqual(new Date(1_000));
    expect(await store.chats.countActive()).toBe(0);
    await store.chats.recordStart({ id: 2, kind: "private" });
    expect((await store.chats.get(2))?.blockedAt).toBeUndefined();
  });

  it("keeps groups and channels with negative ids and unicode titles", async () => {
    await store.chats.recordStart({ id: -1001234567890, kind: "channel", title: "أخبار 🗞️ <News>" });
    expect((await store.chats.get(-1001234567890))?.title).toBe("أخبار 🗞️ <News>");
    expect(await store.chats.get(404)).toBeUndefined();
  });
});
