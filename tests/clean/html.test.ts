import { describe, expect, it } from "vitest";
import { cleanParagraphs } from "../../src/clean/clean-paragraphs.js";
import { htmlToParagraphs } from "../../src/clean/html.js";
import { rssContents, rssDescriptions } from "./fixtures.js";

describe("htmlToParagraphs", () => {
  it.each([
    ["empty string", "", []],
    ["only whitespace", "  \n\t \n ", []],
    ["only tags", "<p> </p><div><br></div>", []],
    ["paragraphs", "<p>One.</p><p>Two.</p>", ["One.", "Two."]],
    ["headings and divs", "<h2>Title</h2><div>Body text.</div>", ["Title", "Body text."]],
    ["inline tags stay inline", "<p>A <b>bold</b> and <a href='#'>linked</a> word.</p>", ["A bold and linked word."]],
    ["br is a line break", "<p>Line one<br>Line two<br/>Line three</p>", ["Line one\nLine two\nLine three"]],
    ["two br start a paragraph", "First part.<br><br>Second part.", ["First part.", "Second part."]],
    ["list items", "<ul><li>One</li><li>Two</li></ul>", ["One", "Two"]],
    ["table cells", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", ["a b", "c"]],
    ["source newlines are spaces", "<p>Broken\nacross\n   lines.</p>", ["Broken across lines."]],
    ["entities", "<p>Tom &amp; Jerry&nbsp;&#8217;s &hellip; &lt;b&gt; &quot;q&quot; &#x1F525;</p>", ['Tom & Jerry ’s … <b> "q" 🔥']],
    ["nested tags", "<div><section><p>Deep <span><em><strong>inside</strong></em></span>.</p></section></div>", ["Deep inside."]],
    ["unclosed tags", "<p>Open paragraph<p>Another <b>bold <i>italic", ["Open paragraph", "Another bold italic"]],
    ["script", "<script>alert(1)</script><p>Safe.</p>", ["Safe."]],
    ["style and noscript", "<style>p{color:red}</style><noscript>Enable JS</noscript><p>Text.</p>", ["Text."]],
    ["figure and caption", "<figure><img src=x><figcaption>A caption</figcaption></figure><p>Story.</p>", ["Story."]],
    ["aside and nav", "<nav>Home | World</nav><aside>Most read</aside><p>Story.</p>", ["Story."]],
    ["comments", "<!-- ad slot --><p>Story.</p>", ["Story."]],
    ["full document", "<html><head><title>T</title></head><body><p>Story.</p></body></html>", ["Story."]],
    ["zero-width space", "<p>Zero\u200Bwidth.</p>", ["Zerowidth."]],
    ["emoji with joiners", "<p>Rescue 👩‍🚒🔥 done.</p>", ["Rescue 👩‍🚒🔥 done."]],
    ["RTL Arabic", "<p dir='rtl'>قالت الحكومة إن المحادثات ستستأنف.</p>", ["قالت الحكومة إن المحادثات ستستأنف."]],
  ])("%s", (_name, html, expected) => {
    expect(htmlToParagraphs(html)).toEqual(expected);
  });

  it.each([
    ['<p class="image-caption">Police at the scene.</p>'],
    ['<div class="article__credit">Getty Images</div>'],
    ['<div class="share-bar"><a>Facebook</a><a>X</a></div>'],
    ['<div id="newsletter-signup">Get the briefing</div>'],
    ['<ul class="related-links"><li>Other story</li></ul>'],
    ['<div class="ad ad-slot">Buy now</div>'],
    ['<div class="advertisement">Buy now</div>'],
    ['<span class="imageCaption">Caption</span>'],
    ["<div hidden>Hidden</div>"],
    ['<div aria-hidden="true">Icon text</div>'],
  ])("drops page furniture %s", (furniture) => {
    expect(htmlToParagraphs(`${furniture}<p>Story.</p>`)).toEqual(["Story."]);
  });

  it.each([
    ['<div class="header">Header text.</div>', "Header text."],
    ['<div class="leaderboard-story">Lead text.</div>', "Lead text."],
    ['<div class="shadow">Shadowed text.</div>', "Shadowed text."],
  ])("keeps content whose class merely contains 'ad' letters: %s", (html, text) => {
    expect(htmlToParagraphs(html)).toEqual([text]);
  });

  it("keeps a whole article even if its wrapper has a share class", () => {
    const html = `<article class="story has-share-tools">${"<p>Para.</p>".repeat(5)}</article>`;
    expect(htmlToParagraphs(html)).toHaveLength(5);
  });

  it("treats text without tags as plain text split on blank lines", () => {
    expect(htmlToParagraphs("First line\nsame paragraph.\n\n \nSecond &amp; last, 3 < 5 and x<y.")).toEqual([
      "First line\nsame paragraph.",
      "Second & last, 3 < 5 and x<y.",
    ]);
  });

  it("handles a 10,000-character line", () => {
    const long = "a".repeat(10_000);
    expect(htmlToParagraphs(`<p>${long}</p>`)).toEqual([long]);
    expect(htmlToParagraphs(long)).toEqual([long]);
  });
});

describe("real feed HTML", () => {
  it("Guardian description: standfirst and lead kept, Related and Continue reading dropped", () => {
    const [first] = rssDescriptions("guardian.rss");
    const paragraphs = cleanParagraphs(htmlToParagraphs(first ?? "")).paragraphs;
    expect(paragraphs).toEqual([
      "The president’s ‘new American moment’ speech stirred Republican applause while Democrats showed thinly disguised contempt",
      "Donald Trump has promised a “new American moment” in a State of the Union address that sought harmony but succeeded only in underlining the deep discord at the heart of the country’s politics.",
    ]);
  });

  it("every Guardian description loses its Related and Continue reading lines", () => {
    for (const description of rssDescriptions("guardian.rss")) {
      const text = cleanParagraphs(htmlToParagraphs(description)).paragraphs.join("\n");
      expect(text).not.toMatch(/Continue reading|^Related:/m);
    }
  });

  it("Medium content: figures, tracking pixels and the 'originally published' footer are gone", () => {
    const contents = rssContents("content-encoded.rss");
    expect(contents.length).toBeGreaterThan(0);
    for (const content of contents) {
      const paragraphs = cleanParagraphs(htmlToParagraphs(content)).paragraphs;
      expect(paragraphs.length).toBeGreaterThan(0);
      expect(paragraphs.join("\n")).not.toMatch(/originally published in|<img|<figure/);
    }
  });

  it("Medium content keeps <br> lines inside a paragraph", () => {
    const [first] = rssContents("content-encoded.rss");
    const paragraphs = htmlToParagraphs(first ?? "");
    expect(paragraphs[0]).toBe("Using Wild Ingredients in the Kitchen");
    expect(paragraphs.some((p) => p.startsWith("Paperback: 154 pages\nPublisher: Strange Animal Publications"))).toBe(true);
  });
});
