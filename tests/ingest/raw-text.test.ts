import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RawArticleError, parseRawArticle } from "../../src/ingest/raw-text.js";

const REFERENCE = readFileSync("/work/shared/fixtures/articles/xinjiang-embassy.txt", "utf8");
const HEADLINE = "UK report over Xinjiang wantonly interferes in China's internal affairs: Chinese Embassy";
const LINK = "https://www.straitstimes.com/world/europe/uk-report-over-xinjiang-wantonly-interferes";

/** Puts a line after the line numbered `after` (0-based). */
function insertLine(text: string, after: number, line: string): string {
  const lines = text.split("\n");
  lines.splice(after + 1, 0, line);
  return lines.join("\n");
}

describe("parseRawArticle on the reference article", () => {
  const article = parseRawArticle(REFERENCE);

  it("takes the first line as the headline and the rest as the body, without a link", () => {
    expect(article.title).toBe(HEADLINE);
    expect(article.link).toBeUndefined();
    expect(article.categories).toEqual([]);
    expect(article.content).toMatch(/^A spokesman said that the vocational education and training centres/);
    expect(article.content).toMatch(/Join ST's Telegram channel and get the latest breaking news delivered to you\.$/);
  });

  it("keeps the paragraphs separated by blank lines", () => {
    const paragraphs = article.content?.split("\n\n") ?? [];
    expect(paragraphs).toHaveLength(16); // 17 non-empty lines, the first is the headline
    expect(paragraphs[1]).toMatch(/^LONDON \(XINHUA, AFP\) - A spokesman for the Chinese Embassy/);
    expect(paragraphs.every((p) => p.trim() === p && p !== "")).toBe(true);
  });

  it.each([
    ["after the headline", 0, LINK],
    ["in the middle of the body", 8, LINK],
    ["at the end", 1000, LINK],
    ["in angle brackets, indented", 4, `   <${LINK}>  `],
  ])("finds a URL line %s and removes it from the body", (_, after, line) => {
    const withLink = parseRawArticle(insertLine(REFERENCE, after, line));
    expect(withLink.link).toBe(LINK);
    expect(withLink.title).toBe(HEADLINE);
    expect(withLink.content).not.toContain("straitstimes");
    expect(withLink.content).toBe(article.content);
  });

  it("reads a URL on the very first line as the link, and the next line as the headline", () => {
    const withLink = parseRawArticle(`${LINK}\n${REFERENCE}`);
    expect(withLink).toMatchObject({ title: HEADLINE, link: LINK, content: article.content });
  });

  it("lets options.link win over a URL line, which still leaves the body", () => {
    const withLink = parseRawArticle(insertLine(REFERENCE, 0, LINK), { link: "https://example.com/given" });
    expect(withLink.link).toBe("https://example.com/given");
    expect(withLink.content).toBe(article.content);
  });

  it("reads Windows line ends the same way", () => {
    expect(parseRawArticle(REFERENCE.replace(/\n/g, "\r\n"))).toEqual(article);
  });
});

describe("parseRawArticle on other pastes", () => {
  it.each([
    [
      "a URL inside a sentence stays in the body",
      "Headline\n\nSee https://example.com/x for more.",
      undefined,
      "See https://example.com/x for more.",
    ],
    ["an ftp: line is not the link", "Headline\nftp://example.com/file\nBody text.", undefined, "ftp://example.com/file\n\nBody text."],
    [
      "a chat message without blank lines: one paragraph per line",
      "Headline\nFirst line.\nSecond line.",
      undefined,
      "First line.\n\nSecond line.",
    ],
    [
      "hard-wrapped paragraphs are joined",
      "Headline\n\nA long\nwrapped paragraph.\n\nAnother one.",
      undefined,
      "A long wrapped paragraph.\n\nAnother one.",
    ],
    ["leading blank lines and spaces are ignored", "\n\n   Headline  \n\n  Body.  \n\n\n", undefined, "Body."],
    [
      "only the first URL line is the link",
      "Headline\nhttps://a.example/1\nBody.\nhttps://b.example/2",
      "https://a.example/1",
      "Body.\n\nhttps://b.example/2",
    ],
  ])("%s", (_, text, link, content) => {
    const article = parseRawArticle(text);
    expect(article.title).toBe("Headline");
    expect(article.link).toBe(link);
    expect(article.content).toBe(content);
  });

  it.each([
    ["empty text", "", /The text is empty\. Send the headline on the first line/],
    ["only whitespace", " \n\t\n ", /The text is empty/],
    [
      "only a headline",
      "Big news today",
      /Only a headline was found \("Big news today"\).*Send the headline on the first line, the article text below it/,
    ],
    ["a headline and a link", "Big news today\n\nhttps://example.com/a", /Only a headline was found/],
    ["only a link", "https://example.com/a", /Only a link was found/],
  ])("refuses %s with a RawArticleError that says what to send", (_, text, message) => {
    let caught: unknown;
    try {
      parseRawArticle(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RawArticleError);
    expect((caught as Error).name).toBe("RawArticleError");
    expect((caught as Error).message).toMatch(message);
  });
});
