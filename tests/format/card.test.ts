import { describe, expect, it } from "vitest";
import type { Article } from "../../src/article.js";
import { hashtag, renderArticleCard } from "../../src/format/card.js";
import { loadTemplates } from "../../src/texts.js";
import { parseTelegramHtml } from "../../src/sandbox/fake-telegram/index.js";

const templates = loadTemplates();
const base: Article = {
  dedupKey: "url:https://news.example/a",
  headline: "Floods close the M4",
  summary: "Heavy rain closed the motorway on Monday. Police advised drivers to avoid the area.",
  body: "",
  link: "https://www.news.example/a?x=1&y=2",
  source: "The Example",
  publishedAt: new Date("2026-11-28T10:05:00Z"),
  tags: ["uk", "forced labour", "新疆"],
};

describe("the article card", () => {
  it("has the headline in bold, the summary, a readable link, source, time and hashtags", () => {
    const html = renderArticleCard(base, templates, { timeZone: "Europe/London" });
    expect(html).toBe(
      "<b>Floods close the M4</b>\n\nHeavy rain closed the motorway on Monday. Police advised drivers to avoid the area.\n\n" +
        '<a href="https://www.news.example/a?x=1&amp;y=2">Read on news.example</a>\n\n<i>The Example · 28 Nov 2026, 10:05 GMT</i>\n#uk #forced_labour #新疆',
    );
    const parsed = parseTelegramHtml(html);
    expect(parsed.ok && parsed.links).toEqual(["https://www.news.example/a?x=1&y=2"]);
  });

  const long = (n: number) => Array.from({ length: n }, (_, i) => `The mayor said item ${i} was fine.`).join(" ");
  // No link at all: Article has no room for a link that is there and undefined.
  const { link: _link, ...unlinked } = base;
  it.each<[string, Article]>([
    [
      "HTML in every field",
      { ...base, headline: "<script>alert(1)</script> & <b>", summary: 'He said "<i>no</i>" & left.', source: "A&B <News>" },
    ],
    ["quotes and ampersands in the URL", { ...base, link: 'https://e.example/?q="x"&a=<b>' }],
    ["emoji floods", { ...base, headline: "😀".repeat(2_000), summary: "🔥".repeat(3_000) }],
    ["right-to-left text", { ...base, headline: "انفجار في المدينة", summary: "قالت الشرطة إن الانفجار وقع صباح الاثنين." }],
    ["a 5,000-character headline", { ...base, headline: "Headline ".repeat(560) }],
    ["a 10,000-character summary", { ...base, summary: long(1_500) }],
    ["an empty summary, no link, no tags", { ...unlinked, summary: "", tags: [] }],
    ["a 5,000-character source name", { ...base, source: "Source ".repeat(700), headline: "Headline ".repeat(560) }],
    ["entities that look escaped already", { ...base, headline: "&amp; &lt;b&gt; &#128512;", summary: "&nbsp; &copy;" }],
  ])("is accepted by Telegram's parser with %s, within 4096 characters", (_name, article) => {
    const html = renderArticleCard(article, templates, { timeZone: "UTC" });
    const parsed = parseTelegramHtml(html);
    expect(parsed.ok, parsed.ok ? "" : parsed.description).toBe(true);
    if (parsed.ok) expect(parsed.text.length).toBeLessThanOrEqual(4096);
  });

  it("shortens a long summary at a sentence boundary", () => {
    const html = renderArticleCard({ ...base, summary: long(1_500) }, templates, { timeZone: "UTC" });
    const parsed = parseTelegramHtml(html);
    expect(parsed.ok && parsed.text.length).toBeGreaterThan(3_500);
    expect(html).toMatch(/was fine\.\n\n<a href/);
  });

  it.each([
    ["forced labour", "forced_labour"],
    ["covid-19", "covid_19"],
    ["新疆", "新疆"],
    ["u.s.", "u_s"],
    ["!!!", ""],
  ])("turns the tag %j into the hashtag %j", (tag, expected) => expect(hashtag(tag)).toBe(expected));
});
