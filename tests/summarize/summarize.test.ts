import { describe, expect, it } from "vitest";
import { cleanParagraphs } from "../../src/clean/clean-paragraphs.js";
import { htmlToParagraphs } from "../../src/clean/html.js";
import { cutAtWord, shortenAtSentence } from "../../src/summarize/shorten.js";
import { isNearDuplicate, usableStandfirst } from "../../src/summarize/standfirst.js";
import { DEFAULT_SUMMARY_MAX_CHARS, summarize } from "../../src/summarize/summarize.js";
import { referenceArticle, rssDescriptions } from "../clean/fixtures.js";

const LEAD = "A spokesman for the Chinese Embassy in Britain on Saturday (July 10) expressed outrage and firm opposition";

describe("summarize: the reference article", () => {
  const { body } = referenceArticle();
  const cleaned = cleanParagraphs(body);
  const summary = summarize(cleaned.paragraphs, { maxChars: 400 });

  it("starts with the lead, without dateline, caption or promo", () => {
    expect(summary.startsWith(LEAD)).toBe(true);
    expect(summary).not.toContain("PHOTO");
    expect(summary).not.toContain("Telegram");
    expect(summary).not.toContain("LONDON");
  });

  it("is whole sentences within 400 characters", () => {
    expect(summary.length).toBeLessThanOrEqual(400);
    expect(summary).toMatch(/[a-z]\.$/);
    expect(summary).toBe(
      "A spokesman for the Chinese Embassy in Britain on Saturday (July 10) expressed outrage and firm opposition to a report published by a committee of the lower house of British parliament. " +
        "The report, which is \"full of lies\" about China's Xinjiang, represents a blatant interference in China's internal affairs, according to the spokesman.",
    );
  });

  it("uses the default budget", () => {
    expect(DEFAULT_SUMMARY_MAX_CHARS).toBe(400);
  });

  it("ignores a standfirst that is just the lead again (dateline and all)", () => {
    const standfirst = body[1] ?? "";
    expect(summarize(cleaned.paragraphs, { maxChars: 400, standfirst })).toBe(summary);
  });

  it.each([60, 120, 200, 250, 339, 340, 1000])("fits maxChars=%i", (maxChars) => {
    const result = summarize(cleaned.paragraphs, { maxChars });
    expect(result.length).toBeLessThanOrEqual(maxChars);
    expect(result.startsWith(LEAD.slice(0, Math.min(LEAD.length, maxChars - 10)))).toBe(true);
    expect(result).toMatch(/(\.|…)$/);
  });
});

describe("summarize: standfirst", () => {
  const body = [
    "The central bank raised interest rates by half a percentage point on Thursday, its biggest increase in 22 years.",
    "Governor Jane Doe said inflation was too high.",
  ];
  const editors = "Borrowers face higher bills as policymakers try to tame the fastest inflation in decades.";

  it.each([
    ["an editor's standfirst", editors, editors],
    ["an HTML standfirst", `<p>${editors}</p>`, editors],
    [
      "a Guardian standfirst without a full stop",
      "Borrowers face higher bills as policymakers try to tame inflation",
      "Borrowers face higher bills as policymakers try to tame inflation.",
    ],
  ])("uses %s", (_name, standfirst, expected) => {
    expect(summarize(body, { maxChars: 400, standfirst })).toBe(expected);
  });

  const fromBody =
    "The central bank raised interest rates by half a percentage point on Thursday, its biggest increase in 22 years. Governor Jane Doe said inflation was too high.";
  it.each([
    ["empty", ""],
    ["whitespace", "   "],
    ["too short", "Rates up."],
    ["the first paragraph again", body[0] ?? ""],
    ["a prefix of the first paragraph", "The central bank raised interest rates by half a percentage point"],
    ["the first paragraph with a dateline", `LONDON (Reuters) - ${body[0] ?? ""}`],
    [
      "the first paragraph lightly edited",
      "The central bank raised rates by half a percentage point on Thursday, its biggest rise in 22 years.",
    ],
    ["truncated with …", "Borrowers face higher bills as policymakers try to tame the fastest…"],
    ["truncated with ...", "Borrowers face higher bills as policymakers try to tame the fastest..."],
    ["truncated with […]", "Borrowers face higher bills as policymakers try to tame the fastest [&#8230;]"],
    ["ending in Continue reading", `<p>${editors}</p> <a href="#">Continue reading...</a>`],
    ["only promo", "Join ST's Telegram channel and get the latest breaking news delivered to you."],
  ])("falls back to the body when the standfirst is %s", (_name, standfirst) => {
    expect(summarize(body, { maxChars: 400, standfirst })).toBe(fromBody);
  });

  it("a Guardian description alone (no body) gives its standfirst and lead", () => {
    const [description] = rssDescriptions("guardian.rss");
    const body = cleanParagraphs(htmlToParagraphs(description ?? "")).paragraphs;
    expect(summarize(body, { maxChars: 400, standfirst: description })).toBe(
      "The president’s ‘new American moment’ speech stirred Republican applause while Democrats showed thinly disguised contempt. " +
        "Donald Trump has promised a “new American moment” in a State of the Union address that sought harmony but succeeded only in underlining the deep discord at the heart of the country’s politics.",
    );
  });

  it("with no body, a truncated standfirst loses its cut-off sentence", () => {
    expect(summarize([], { maxChars: 400, standfirst: "The storm hit at dawn. Thousands of homes lost power and the…" })).toBe(
      "The storm hit at dawn.",
    );
    expect(summarize([], { maxChars: 400, standfirst: "Thousands of homes lost power and the…" })).toBe(
      "Thousands of homes lost power and the…",
    );
    expect(summarize([], { maxChars: 400, standfirst: "Short one." })).toBe("Short one.");
  });

  it("usableStandfirst and isNearDuplicate", () => {
    expect(usableStandfirst(editors, body)).toBe(editors);
    expect(usableStandfirst(undefined, body)).toBeUndefined();
    expect(usableStandfirst(editors, [])).toBe(editors);
    expect(isNearDuplicate(editors, body.join("\n"))).toBe(false);
    expect(isNearDuplicate("“The central bank RAISED interest rates…”", body.join("\n"))).toBe(true);
  });
});

describe("summarize: shapes of body", () => {
  it.each([
    ["no paragraphs", [] as string[], ""],
    ["empty strings", ["", "  ", "\n"], ""],
    ["one short paragraph", ["Fire at the port."], "Fire at the port."],
    [
      "a heading before the lead",
      ["Using Wild Ingredients", "Food is all around us. Learn where to look."],
      "Food is all around us. Learn where to look.",
    ],
    ["only a heading", ["Fire at the port"], "Fire at the port."],
    ["emoji", ["🔥 Fire at the port. 👩‍🚒 Crews responded!"], "🔥 Fire at the port. 👩‍🚒 Crews responded!"],
    [
      "RTL Arabic",
      ["قالت الحكومة إن المحادثات ستستأنف. وقال الوزير إنه متفائل."],
      "قالت الحكومة إن المحادثات ستستأنف. وقال الوزير إنه متفائل.",
    ],
    ["CJK", ["北京今天下雨。明天会晴吗？"], "北京今天下雨。明天会晴吗？"],
    [
      "lines of a paragraph",
      ["Paperback edition of 154 pages, out in March 2018\nPublisher: Strange Animal"],
      "Paperback edition of 154 pages, out in March 2018. Publisher: Strange Animal.",
    ],
    ["short lines are headings", ["Paperback: 154 pages\nPublisher: Strange Animal"], "Publisher: Strange Animal."],
  ])("%s", (_name, paragraphs, expected) => {
    expect(summarize(paragraphs, { maxChars: 400 })).toBe(expected);
  });

  it("stops before the sentence that would not fit", () => {
    const paragraphs = ["First sentence is here. Second sentence is here.", "Third sentence is here."];
    expect(summarize(paragraphs, { maxChars: 50 })).toBe("First sentence is here. Second sentence is here.");
    expect(summarize(paragraphs, { maxChars: 47 })).toBe("First sentence is here.");
  });

  it("cuts an over-long first sentence at a word and adds …", () => {
    const long = "The committee recommended exploring the feasibility of an International Criminal Court probe.";
    const result = summarize([long], { maxChars: 40 });
    expect(result).toBe("The committee recommended exploring the…");
    expect(result.length).toBeLessThanOrEqual(40);
  });

  it("handles a 10,000-character line with no punctuation", () => {
    const words = "word ".repeat(2000).trim();
    const result = summarize([words], { maxChars: 400 });
    expect(result.length).toBeLessThanOrEqual(400);
    expect(result).toMatch(/^(word )+word…$/);
    const blob = "x".repeat(10_000);
    expect(summarize([blob], { maxChars: 400 })).toBe(`${"x".repeat(399)}…`);
  });

  it("never returns more than maxChars, even for tiny budgets", () => {
    for (const maxChars of [0, 1, 2, 5]) {
      expect(summarize(["A sentence that is long enough."], { maxChars }).length).toBeLessThanOrEqual(maxChars);
    }
  });
});

describe("shortenAtSentence", () => {
  it.each([
    ["fits already", "One. Two.", 100, "One. Two."],
    ["trims", "  One. Two.  ", 100, "One. Two."],
    ["whole sentences", "One two. Three four. Five six.", 20, "One two. Three four."],
    ["keeps line breaks for the renderer", "Para one.\n\nPara two.\n\nPara three.", 22, "Para one.\n\nPara two."],
    ["word cut with ellipsis", "Alpha beta gamma delta epsilon.", 15, "Alpha beta…"],
    ["no dangling comma", "Alpha, beta, gamma, delta, epsilon.", 14, "Alpha, beta…"],
    ["blank", "   ", 10, ""],
    ["zero budget", "Text.", 0, ""],
    ["NaN budget", "Text.", Number.NaN, ""],
    ["CJK without spaces", "北京今天下雨明天会晴", 5, "北京今天…"],
    ["does not split an emoji", "👩‍🚒👩‍🚒👩‍🚒", 7, "👩‍🚒…"],
  ])("%s", (_name, text, maxChars, expected) => {
    expect(shortenAtSentence(text, maxChars)).toBe(expected);
  });

  it("fits Telegram's 4096 limit at a sentence", () => {
    const text = Array.from({ length: 300 }, (_, i) => `Sentence number ${i} is here.`).join(" ");
    const result = shortenAtSentence(text, 4096);
    expect(result.length).toBeLessThanOrEqual(4096);
    expect(result).toMatch(/is here\.$/);
    expect(text.startsWith(result)).toBe(true);
  });

  it("cutAtWord leaves the text alone when it fits", () => {
    expect(cutAtWord("Short.", 10)).toBe("Short.");
    expect(cutAtWord("Exactly ten", 11)).toBe("Exactly ten");
    expect(cutAtWord("Two words", 1)).toBe("…");
  });
});
