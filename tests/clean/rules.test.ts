import { describe, expect, it } from "vitest";
import { cleanParagraphs } from "../../src/clean/clean-paragraphs.js";
import { LINE_RULES, matchingRule, splitDateline } from "../../src/clean/rules.js";
import { referenceArticle } from "./fixtures.js";

describe("caption and credit rules", () => {
  it.each([
    [
      "A spokesman said that the centres set up in Xinjiang in accordance with laws are schools. PHOTO: REUTERS",
      "caps-photo-credit-at-end",
    ],
    ["Police officers stand guard outside the court. PHOTO: AFP", "caps-photo-credit-at-end"],
    ["The MRT line will open next year. PHOTO: ST FILE", "caps-photo-credit-at-end"],
    ["Shoppers at Orchard Road on Sunday. ST PHOTO: JASON QUAH", "caps-photo-credit-at-end"],
    ["Rescuers search the rubble. PHOTOS: AFP, REUTERS", "caps-photo-credit-at-end"],
    ["Donald Trump at the Capitol. Photograph: Win McNamee/Getty Images", "photograph-credit-at-end"],
    ["Protesters in Kabul on Monday. (Photo: AFP)", "parenthesised-photo-credit"],
    ["The minister at the launch (Photo by John Smith)", "parenthesised-photo-credit"],
    ["Photo by Markus Spiske on Unsplash", "photo-by"],
    ["Photo by dan carlson on Unsplash", "photo-by"],
    ["Image caption, Protesters gathered outside parliament", "bbc-image-caption"],
    ["Image source, Getty Images", "bbc-image-caption"],
    ["Media caption, Watch: the moment the rocket lifted off", "bbc-image-caption"],
    ["Credit: John Smith", "credit-line"],
    ["Photo credit: Jane Doe/AP", "credit-line"],
    ["President Biden on Tuesday.Credit…Doug Mills/The New York Times", "credit-at-end"],
    ["FILE PHOTO: A view shows the company logo in Zurich, Switzerland, March 3, 2021.", "file-photo-caption"],
    ["A trader works on the floor. REUTERS/Brendan McDermid/File Photo", "reuters-photographer-at-end"],
    ["Getty Images", "agency-credit-only"],
    ["AFP via Getty Images", "agency-credit-only"],
    ["John Smith/Getty Images", "agency-credit-only"],
    ["EPA-EFE/Shutterstock", "agency-credit-only"],
    ["Getty Images for Netflix", "agency-credit-only"],
  ])("drops %j (%s)", (line, rule) => {
    expect(matchingRule(line)?.name).toBe(rule);
  });
});

describe("promo and boilerplate rules", () => {
  it.each([
    ["Join ST's Telegram channel and get the latest breaking news delivered to you.", "join-our-channel"],
    ["Join ST’s Telegram channel and get the latest breaking news delivered to you.", "join-our-channel"],
    ["Join us on WhatsApp for the latest updates", "join-our-channel"],
    ["Follow us on Twitter", "follow-us"],
    ["Follow The Straits Times on Facebook and Instagram.", "follow-us"],
    ["Follow us on Telegram: t.me/news", "follow-us"],
    ["Sign up for our newsletter", "sign-up"],
    ["Sign up to our free morning briefing email", "sign-up"],
    ["Subscribe to our YouTube channel", "subscribe"],
    ["Subscribe now for unlimited access", "subscribe"],
    ["Read more: How the crisis unfolded", "read-more"],
    ["READ MORE: Five things to know", "read-more"],
    ["Read more", "read-more"],
    ["Read more »", "read-more"],
    ["Related: Fact check: Donald Trump's State of the Union address analyzed", "related"],
    ["Related stories", "related"],
    ["Advertisement", "advertisement"],
    ["ADVERTISEMENT", "advertisement"],
    ["Story continues below advertisement", "advertisement"],
    ["Share this article", "share-this"],
    ["Share this story on Facebook", "share-this"],
    ["Click here to read the full report", "click-here"],
    ["Download our app", "download-app"],
    ["Download the ST app for breaking news alerts.", "download-app"],
    ["The post Storm batters coast appeared first on Daily News.", "wordpress-appeared-first"],
    [
      "THE CREATIVE FORAGER was originally published in Invironment on Medium, where people are continuing the conversation by highlighting and responding to this story.",
      "medium-originally-published",
    ],
    ["Continue reading...", "continue-reading"],
    ["Continue reading…", "continue-reading"],
    ["© 2024 Reuters", "copyright"],
  ])("drops %j (%s)", (line, rule) => {
    expect(matchingRule(line)?.name).toBe(rule);
  });
});

describe("byline rules", () => {
  it.each([
    ["By John Smith", "byline"],
    ["By John Smith and Jane Doe", "byline"],
    ["By JOHN SMITH, Reuters", "byline"],
    ["By Ursula von der Leyen", "byline"],
    ["By Jane Doe | Political Editor", "byline"],
    ["Reporting by Jane Doe in London; Editing by Bill Berkrot and Nick Zieminski", "agency-tail"],
    ["(Reporting by David Shepardson; Editing by Chris Reese)", "agency-tail"],
    ["Reporting by Jane Doe, Tom Smith and Ann Lee; Writing by Tom Smith; Editing by Mark Heinrich", "agency-tail"],
    ["Additional reporting by Jane Doe", "agency-tail"],
  ])("drops %j (%s)", (line, rule) => {
    expect(matchingRule(line)?.name).toBe(rule);
  });
});

/** Real sentences that mention a photo, Telegram, "by" or a capitalised word: no rule may eat them. */
const MUST_SURVIVE = [
  "The photo was taken in 2019 by a Reuters photographer who later fled.",
  "Telegram said it had removed the channel after the report.",
  "He joined the Telegram group in March.",
  "By the end of the year, prices had doubled.",
  "Read more books, the minister urged.",
  "LONDON is the capital.",
  "U.S. - China talks resumed on Monday.",
  "NATO - Russia council talks resumed on Monday.",
  "Reporting by the BBC revealed widespread abuse.",
  "By Monday, Apple shares had fallen 5 per cent.",
  "Join the protest on Telegram, activists urged in a post.",
  "Share prices fell sharply on Friday.",
  "Related to this, the ministry said it would review the rules.",
  "Subscribers said the price rise was unfair.",
  "Follow-up talks are planned for next week.",
  "Getty Images, the photo agency, was sold in 2008 for US$2.4 billion.",
  "Advertisement revenue fell by a third.",
  "Copyright law protects the photographs, the court said.",
  "The image caption read “Never again”, and was widely shared.",
  "Continue reading the report, the judge told the jury.",
  "A spokesman said the PHOTO: REUTERS label was added by mistake, and apologised.",
  "Click, the gadget show, returns next month.",
  "Why Reuters Matters",
];

describe("real sentences survive", () => {
  it.each(MUST_SURVIVE)("keeps %j", (sentence) => {
    expect(matchingRule(sentence)).toBeUndefined();
    expect(splitDateline(sentence)).toBeUndefined();
    expect(cleanParagraphs([sentence])).toEqual({ paragraphs: [sentence] });
  });
});

describe("datelines", () => {
  it.each([
    ["LONDON (XINHUA, AFP) - A spokesman said.", "LONDON", "XINHUA, AFP", "A spokesman said."],
    ["WASHINGTON (Reuters) - The Senate voted.", "WASHINGTON", "Reuters", "The Senate voted."],
    ["WASHINGTON (Reuters) -The Senate voted.", undefined, undefined, undefined],
    ["PARIS — The strike spread.", "PARIS", undefined, "The strike spread."],
    ["PARIS—The strike spread.", "PARIS", undefined, "The strike spread."],
    ["NEW YORK, July 10 (Reuters) - Stocks rose.", "NEW YORK", "Reuters", "Stocks rose."],
    ["BEIJING, Jan 3 (AP) – China said.", "BEIJING", "AP", "China said."],
    ["BEIJING, Jan. 3 (AP) – China said.", "BEIJING", "AP", "China said."],
    ["KYIV, Ukraine — Russian drones struck.", "KYIV", undefined, "Russian drones struck."],
    ["SINGAPORE - A man was arrested.", "SINGAPORE", undefined, "A man was arrested."],
    ["ST. LOUIS (AP) — A judge ruled.", "ST. LOUIS", "AP", "A judge ruled."],
    ["WASHINGTON, D.C. (AP) — The rally began.", "WASHINGTON", "AP", "The rally began."],
    ["SÃO PAULO (Reuters) - Brazil's economy grew.", "SÃO PAULO", "Reuters", "Brazil's economy grew."],
    ["KUALA LUMPUR, 10 July (Bernama) -- Malaysia said.", "KUALA LUMPUR", "Bernama", "Malaysia said."],
    ["SINGAPORE – “We will act,” the minister said.", "SINGAPORE", undefined, "“We will act,” the minister said."],
  ])("%j -> %s / %s", (paragraph, place, credit, rest) => {
    const split = splitDateline(paragraph);
    if (place === undefined) {
      expect(split?.place).toBeUndefined();
      return;
    }
    expect(split).toEqual({ place, ...(credit ? { credit } : {}), rest });
  });

  it.each([
    "LONDON is the capital.",
    "U.S. - China talks resumed on Monday.",
    "UK - EU trade talks stalled.",
    "BREAKING - Fire at Marina Bay Sands",
    "London - based firms complained.",
    "SINGAPORE-based Grab said profits rose.",
    "HSBC-owned bank fined.",
    "LONDON - the capital - is expensive.",
  ])("no dateline in %j", (paragraph) => {
    expect(splitDateline(paragraph)?.place).toBeUndefined();
  });

  it("strips a place-less agency opener but reports no place", () => {
    expect(cleanParagraphs(["(Reuters) - Apple said on Monday it would buy the start-up."])).toEqual({
      paragraphs: ["Apple said on Monday it would buy the start-up."],
    });
  });

  it("only looks at the first remaining paragraph", () => {
    const result = cleanParagraphs(["A first paragraph.", "PARIS - Second paragraph."]);
    expect(result).toEqual({ paragraphs: ["A first paragraph.", "PARIS - Second paragraph."] });
  });

  it("finds the dateline after a dropped caption", () => {
    const result = cleanParagraphs(["Fans wave flags. PHOTO: AFP", "PARIS — France won."]);
    expect(result).toEqual({ paragraphs: ["France won."], dateline: { place: "PARIS" } });
  });
});

describe("cleanParagraphs", () => {
  it("cleans the reference article", () => {
    const { body } = referenceArticle();
    const result = cleanParagraphs(body);
    expect(result.dateline).toEqual({ place: "LONDON", credit: "XINHUA, AFP" });
    expect(result.paragraphs).toHaveLength(body.length - 2);
    expect(result.paragraphs[0]).toMatch(/^A spokesman for the Chinese Embassy in Britain on Saturday \(July 10\) expressed outrage/);
    const all = result.paragraphs.join("\n");
    expect(all).not.toContain("PHOTO");
    expect(all).not.toContain("Telegram");
    expect(all).not.toContain("XINHUA");
    expect(result.paragraphs.at(-1)).toMatch(/said the spokesman\.$/);
  });

  it("drops a caption line inside a paragraph but keeps the other lines", () => {
    expect(cleanParagraphs(["Flood waters rose. PHOTO: REUTERS\nThe river burst its banks.\nBy John Smith"])).toEqual({
      paragraphs: ["The river burst its banks."],
    });
  });

  it("removes a paragraph that was only a dateline", () => {
    expect(cleanParagraphs(["LONDON (Reuters) -", "The pound fell."]).paragraphs).toEqual(["The pound fell."]);
  });

  it("drops a whole Reuters tail at the end", () => {
    const result = cleanParagraphs([
      "LONDON (Reuters) - Britain's economy grew 0.2% in May.",
      "(Reporting by William Schomberg; Editing by Kate Holton)",
    ]);
    expect(result).toEqual({
      paragraphs: ["Britain's economy grew 0.2% in May."],
      dateline: { place: "LONDON", credit: "Reuters" },
    });
  });

  it.each([
    ["empty list", [] as string[], []],
    ["empty string", [""], []],
    ["only whitespace", ["   \n\t  ", "\u00A0"], []],
    ["emoji", ["🔥 Fire at the port 🚒👩‍🚒"], ["🔥 Fire at the port 🚒👩‍🚒"]],
    ["RTL Arabic", ["قالت الحكومة إن المحادثات ستستأنف يوم الاثنين."], ["قالت الحكومة إن المحادثات ستستأنف يوم الاثنين."]],
    ["collapses whitespace", ["  Two   spaces\tand a tab. "], ["Two spaces and a tab."]],
  ])("handles %s", (_name, input, expected) => {
    expect(cleanParagraphs(input).paragraphs).toEqual(expected);
  });

  // Catastrophic backtracking would hang here until the test timeout; speed itself is not asserted.
  it("handles a 10,000-character line with no punctuation", () => {
    const words = Array.from({ length: 2000 }, (_, i) => (i % 2 ? "Word" : "WORD")).join(" ");
    const long = "x".repeat(10_000);
    expect(cleanParagraphs([long]).paragraphs).toEqual([long]);
    expect(cleanParagraphs([words]).paragraphs).toEqual([words]);
    expect(cleanParagraphs([`By ${words}`]).paragraphs).toHaveLength(1);
    expect(cleanParagraphs([`${words} PHOTO: ${words}`]).paragraphs).toHaveLength(1);
  });
});

describe("the rule list", () => {
  // A rule with catastrophic backtracking would hang here until the test timeout.
  it("terminates on adversarial lines just under each rule's length cap", () => {
    const units = ["A ", "A, ", "A & ", "A and ", "A/", "A in B ", "A de ", "AB.", "A; Editing by ", "PHOTO: A "];
    const prefixes = ["", "By ", "Reporting by ", "Join ST's ", "Follow ", "Photo by ", "x Photograph: ", "Credit: "];
    for (const rule of LINE_RULES) {
      for (const prefix of prefixes) {
        for (const unit of units) {
          let line = prefix;
          while (line.length + unit.length < rule.maxLength - 1) line += unit;
          rule.pattern.test(`${line}x`);
        }
      }
    }
  });

  it("has unique names and every rule is anchored", () => {
    const names = LINE_RULES.map((rule) => rule.name);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of LINE_RULES) expect(rule.pattern.source).toMatch(/^\^|\$$/);
  });
});
