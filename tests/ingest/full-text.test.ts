import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { RawItem } from "../../src/article.js";
import { decodeBody } from "../../src/ingest/decode.js";
import { extractArticle, isTeaser } from "../../src/ingest/full-text.js";
import { parseFeedText } from "../../src/ingest/parse.js";

const PAGES = "/work/shared/fixtures/pages/";
const page = (name: string) => ({
  html: readFileSync(`${PAGES}${name}/source.html`, "utf8"),
  expected: JSON.parse(readFileSync(`${PAGES}${name}/expected-metadata.json`, "utf8")) as {
    title: string;
    byline: string;
    excerpt: string;
  },
});

describe("extractArticle on real pages", () => {
  it.each([
    {
      name: "nytimes-3",
      url: "https://www.nytimes.com/2019/02/21/nyregion/manhole-fires-nyc.html",
      // The page opens with its standfirst (= the excerpt), then the first paragraph of the story.
      opening: /^New York’s aging below-street infrastructure is tough to maintain/,
      firstSentence: "A series of recent manhole fires in the heart of Manhattan forced the evacuation of several theaters",
      navigation: ["Skip to content", "Subscribe", "Log In", "Today’s Paper"],
    },
    {
      name: "wapo-2",
      url: "https://www.washingtonpost.com/world/national-security/where-do-strained-us-israeli-relations-go.html",
      // The lead photo's caption comes first, then the story.
      opening: /^Israeli Prime Minister Benjamin Netanyahu reacts as he visits the Western Wall/,
      firstSentence: "President Obama told the U.N. General Assembly 18 months ago that he would seek",
      navigation: ["Sign In", "PostTV", "Share on Facebook", "Accessibility for screenreader"],
    },
  ])("$name: title, byline and the story's opening, not the navigation", ({ name, url, opening, firstSentence, navigation }) => {
    const { html, expected } = page(name);
    const article = extractArticle(html, url);
    expect(article?.title).toBe(expected.title);
    expect(article?.byline).toBe(expected.byline);
    expect(article?.excerpt).toBe(expected.excerpt);
    const text = article?.textContent ?? "";
    expect(text).toMatch(opening);
    expect(text.slice(0, 1200)).toContain(firstSentence);
    // (NYT's print line "Order Reprints | Today’s Paper | Subscribe" does close the article.)
    for (const menu of navigation) expect(text.slice(0, 1200)).not.toContain(menu);
    expect(article?.contentHtml).toContain("<p");
  });

  it("gives one paragraph per block, separated by blank lines", () => {
    const text = extractArticle(page("wapo-2").html)?.textContent ?? "";
    const paragraphs = text.split("\n\n");
    expect(paragraphs.length).toBeGreaterThan(10);
    expect(paragraphs[1]).toMatch(/^President Obama told the U\.N\. General Assembly/);
    expect(paragraphs.every((p) => p === p.replace(/\s+/g, " ").trim())).toBe(true);
  });
});

const paragraph = (n: number) =>
  `<p>Paragraph ${n} of a local story about the harbour, the ferries that run to the islands, and the people who ` +
  `depend on them every single day of the year, in all weathers and at all hours, for work and school.</p>`;

describe("extractArticle on made-up pages", () => {
  it("resolves relative links and images against the page URL (and its <base href>)", () => {
    const html = `<html><head><title>Harbour news</title><base href="/media/"></head><body><article>
      <h1>Harbour news</h1>${[1, 2, 3, 4, 5].map(paragraph).join("")}
      <p><img src="ferry.jpg" alt="Ferry"> See <a href="/ferries/timetable">the timetable</a>.</p></article></body></html>`;
    const article = extractArticle(html, "https://news.example.org/local/harbour");
    expect(article?.contentHtml).toContain('src="https://news.example.org/media/ferry.jpg"');
    expect(article?.contentHtml).toContain('href="https://news.example.org/ferries/timetable"');
    expect(article?.textContent).toMatch(/^Paragraph 1 of a local story/);
  });

  it.each([
    ["an empty page", "<html><body></body></html>"],
    ["a page with only scripts", "<html><body><script>document.write('x'.repeat(5000))</script></body></html>"],
  ])("returns undefined for %s", (_, html) => {
    expect(extractArticle(html, "https://example.com/")).toBeUndefined();
  });

  it("reads a bare fragment as a page body instead of failing", () => {
    expect(extractArticle("just <b>some</b> words")?.textContent).toBe("just some words");
  });
});

const item = (fields: Partial<RawItem>): RawItem => ({ title: "T", categories: [], ...fields });
const longText = (words: number) => Array.from({ length: words }, (_, i) => `word${i}`).join(" ");

describe("isTeaser", () => {
  const guardian = parseFeedText(decodeBody(readFileSync("/work/shared/fixtures/feeds/guardian.rss"))).items[0];
  const medium = parseFeedText(decodeBody(readFileSync("/work/shared/fixtures/feeds/content-encoded.rss"))).items[0];

  it.each([
    ["the Guardian's description ending in “Continue reading...”", guardian, true],
    ["Medium's full content:encoded", medium, false],
    ["a short description", item({ description: "<p>Fire downtown. More soon.</p>" }), true],
    ["no text at all", item({}), true],
    ["a long description", item({ description: `<p>${longText(120)}.</p>` }), false],
    ["a long description ending in …", item({ description: `${longText(120)}…` }), true],
    ["a long description ending in [&#8230;]", item({ description: `${longText(120)} [&#8230;]` }), true],
    ["a long description ending in “Read more »”", item({ description: `<p>${longText(120)}</p><a href="/x">Read more »</a>` }), true],
    ["short content", item({ description: "Teaser", content: "<p>Two full sentences. That is all.</p>" }), false],
    ["content that is empty markup", item({ description: "Short", content: "<p> </p>" }), true],
    ["content that ends in Continue reading", item({ content: `<p>${longText(30)}</p><p>Continue reading</p>` }), true],
  ])("%s → %s", (_, input, expected) => {
    expect(input && isTeaser(input)).toBe(expected);
  });
});
