import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { loadAliasMap } from "../../src/topics/alias-map.js";
import { buildMatchQuery, MAX_QUERY_TERMS } from "../../src/topics/match-query.js";
import { extractTags } from "../../src/topics/tags.js";
import { readReferenceArticle } from "./reference-article.js";
import { HOSTILE_QUERIES } from "../support/hostile-queries.js";

const aliases = loadAliasMap();

/** Outside its double-quoted strings a safe query holds only our own parentheses, OR and AND. */
function operatorsOutsideQuotes(query: string): string[] {
  return query
    .replace(/"(?:[^"]|"")*"/g, " ")
    .split(/\s+|(?=[()])|(?<=[()])/)
    .filter((t) => t !== "");
}

describe("buildMatchQuery", () => {
  it.each([
    ["embassies", '"embassies"'],
    ["xinjiang", '("xinjiang" OR "新疆" OR "sinkiang")'],
    ["Forced-Labour", '("forced labour" OR "forced labor")'],
    ['"forced labour"', '("forced labour" OR "forced labor")'],
    ["“forced labour”", '("forced labour" OR "forced labor")'],
    ['"internal affairs" spokesman', '"internal affairs" AND "spokesman"'],
    ["China's embassy", '("china" OR "chinese" OR "prc" OR "people\'s republic of china" OR "中国" OR "中國") AND "embassy"'],
    ["headline:x", '"headline x"'],
    ["NEAR(a b)", '"near a" AND "b"'],
    ["-x", '"x"'],
    ["AND", undefined],
    ['"', undefined],
    ["*", undefined],
    [")(", undefined],
    ["\\", undefined],
    ["🔥", undefined],
    ["   ", undefined],
    ["'; DROP TABLE t; --", '"drop" AND "table" AND "t"'],
  ])("%j → %s", (input, expected) => {
    expect(buildMatchQuery(input, aliases)).toBe(expected);
  });

  it("expands multi-word aliases found among unquoted words", () => {
    const query = buildMatchQuery("United Kingdom sanctions", aliases) ?? "";
    expect(query).toMatch(/^\("united kingdom" OR "uk" OR "britain" .*"u\.k\."\) AND "sanctions"$/);
  });

  it.each(HOSTILE_QUERIES.map((input) => [input]))("%j only uses our own operators", (input) => {
    const query = buildMatchQuery(input, aliases);
    if (query === undefined) return;
    expect((query.match(/"/g) ?? []).length % 2).toBe(0);
    for (const token of operatorsOutsideQuotes(query)) expect(["(", ")", "OR", "AND"]).toContain(token);
  });

  it("stays small for 10,000 characters of input", () => {
    const words = Array.from({ length: 2_000 }, (_, i) => `w${i}`).join(" ");
    const query = buildMatchQuery(words, aliases) ?? "";
    expect(query.split(" AND ")).toHaveLength(MAX_QUERY_TERMS);
    expect(query.length).toBeLessThan(200);
  });
});

describe("buildMatchQuery against SQLite FTS5", () => {
  const db = new Database(":memory:");
  afterAll(() => db.close());
  db.exec("create virtual table t using fts5(headline, summary, body, tags, tokenize = 'porter unicode61 remove_diacritics 2')");
  const insert = db.prepare("insert into t (headline, summary, body, tags) values (?, ?, ?, ?)");
  const article = readReferenceArticle();
  const tags = extractTags({ headline: article.headline, paragraphs: article.cleanParagraphs, categories: [] }, aliases);
  insert.run(article.headline, article.cleanParagraphs[0] ?? "", article.cleanParagraphs.join("\n\n"), tags.join(" "));
  insert.run(
    "Trump State of the Union address promised unity but emphasized discord",
    "The president's 'new American moment' speech stirred Republican applause",
    "Donald Trump has promised a new American moment in a State of the Union address.",
    "donald trump, us politics",
  );
  const search = db.prepare<[string], { headline: string }>("select headline from t where t match ?");
  const headlines = (input: string): string[] => {
    const query = buildMatchQuery(input, aliases);
    return query === undefined ? [] : search.all(query).map((row) => row.headline);
  };

  it.each([
    "xinjiang",
    "Xinjiang",
    "#Xinjiang",
    "uighurs",
    "uyghur", // only the alias "Uighur" is in the text
    "Uyghurs",
    "维吾尔", // alias in another script
    "embassies", // porter stem of "Embassy"
    '"forced labour"',
    "“forced labour”",
    "forced-labour",
    "forced labor", // US spelling, through the alias
    "international criminal court",
    "China's",
    "chinese embassy",
    "Britain",
    "united kingdom",
    "U.K.",
    "Xīnjiāng", // diacritics fold the same way on both sides
  ])("%j finds the reference article", (input) => {
    expect(headlines(input)).toEqual([article.headline]);
  });

  it.each([["trump"], ["xinjiang trump"], ['"labour forced"'], ["uk trump"]])("%j does not find it", (input) => {
    expect(headlines(input)).not.toContain(article.headline);
  });

  it.each(HOSTILE_QUERIES.map((input) => [input]))("%j never throws in MATCH", (input) => {
    const query = buildMatchQuery(input, aliases);
    expect(query === undefined || typeof query === "string").toBe(true);
    if (query !== undefined) expect(() => search.all(query)).not.toThrow();
  });

  it("survives random hostile text", () => {
    const alphabet = [..."aZé\"'“”*^():-+{}[]\\/,.;#@ \t\n0中🔥\u200d\ufe0fあ", "NEAR", "AND", "OR", "NOT", "headline:", "\ud83d"];
    let seed = 42;
    const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let i = 0; i < 500; i++) {
      const input = Array.from({ length: 1 + (next() % 40) }, () => alphabet[next() % alphabet.length]).join("");
      const query = buildMatchQuery(input, aliases);
      if (query !== undefined) expect(() => search.all(query), `${JSON.stringify(input)} → ${query}`).not.toThrow();
    }
  });
});
