import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { articleMatches, searchArticles } from "../../src/search/index.js";
import { loadAliasMap } from "../../src/topics/index.js";
import { OTHER_STORIES, REFERENCE_LINK, referenceArticleText } from "../support/reference-article.js";
import { storeText } from "../support/store-text.js";
import { makeTempStore } from "../support/temp-store.js";
import { HOSTILE_QUERIES } from "../support/hostile-queries.js";

const aliases = loadAliasMap();

describe("search (FTS5, bm25 and recency)", () => {
  let temp: ReturnType<typeof makeTempStore>;
  let referenceId: number;
  beforeAll(async () => {
    temp = makeTempStore();
    for (const text of OTHER_STORIES) await storeText(temp.store, text);
    const { article } = await storeText(temp.store, referenceArticleText(), { link: REFERENCE_LINK });
    referenceId = article.id;
  });
  afterAll(() => temp.dispose());

  it.each([
    "xinjiang",
    "Xinjiang",
    "uighurs",
    "uyghur",
    "Uygur",
    '"forced labour"',
    "international criminal court",
    "新疆",
    "#Xinjiang",
    "forced-labour",
    "China's",
  ])("finds the reference article for %s", async (query) => {
    const result = await searchArticles(temp.store, aliases, query, { limit: 5, offset: 0 });
    expect(result.status).toBe("ok");
    if (result.status !== "ok") return;
    expect(result.hits[0]?.article.id).toBe(referenceId);
    expect(result.hits[0]?.article.link).toBe(REFERENCE_LINK);
    expect(await articleMatches(temp.store, aliases, referenceId, query)).toBe(true);
  });

  it("finds embassies by stem, ranking the headline match first", async () => {
    const result = await searchArticles(temp.store, aliases, "embassies", { limit: 5, offset: 0 });
    const headlines = result.status === "ok" ? result.hits.map((hit) => hit.article.headline) : [];
    expect(headlines).toHaveLength(2);
    expect(headlines[0]).toBe("Embassy reopens in Kabul");
    expect(result.status === "ok" && result.hits[1]?.article.id).toBe(referenceId);
  });

  it("matches one article only against its own text, not against another article's", async () => {
    const others = (await temp.store.articles.latest(10)).filter((a) => a.id !== referenceId);
    expect(others).toHaveLength(3);
    for (const other of others) expect(await articleMatches(temp.store, aliases, other.id, "xinjiang")).toBe(false);
    const kabul = others.find((a) => a.headline.startsWith("Embassy"));
    expect(await articleMatches(temp.store, aliases, kabul!.id, "kabul")).toBe(true);
    expect(await articleMatches(temp.store, aliases, referenceId, "kabul")).toBe(false);
  });

  it("does not find what is not there", async () => {
    const result = await searchArticles(temp.store, aliases, "volcano", { limit: 5, offset: 0 });
    expect(result).toEqual({ status: "ok", hits: [], hasMore: false });
    expect(await articleMatches(temp.store, aliases, referenceId, "volcano")).toBe(false);
  });

  it("pages with hasMore", async () => {
    const first = await searchArticles(temp.store, aliases, "said", { limit: 2, offset: 0 });
    expect(first.status === "ok" && first.hits.length === 2 && first.hasMore).toBe(true);
    const rest = await searchArticles(temp.store, aliases, "said", { limit: 2, offset: 2 });
    expect(rest.status === "ok" && rest.hits.length === 1 && !rest.hasMore).toBe(true);
  });

  it.each(HOSTILE_QUERIES)("never throws on hostile input %#", async (query) => {
    const result = await searchArticles(temp.store, aliases, query, { limit: 5, offset: 0 });
    expect(["ok", "empty-query"]).toContain(result.status);
  });
});
