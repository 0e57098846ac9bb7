import { describe, expect, it } from "vitest";
import shipped from "../../src/topics/aliases.json" with { type: "json" };
import { loadAliasMap, parseTopicsFile, TopicsFileError } from "../../src/topics/alias-map.js";

describe("shipped aliases.json", () => {
  const aliases = loadAliasMap();
  const topics = Object.keys(shipped).filter((k) => !k.startsWith("//"));

  it("is a newsroom-sized set whose names are already in their folded form", () => {
    expect(topics.length).toBeGreaterThanOrEqual(40);
    for (const topic of topics) expect(aliases.canonical(topic)).toBe(topic);
  });

  it("folds the reference article's names", () => {
    expect(aliases.canonical("Britain")).toBe("uk");
    expect(aliases.canonical("British")).toBe("uk");
    expect(aliases.canonical("Chinese")).toBe("china");
    expect(aliases.canonical("Uighurs")).toBe("uyghur");
    expect(aliases.canonical("United Nations")).toBe("un");
  });

  it("keeps ambiguous adjectives out", () => {
    expect(aliases.canonical("American")).toBe("american"); // Latin American, American Airlines...
    expect(aliases.canonical("Zürich")).toBe("zurich"); // unknown terms come back folded
  });

  it("lists aliases as written, dots included, for search", () => {
    expect(aliases.aliasesOf("uk")).toEqual(expect.arrayContaining(["britain", "united kingdom", "u.k."]));
    expect(aliases.aliasesOf("us")).toContain("u.s.");
    expect(aliases.aliasesOf("Britain")).toContain("united kingdom"); // any spelling finds the topic
    expect(aliases.aliasesOf("uk")).not.toContain("uk");
    expect(aliases.aliasesOf("nowhere")).toEqual([]);
  });
});

describe("operator overrides", () => {
  it("replace the shipped entry of the same name", () => {
    const aliases = loadAliasMap({ UK: ["blighty"] });
    expect(aliases.canonical("blighty")).toBe("uk");
    expect(aliases.canonical("Britain")).toBe("britain");
    expect(aliases.aliasesOf("uk")).toEqual(["blighty"]);
  });

  it("add new topics and leave the rest alone", () => {
    const aliases = loadAliasMap({ "gaza war": ["israel-hamas war"] });
    expect(aliases.canonical("Israel-Hamas war")).toBe("gaza war");
    expect(aliases.canonical("Uighur")).toBe("uyghur");
  });

  it("can rename a topic: the old name and its aliases follow", () => {
    const aliases = loadAliasMap({ britain: ["uk", "blighty"] });
    expect(aliases.canonical("UK")).toBe("britain");
    expect(aliases.canonical("United Kingdom")).toBe("britain");
    expect(aliases.aliasesOf("britain")).toEqual(expect.arrayContaining(["uk", "blighty", "united kingdom"]));
  });

  it("win an alias from a shipped topic", () => {
    const aliases = loadAliasMap({ "greater china": ["chinese"] });
    expect(aliases.canonical("Chinese")).toBe("greater china");
    expect(aliases.aliasesOf("china")).not.toContain("chinese");
  });
});

describe("parseTopicsFile", () => {
  it("accepts the editor's format, with // comment keys", () => {
    const text = `{ "//": "our desk's spellings", "Gaza war": ["Israel-Hamas war"], "brexit": [] }`;
    expect(parseTopicsFile(text, "topics.json")).toEqual({ "Gaza war": ["Israel-Hamas war"], brexit: [] });
  });

  it.each([
    ["{", /not valid JSON/],
    ['{"uk": ["britain"],}', /not valid JSON.*trailing commas/],
    ["", /not valid JSON/],
    ["[]", /top level is a list/],
    ["null", /top level is null/],
    ['"uk"', /top level is a string/],
    ['{"uk": "britain"}', /"uk" must be a list of strings, but is a string.*\[\]/],
    ['{"uk": [1, 2]}', /"uk" must be a list of strings/],
    ['{"uk": {"britain": true}}', /"uk" must be a list of strings, but is an object/],
    ['{"uk": [""]}', /alias of "uk" "" has no letters or digits/],
    ['{"🔥": []}', /topic name "🔥" has no letters or digits/],
    ['{"uk": ["britain"], "gb": ["Britain"]}', /"Britain" is listed under both "uk" and "gb"/],
    ['{"uk": [], "UK": []}', /listed under both/],
    [`{"${"x".repeat(65)}": []}`, /longer than 64 characters/],
  ])("rejects %j", (text, message) => {
    let error: unknown;
    try {
      parseTopicsFile(text, "/etc/newsdesk/topics.json");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TopicsFileError);
    expect((error as TopicsFileError).name).toBe("TopicsFileError");
    expect((error as TopicsFileError).fileName).toBe("/etc/newsdesk/topics.json");
    expect((error as Error).message).toMatch(/^\/etc\/newsdesk\/topics\.json: /);
    expect((error as Error).message).toMatch(message);
  });

  it("feeds loadAliasMap", () => {
    const extra = parseTopicsFile('{"britain": ["uk"]}', "topics.json");
    expect(loadAliasMap(extra).canonical("U.K.")).toBe("britain");
  });
});
