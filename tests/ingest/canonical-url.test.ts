import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { RawItem } from "../../src/article.js";
import { canonicalUrl, dedupKeyFor, headlineFingerprint } from "../../src/ingest/canonical-url.js";

describe("canonicalUrl", () => {
  it.each([
    // case, ports, fragments, whitespace
    ["HTTPS://Example.COM:443/News/Story#comments", "https://example.com/News/Story"],
    ["http://example.com:80/a", "http://example.com/a"],
    ["http://example.com:8080/a", "http://example.com:8080/a"],
    ["  https://example.com/a  ", "https://example.com/a"],
    ["https://example.com./a", "https://example.com/a"],
    ["https://bücher.example/x", "https://xn--bcher-kva.example/x"],
    // trailing slash, root
    ["https://example.com", "https://example.com/"],
    ["https://example.com/", "https://example.com/"],
    ["https://example.com/news/story/", "https://example.com/news/story"],
    ["https://example.com/news//", "https://example.com/news"],
    // www is another host
    ["https://www.example.com/a", "https://www.example.com/a"],
    // tracking parameters
    ["https://example.com/a?utm_source=rss&utm_medium=feed&utm_campaign=x", "https://example.com/a"],
    ["https://example.com/a?UTM_Source=rss&id=7", "https://example.com/a?id=7"],
    ["https://example.com/a?fbclid=IwAR0&gclid=Cj0&dclid=1&msclkid=2&yclid=3", "https://example.com/a"],
    ["https://example.com/a?mc_cid=1&mc_eid=2&igshid=3&_ga=4&ref=tw&ref_src=twsrc%5Etfw", "https://example.com/a"],
    [
      "https://example.com/a?cmpid=1&ocid=2&smid=3&at_medium=4&at_campaign=5&__twitter_impression=true&s_cid=6&ito=7",
      "https://example.com/a",
    ],
    ["https://example.com/a?utm_source", "https://example.com/a"],
    // remaining parameters sorted, encoding and repeated keys kept
    ["https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"],
    ["https://example.com/a?b=1&a=2&b=0", "https://example.com/a?a=2&b=1&b=0"],
    ["https://example.com/search?q=a,b&utm_term=x", "https://example.com/search?q=a,b"],
    ["https://example.com/search?q=caf%C3%A9+au+lait", "https://example.com/search?q=caf%C3%A9+au+lait"],
    ["https://example.com/a?bad=%E0%A4%A", "https://example.com/a?bad=%E0%A4%A"],
    ["https://example.com/a?&&", "https://example.com/a"],
    // AMP variants
    ["https://amp.example.com/news/story", "https://example.com/news/story"],
    ["https://example.com/news/amp/story-123", "https://example.com/news/story-123"],
    ["https://example.com/news/story-123/amp/", "https://example.com/news/story-123"],
    ["https://example.com/amp/news/story-123", "https://example.com/news/story-123"],
    ["https://example.com/news/story-123.amp.html", "https://example.com/news/story-123.html"],
    ["https://example.com/news/story?amp", "https://example.com/news/story"],
    ["https://example.com/news/story?amp=1&id=3", "https://example.com/news/story?id=3"],
    ["https://www.washingtonpost.com/world/x.html?outputType=amp", "https://www.washingtonpost.com/world/x.html"],
    // look-alikes of AMP that are not AMP
    ["https://example.com/amplifiers/", "https://example.com/amplifiers"],
    ["https://example.com/a?tag=amp", "https://example.com/a?tag=amp"],
    ["https://example.com/a?amp=0", "https://example.com/a?amp=0"],
    ["https://camp.example.com/a", "https://camp.example.com/a"],
    ["https://amp.dev/about", "https://amp.dev/about"],
  ])("%s → %s", (input, expected) => {
    expect(canonicalUrl(input)).toBe(expected);
  });

  it.each([
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "mailto:news@example.com",
    "ftp://example.com/feed.xml",
    "file:///etc/passwd",
    "//example.com/a",
    "/relative/path",
    "not a url",
    "http://",
    "",
  ])("%j → undefined", (input) => {
    expect(canonicalUrl(input)).toBeUndefined();
  });
});

const item = (fields: Partial<RawItem>): RawItem => ({ title: "", categories: [], ...fields });
const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

describe("dedupKeyFor", () => {
  it.each([
    ["an opaque guid", item({ guid: "tag:example.com,2024:1", link: "https://example.com/a" }), "guid:tag:example.com,2024:1"],
    [
      "a guid that copies the link",
      item({ guid: "https://example.com/a/?utm_source=rss", link: "https://example.com/a" }),
      "url:https://example.com/a",
    ],
    [
      "a URL guid that differs from the link",
      item({ guid: "https://example.com/p/123", link: "https://example.com/a" }),
      "url:https://example.com/p/123",
    ],
    ["a blank guid, so the link", item({ guid: "  ", link: "https://example.com/a#top" }), "url:https://example.com/a"],
    ["no guid, so the canonical link", item({ link: "https://AMP.example.com/a?fbclid=1" }), "url:https://example.com/a"],
    ["an invalid link, so the title", item({ link: "javascript:void(0)", title: "Hello  World" }), `title:${sha1("hello world")}`],
    ["neither, so the normalized title", item({ title: "  Hello\nWORLD " }), `title:${sha1("hello world")}`],
    ["no title either, so the description", item({ description: "Only a description" }), `title:${sha1("only a description")}`],
  ])("uses %s", (_, input, expected) => {
    expect(dedupKeyFor(input)).toBe(expected);
  });

  it("gives the same key to a guid-copy-of-link item and a link-only item", () => {
    expect(dedupKeyFor(item({ guid: "http://example.com/a?utm_medium=x" }))).toBe(dedupKeyFor(item({ link: "http://example.com/a/" })));
  });
});

describe("headlineFingerprint", () => {
  it.each([
    ["Quake hits Japan - BBC News", "quake hits japan"],
    ["Quake hits Japan | Reuters", "quake hits japan"],
    ["Café prices soar — The Guardian", "cafe prices soar"],
    ["Zürich: Ärzte warnen vor Hitze – SRF", "zurich arzte warnen vor hitze"],
    ["China's embassy rejects UK report", "chinas embassy rejects uk report"],
    ["U.S.-China talks resume", "u s china talks resume"],
    ["  Many   spaces\tand\nlines  ", "many spaces and lines"],
    // not a source: lower-case after the dash, or nothing left before it
    ["Man arrested - police say", "man arrested police say"],
    ["Live - BBC", "live bbc"],
    ["Quake hits Japan - The New York Times", "quake hits japan"],
    ["Fire in Paris - What we know so far about it", "fire in paris what we know so far about it"],
    ["Fire in Paris - what we know", "fire in paris what we know"],
    ["", ""],
    ["!!! ???", ""],
  ])("%j → %j", (input, expected) => {
    expect(headlineFingerprint(input)).toBe(expected);
  });
});
