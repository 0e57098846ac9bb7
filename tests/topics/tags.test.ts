import { describe, expect, it } from "vitest";
import { loadAliasMap } from "../../src/topics/alias-map.js";
import { normalizeTopic } from "../../src/topics/normalize.js";
import { DEFAULT_MAX_TAGS, extractTags } from "../../src/topics/tags.js";
import { readReferenceArticle } from "./reference-article.js";

const aliases = loadAliasMap();
const article = readReferenceArticle();
const PROMO = "Join ST's Telegram channel and get the latest breaking news delivered to you.";
const FURNITURE = ["st", "telegram", "reuters", "afp", "xinhua", "photo", "spokesman", "london", "saturday", "july"];

describe("extractTags on the reference article", () => {
  it.each([
    ["as in the fixture (caption, dateline, promo)", article.paragraphs],
    ["as cleaned", article.cleanParagraphs],
    ["cleaned but with the promo line", [...article.cleanParagraphs, PROMO]],
  ])("%s: names the story and none of the furniture", (_name, paragraphs) => {
    const tags = extractTags({ headline: article.headline, paragraphs, categories: [] }, aliases);
    expect(tags).toEqual(expect.arrayContaining(["xinjiang", "china", "uk", "uyghur"]));
    expect(tags.slice(0, 3).sort()).toEqual(["china", "uk", "xinjiang"]);
    for (const word of FURNITURE) expect(tags).not.toContain(word);
    expect(tags.length).toBeLessThanOrEqual(DEFAULT_MAX_TAGS);
    expect(new Set(tags).size).toBe(tags.length);
    for (const tag of tags) expect(normalizeTopic(tag, aliases)).toBe(tag);
  });

  it("follows the operator's canonical name", () => {
    const britain = loadAliasMap({ britain: ["uk", "british", "united kingdom"] });
    const tags = extractTags({ headline: article.headline, paragraphs: article.paragraphs, categories: [] }, britain);
    expect(tags).toContain("britain");
    expect(tags).not.toContain("uk");
  });

  it("respects max", () => {
    const input = { headline: article.headline, paragraphs: article.paragraphs, categories: [] };
    expect(extractTags(input, aliases, { max: 2 })).toHaveLength(2);
    expect(extractTags(input, aliases, { max: 0 })).toEqual([]);
  });
});

describe("extractTags on a Guardian item with categories", () => {
  const item = {
    headline: "Trump State of the Union address promised unity but emphasized discord",
    paragraphs: [
      "The president’s ‘new American moment’ speech stirred Republican applause while Democrats showed thinly disguised contempt",
      "Donald Trump has promised a “new American moment” in a State of the Union address that sought harmony but succeeded only in underlining the deep discord at the heart of the country’s politics.",
    ],
    categories: ["Donald Trump", "State of the Union address", "US news", "US politics", "Democrats", "Republicans", "US Congress"],
  };

  it("keeps the feed's categories, normalized, ahead of anything found in the text", () => {
    const tags = extractTags(item, aliases);
    expect(tags).toEqual(expect.arrayContaining(["donald trump", "state of the union address", "us politics", "democrats"]));
    expect(item.categories.map((c) => c.toLowerCase())).toContain(tags[0]);
    expect(tags).not.toContain("trump"); // the same person as "donald trump"
    expect(tags).not.toContain("american"); // ambiguous demonym, not folded to "us"
  });

  it("drops furniture and empty categories", () => {
    const tags = extractTags({ ...item, categories: ["#Reuters", "  ", "🔥", "Photo", "World/Asia"] }, aliases);
    expect(tags).toContain("world asia");
    for (const word of ["reuters", "photo", ""]) expect(tags).not.toContain(word);
  });
});

describe("extractTags on awkward text", () => {
  it.each([
    ["pronoun 'us' is not the US", "Readers tell us what they think", ["Tell us more, they told us, and us again."], "us", false],
    ["capital US is", "US sanctions bite", ["The US said the US would act.", "U.S. officials agreed."], "us", true],
    ["Chinese text", "新疆棉花", ["中国新疆维吾尔自治区的棉花。"], "xinjiang", true],
    ["month names are not topics", "May talks", ["In May, in May, in May again, talks resumed."], "may", false],
    [
      "a name repeated three times",
      "Talks resume",
      ["Acme Corp said yes.", "Acme Corp said no.", "Then Acme Corp said maybe."],
      "acme corp",
      true,
    ],
    ["a name mentioned once", "Talks resume", ["Acme Corp said yes."], "acme corp", false],
  ])("%s", (_name, headline, paragraphs, tag, present) => {
    const tags = extractTags({ headline, paragraphs, categories: [] }, aliases);
    expect(tags.includes(tag)).toBe(present);
  });

  it.each([
    ["empty", { headline: "", paragraphs: [], categories: [] }],
    ["punctuation only", { headline: "!!!", paragraphs: ["...", "—"], categories: ["#"] }],
    ["emoji only", { headline: "🔥🔥", paragraphs: ["🎉"], categories: ["👍"] }],
    ["10,000 characters", { headline: "Xinjiang", paragraphs: ["Xinjiang ".repeat(1_250)], categories: [] }],
  ])("%s does not throw", (_name, input) => {
    expect(() => extractTags(input, aliases)).not.toThrow();
  });
});
