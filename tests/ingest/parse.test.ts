import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { parseFeed } from "feedsmith";
import { describe, expect, it } from "vitest";
import { decodeBody } from "../../src/ingest/decode.js";
import { FeedParseError, parseFeedText } from "../../src/ingest/parse.js";

const SHARED = "/work/shared/fixtures/feeds/";

/** Read through decodeBody, as the pipeline does. */
function loadFeed(path: string) {
  return parseFeedText(decodeBody(readFileSync(path), "application/xml"));
}

describe("parseFeedText on the shared fixtures", () => {
  // Values read from the fixture files; dates converted to UTC by hand.
  it.each([
    {
      file: "guardian.rss",
      format: "rss",
      count: 55,
      title: "Trump State of the Union address promised unity but emphasized discord",
      link: "https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord",
      date: "2018-01-31T07:26:05.000Z",
    },
    {
      file: "content-encoded.rss",
      format: "rss",
      count: 7,
      title: "THE CREATIVE FORAGER",
      link: "https://medium.com/invironment/the-creative-forager-125af37d838f?source=rss----d12c403d4976--food",
      date: "2018-04-09T18:55:38.000Z",
    },
    {
      file: "encoding.rss",
      format: "rss",
      count: 40,
      title: "Mãe de utente é a nova presidente da Raríssimas",
      link: "http://feeds.jn.pt/~r/JN-ULTIMAS/~3/UBnb8Ra3Q1U/sonia-laig-e-a-nova-presidente-da-rarissimas-9021600.html",
      date: "2018-01-03T13:47:00.000Z",
    },
    {
      file: "heise.atom",
      format: "atom",
      count: 15,
      title: "Java-Anwendungsserver: Red Hat gibt WildFly 10 frei",
      link: "http://www.heise.de/developer/meldung/Java-Anwendungsserver-Red-Hat-gibt-WildFly-10-frei-3088438.html?wt_mc=rss.developer.beitrag.atom",
      date: "2016-02-01T16:22:00.000Z",
    },
    {
      file: "rss-1.rss",
      format: "rdf",
      count: 69,
      title: "Food for fungi",
      link: "http://science.sciencemag.org/cgi/content/short/356/6343/1134-a?rss=1",
      date: "2017-06-15T17:29:47.000Z",
    },
    {
      file: "missing-fields.atom",
      format: "atom",
      count: 1,
      title: "",
      link: undefined,
      date: undefined,
    },
  ])("$file: $count items, first one read right", ({ file, format, count, title, link, date }) => {
    const feed = loadFeed(SHARED + file);
    expect(feed.format).toBe(format);
    expect(feed.items).toHaveLength(count);
    const first = feed.items[0];
    expect(first?.title).toBe(title);
    expect(first?.link).toBe(link);
    expect(first?.publishedAt?.toISOString()).toBe(date);
  });

  it("encoding.rss (ISO-8859-1 declared only in the XML declaration, CRLF) keeps its accents", () => {
    const bytes = readFileSync(SHARED + "encoding.rss");
    const text = decodeBody(bytes, "application/rss+xml");
    expect(text).not.toContain("\uFFFD");
    const feed = parseFeedText(text);
    expect(feed.title).toBe("Jornal de Notícias - Últimas Notícias");
    expect(feed.items[2]?.title).toBe("Tempestade Eleanor atinge França, Alemanha, Suíça e Reino Unido");
    expect(feed.items[0]?.description).toContain("Sónia Laygue");
    // The same bytes read as UTF-8 would be mangled: the test above is not vacuous.
    expect(decodeBody(bytes, "application/rss+xml; charset=utf-8")).toContain("\uFFFD");
  });

  it("maps the Guardian's fields: guid, author, categories, widest media:content image, HTML description", () => {
    const first = loadFeed(SHARED + "guardian.rss").items[0];
    expect(first).toMatchObject({
      guid: "https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord",
      author: "David Smith in Washington",
      categories: expect.arrayContaining(["Donald Trump", "US politics"]) as unknown,
    });
    expect(first?.imageUrl).toMatch(/^https:\/\/i\.guim\.co\.uk\/.*\?w=460&/);
    expect(first?.description).toMatch(/^<p>The president’s ‘new American moment’ speech/);
    expect(first?.content).toBeUndefined();
  });

  it("takes content:encoded as content and dc:creator as author", () => {
    const first = loadFeed(SHARED + "content-encoded.rss").items[0];
    expect(first?.content).toMatch(/^<h4>Using Wild Ingredients in the\u00a0Kitchen<\/h4>/);
    expect(first?.author).toBe("Jeremy Puma");
    expect(first?.guid).toBe("https://medium.com/p/125af37d838f");
    expect(first?.categories).toEqual(["plants", "environment", "nature", "foraging", "food"]);
  });

  it("reads Atom summary, content, the feed's author and the alternate link of the feed", () => {
    const feed = loadFeed(SHARED + "heise.atom");
    expect(feed.title).toBe("heise developer neueste Meldungen");
    expect(feed.link).toBe("http://www.heise.de/developer/");
    const first = feed.items[0];
    expect(first?.guid).toBe("http://heise.de/-3088438");
    expect(first?.description).toMatch(/^Die nun verfügbare Version 10/);
    expect(first?.content).toContain("<p>Die nun verfügbare Version 10");
    expect(first?.author).toBe("heise online");
  });

  it("reads RDF dc:date, dc:creator and dc:subject", () => {
    const feed = loadFeed(SHARED + "rss-1.rss");
    expect(feed).toMatchObject({ title: "Science twis", link: "http://science.sciencemag.org" });
    expect(feed.items[0]).toMatchObject({ author: "Hines, P. J.", categories: ["Botany, Microbiology"] });
  });
});

describe("parseFeedText on JSON Feed 1.1 (tests/fixtures/feeds/sample.json)", () => {
  const feed = parseFeedText(readFileSync("tests/fixtures/feeds/sample.json", "utf8"));

  it("reads the feed and all its items", () => {
    expect(feed).toMatchObject({ format: "json", title: "Newsdesk Sample Wire", link: "https://news.example.org/" });
    expect(feed.items).toHaveLength(3);
  });

  it("maps id, url, summary, content_html, date, tags, author and image; cleans the title", () => {
    expect(feed.items[0]).toEqual({
      guid: "https://news.example.org/2024/05/01/thames-flood-warning/?utm_source=jsonfeed",
      title: "Flood warning for the River Thames & its tributaries",
      link: "https://news.example.org/2024/05/01/thames-flood-warning/?utm_source=jsonfeed",
      description: "The Environment Agency issued a flood warning for the upper Thames on Wednesday.",
      content:
        "<p>The Environment Agency issued a flood warning for the upper Thames on Wednesday.</p><p>Residents were told to move valuables upstairs.</p>",
      publishedAt: new Date("2024-05-01T07:30:00Z"),
      author: "Ada Reporter",
      categories: ["Weather", "Floods", "London"],
      imageUrl: "https://news.example.org/images/thames.jpg",
    });
  });

  it("falls back to external_url, content_text, banner_image, the feed's author; skips an unparseable date", () => {
    expect(feed.items[1]).toMatchObject({
      link: "https://elsewhere.example.com/markets/close",
      content: "Stocks rose on Wednesday.\n\nThe index gained 1.2 percent.",
      imageUrl: "https://news.example.org/images/markets-banner.png",
      author: "Sample Wire Desk",
    });
    expect(feed.items[1]?.publishedAt).toBeUndefined();
  });

  it("keeps an untitled item, with date_modified and an image attachment", () => {
    expect(feed.items[2]).toMatchObject({
      guid: "wire-20240501-0003",
      title: "",
      publishedAt: new Date("2024-05-01T12:00:00Z"),
      imageUrl: "https://news.example.org/images/update.webp",
    });
  });
});

function rss(itemXml: string, prolog = '<?xml version="1.0" encoding="UTF-8"?>'): string {
  return `${prolog}<rss version="2.0"><channel><title>T</title><link>https://example.com/</link>${itemXml}</channel></rss>`;
}

describe("parseFeedText field mapping on hostile or unusual items", () => {
  it.each([
    ["escaped tags", "&lt;b&gt;Breaking&lt;/b&gt;: fire downtown", "Breaking: fire downtown"],
    ["CDATA tags", "<![CDATA[<em>Breaking</em>:   fire\n   downtown]]>", "Breaking: fire downtown"],
    ["double-escaped entity", "AT&amp;amp;T buys rival", "AT&T buys rival"],
    ["named HTML entities", "Caf&amp;eacute; owner&amp;rsquo;s &amp;hellip;", "Café owner’s …"],
    ["a lone less-than is text", "Why 3 &lt; 5 matters", "Why 3 < 5 matters"],
    ["a less-than before a letter is text", "a&lt;b rule explained", "a<b rule explained"],
    ["script text is dropped", "&lt;script&gt;alert(1)&lt;/script&gt;Headline", "Headline"],
  ])("title with %s", (_, rawTitle, expected) => {
    expect(parseFeedText(rss(`<item><title>${rawTitle}</title><link>https://example.com/a</link></item>`)).items[0]?.title).toBe(expected);
  });

  it("reads dc:date when pubDate is missing or invalid, and skips dates that are not dates", () => {
    const feed = parseFeedText(
      rss(
        `<item xmlns:dc="http://purl.org/dc/elements/1.1/"><title>A</title><pubDate>not a date</pubDate><dc:date>2024-03-01T10:00:00Z</dc:date></item>` +
          `<item><title>B</title><pubDate>yesterday-ish</pubDate></item>`,
        `<?xml version="1.0"?>`,
      ).replace("<rss ", '<rss xmlns:dc="http://purl.org/dc/elements/1.1/" '),
    );
    expect(feed.items[0]?.publishedAt).toEqual(new Date("2024-03-01T10:00:00Z"));
    expect(feed.items[1]?.publishedAt).toBeUndefined();
  });

  it("takes an image enclosure, and uses a permalink guid as the link when <link> is missing", () => {
    const item = parseFeedText(
      rss(
        `<item><title>A</title><guid>https://example.com/story-1</guid>` +
          `<enclosure url="https://example.com/audio.mp3" type="audio/mpeg" length="1"/>` +
          `<enclosure url="https://example.com/photo.jpg" type="image/jpeg" length="1"/></item>`,
      ),
    ).items[0];
    expect(item).toMatchObject({ link: "https://example.com/story-1", imageUrl: "https://example.com/photo.jpg" });
  });

  it("resolves relative links and images against the fetch URL, else the feed's link; drops non-http links", () => {
    const body = rss(
      `<item><title>A</title><link>/news/a</link><enclosure url="img/a.jpg" type="image/jpeg" length="1"/></item>` +
        `<item><title>B</title><link>javascript:alert(1)</link></item>` +
        `<item><title>C</title><link>data:text/html,hi</link><guid isPermaLink="false">c-1</guid></item>`,
    );
    const fromFeedLink = parseFeedText(body).items;
    expect(fromFeedLink[0]).toMatchObject({ link: "https://example.com/news/a", imageUrl: "https://example.com/img/a.jpg" });
    expect(fromFeedLink[1]?.link).toBeUndefined();
    expect(fromFeedLink[2]).toMatchObject({ guid: "c-1", link: undefined });
    const relativeFeedLink = body.replace("<link>https://example.com/</link>", "<link>/</link>");
    expect(parseFeedText(relativeFeedLink, "https://feeds.example.net/rss/main.xml").items[0]?.link).toBe(
      "https://feeds.example.net/news/a",
    );
  });

  it("drops an item with nothing in it, keeps one with only a description", () => {
    const feed = parseFeedText(rss(`<item></item><item><description>Only words.</description></item>`));
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({ title: "", description: "Only words.", categories: [] });
  });

  it("reads a legacy RSS 0.91 feed with its DOCTYPE (no entity declarations)", () => {
    const feed = parseFeedText(
      `<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">` +
        `<rss version="0.91"><channel><title>Old</title><link>https://old.example/</link><item><title>Hi</title><link>https://old.example/1</link></item></channel></rss>`,
    );
    expect(feed.items[0]).toMatchObject({ title: "Hi", link: "https://old.example/1" });
  });
});

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>`;

/** Deterministic noise: the same "random" bytes on every run. */
function noise(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = 0x2545f491;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

describe("parseFeedText refuses what is not a feed", () => {
  it.each([
    ["an HTML page", "<!DOCTYPE html><html><head><title>News</title></head><body><h1>News</h1></body></html>", /HTML page, not a feed/],
    ["an HTML page after a comment", "\n<!-- served by x -->\n<html lang=en><body>hi</body></html>", /HTML page, not a feed/],
    ["an XHTML page", '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', /HTML page, not a feed/],
    ["an empty body", "", /empty body/],
    ["whitespace only", " \r\n\t \n", /empty body/],
    ["a BOM only", "\uFEFF", /empty body/],
    ["mismatched tags", `<rss version="2.0"><channel><title>T</tit></channel></rss>`, /broken/],
    ["a truncated document", `<?xml version="1.0"?><rss version="2.0"><channel><item><title>A</title><link>http://a`, /broken/],
    ["a broken attribute", `<rss version="2.0><channel><title>T</title></channel></rss>`, /broken/],
    ["an RSS root without a channel", `<rss version="2.0"></rss>`, /broken/],
    ["billion laughs", BILLION_LAUGHS, /declares its own XML entities/],
    [
      "an external entity (XXE)",
      `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&xxe;</title></channel></rss>`,
      /declares its own XML entities/,
    ],
    ["unknown XML", `<?xml version="1.0"?><catalog><book>x</book></catalog>`, /not an RSS, Atom, RDF or JSON feed/],
    ["JSON that is not a feed", `{"status":"ok","data":[1,2,3]}`, /JSON that is not a valid JSON Feed/],
    ["broken JSON", `{"version":"https://jsonfeed.org/version/1.1","title":"x","items":[`, /JSON that is not a valid JSON Feed/],
    ["plain text", "Service temporarily unavailable", /not an RSS, Atom, RDF or JSON feed/],
    ["random binary bytes", decodeBody(noise(4096)), /binary data/],
    ["a gzip body that was not decompressed", decodeBody(gzipSync(rss("<item><title>A</title></item>"))), /binary data/],
  ])("%s", (_, body, message) => {
    let caught: unknown;
    try {
      parseFeedText(body);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FeedParseError);
    expect((caught as Error).name).toBe("FeedParseError");
    expect((caught as Error).message).toMatch(message);
  });

  it("feedsmith itself leaves DTD entities unexpanded (fast-xml-parser runs with processEntities: false)", () => {
    // A canary: if a feedsmith upgrade starts expanding entities, our pre-check is the only guard left.
    const { feed } = parseFeed(BILLION_LAUGHS);
    expect(feed.title).toBe("&lol9;");
  });
});
