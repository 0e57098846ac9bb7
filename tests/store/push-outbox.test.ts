import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OutboxMessage, Store } from "../../src/store/index.js";
import { FakeClock } from "../support/fake-clock.js";
import { storeText } from "../support/store-text.js";
import { makeTempStore } from "../support/temp-store.js";
import { OTHER_STORIES } from "../support/reference-article.js";

const CHANNEL = "@newsroom";
const push = (articleId: number): OutboxMessage => ({
  kind: "push",
  chatId: CHANNEL,
  articleId,
  payload: { text: "pushed", silent: true },
});
const post = (articleId: number): OutboxMessage => ({ kind: "post", chatId: CHANNEL, articleId, payload: { text: "scheduled" } });

describe("the outbox's pushes", () => {
  let clock: FakeClock;
  let temp: ReturnType<typeof makeTempStore>;
  let store: Store;
  let ids: number[];
  beforeEach(async () => {
    clock = new FakeClock();
    temp = makeTempStore(clock);
    store = temp.store;
    ids = [];
    for (const text of OTHER_STORIES) ids.push((await storeText(store, text, { clock })).article.id);
  });
  afterEach(() => temp.dispose());

  it("releases an article once, ever: a second push, or a push after the scheduled release, adds nothing", async () => {
    const [first = 0, second = 0] = ids;
    expect(await store.outbox.release(first, [push(first)], new Date(clock.now()))).toBe(true);
    expect(await store.outbox.release(first, [push(first)], new Date(clock.now()))).toBe(false);
    await store.outbox.release(second, [post(second)], new Date(clock.now()));
    expect(await store.outbox.release(second, [push(second)], new Date(clock.now()))).toBe(false);
    expect(await store.articles.unreleased(10)).not.toContainEqual(expect.objectContaining({ id: first }));
    expect((await store.outbox.counts()).pending).toBe(2);
  });

  it("sends a push ahead of an older scheduled post to the same channel, and carries Silent", async () => {
    const [first = 0, second = 0] = ids;
    await store.outbox.release(first, [post(first)], new Date(clock.now()));
    await clock.advance(60_000);
    await store.outbox.release(second, [push(second)], new Date(clock.now()));
    const [best] = await store.outbox.ready(new Date(clock.now()), 10);
    expect(best).toMatchObject({ kind: "push", articleId: second, priority: 0, payload: { text: "pushed", silent: true } });
  });

  it("never sends a push again after a crash in flight, and links its post once sent", async () => {
    const [first = 0] = ids;
    await store.outbox.release(first, [push(first)], new Date(clock.now()));
    const [row] = await store.outbox.ready(new Date(clock.now()), 1);
    expect(await store.outbox.claim(row!.id)).toMatchObject({ id: row!.id });
    expect(await store.outbox.recoverInterrupted()).toEqual({ requeued: 0, abandoned: 1 });
    expect(await store.outbox.channelMessageId(first)).toBeUndefined();

    const [second = 0] = ids.slice(1);
    await store.outbox.release(second, [push(second)], new Date(clock.now()));
    const [next] = await store.outbox.ready(new Date(clock.now()), 1);
    await store.outbox.claim(next!.id);
    await store.outbox.markSent(next!.id, 77, new Date(clock.now()));
    expect(await store.outbox.channelMessageId(second)).toBe(77);
  });
});
