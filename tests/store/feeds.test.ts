import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ArticleInput, Store } from "../../src/store/index.js";
import { ARTICLE_COUNTS_SQL } from "../../src/store/sqlite/feeds.js";
import { FakeClock } from "../support/fake-clock.js";
import { makeTempStore } from "../support/temp-store.js";

function input(key: string, headline: string, feedId: number, source: string): ArticleInput {
  return {
    article: { dedupKey: key, headline, summary: `${headline}.`, body: `${headline}.`, source, publishedAt: new Date(0), tags: [] },
    keys: [key],
    headlineKey: headline.toLowerCase(),
    feedId,
    isNews: false,
  };
}

describe("feed store", () => {
  let temp: ReturnType<typeof makeTempStore>;
  let store: Store;
  beforeEach(() => {
    temp = makeTempStore(new FakeClock());
    store = temp.store;
  });
  afterEach(() => temp.dispose());

  it("counts each feed's stored articles, a story two feeds share for both, through the by-feed index alone", async () => {
    const [a, b] = await store.feeds.ensure(["https://a.example/rss", "https://b.example/rss"], "config");
    const now = new Date(0);
    await store.articles.save([input("a1", "Storm hits the coast", a!.id, "A"), input("a2", "Rates held", a!.id, "A")], { now });
    // The same story from feed B within the cross-feed window: a second source of a2's story.
    await store.articles.save([input("b1", "Rates held", b!.id, "B")], { now, crossFeedWindowMs: 60_000 });
    expect(await store.feeds.articleCounts()).toEqual(
      new Map([
        [a!.id, 2],
        [b!.id, 1],
      ]),
    );
    const db = new Database(temp.path, { readonly: true });
    try {
      const plan = db
        .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${ARTICLE_COUNTS_SQL}`)
        .all()
        .map((row) => row.detail);
      expect(plan).toEqual(["SEARCH article_sources USING COVERING INDEX article_sources_feed (feed_id>?)"]);
    } finally {
      db.close();
    }
  });
});
