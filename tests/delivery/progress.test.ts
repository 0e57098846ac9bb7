import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { broadcastProgress } from "../../src/delivery/progress.js";
import { storeText } from "../support/store-text.js";
import { makeTempStore } from "../support/temp-store.js";

describe("broadcast progress", () => {
  let temp: ReturnType<typeof makeTempStore>;
  beforeEach(() => (temp = makeTempStore()));
  afterEach(() => temp.dispose());

  it("gives sent, left, rate and ETA for one article", async () => {
    const { article } = await storeText(temp.store, "Quake shakes Lima\n\nA strong quake shook Lima on Monday, officials said.");
    await temp.store.outbox.enqueue(
      Array.from({ length: 10 }, (_, i) => ({
        kind: "alert" as const,
        chatId: String(100 + i),
        articleId: article.id,
        payload: { text: "x" },
      })),
      new Date(),
    );
    const rows = await temp.store.outbox.ready(new Date(), 10);
    for (const row of rows.slice(0, 4)) {
      await temp.store.outbox.claim(row.id);
      await temp.store.outbox.markSent(row.id, 1, new Date());
    }
    await temp.store.outbox.markChatBlocked(rows[4]!.chatId, "403");
    const idle = { progress: () => ({ sent: 0, failed: 0, blocked: 0, tooManyRequests: 0, inFlight: 0, rate: 0 }) };
    expect(await broadcastProgress(temp.store, idle, article.id, 2)).toEqual({
      sent: 4,
      failed: 0,
      blocked: 1,
      replaced: 0,
      left: 5,
      rate: 0,
      etaSeconds: 3,
    });
    const busy = { progress: () => ({ ...idle.progress(), rate: 5 }) };
    expect((await broadcastProgress(temp.store, busy, article.id, 2)).etaSeconds).toBe(1);
  });
});
