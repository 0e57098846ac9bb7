import { describe, expect, it } from "vitest";
import { parseTelegramHtml, type MessageEntity } from "../../src/sandbox/fake-telegram/index.js";

const PREFIX = "Bad Request: can't parse entities: ";

// What Telegram answers for each input (wording and byte offsets follow tdlib's parse_html).
const rejected: Array<[html: string, reason: string]> = [
  ["<div>x</div>", 'Unsupported start tag "div" at byte offset 0'],
  ["<script>", 'Unsupported start tag "script" at byte offset 0'],
  ["<br/>", 'Unsupported start tag "br/" at byte offset 0'],
  ["a < b", 'Unsupported start tag "" at byte offset 2'],
  ["<b>x", 'Can\'t find end tag corresponding to start tag "b"'],
  ["<b>x</b", "Unclosed end tag at byte offset 4"],
  ["x</b>", "Unexpected end tag at byte offset 1"],
  ["<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'],
  ["<b", "Unclosed start tag at byte offset 0"],
  ['<a href="https://e.com"', "Unclosed start tag at byte offset 0"],
  ["<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
  ["<a href=https://e.com>x</a>", "Unexpected end of name token at byte offset 8"],
  ['<tg-emoji emoji-id="abc">x</tg-emoji>', "Invalid custom emoji identifier specified"],
  ["&#xD800;", "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units"],
  // Byte offsets count UTF-8 bytes: "é" is 2, "😀" is 4.
  ["é<p>x</p>", 'Unsupported start tag "p" at byte offset 2'],
  ["😀<x>", 'Unsupported start tag "x" at byte offset 4'],
  // Stricter than Telegram on purpose (see HtmlParseOptions.strict).
  ["&nbsp;", 'Unsupported HTML entity "&nbsp;" at byte offset 0'],
  ["&copy; 2024", 'Unsupported HTML entity "&copy;" at byte offset 0'],
  ["<a>x</a>", 'Tag "a" must have attribute "href" at byte offset 0'],
];

describe("parseTelegramHtml rejects what Telegram rejects", () => {
  it.each(rejected)("%j", (html, reason) => {
    expect(parseTelegramHtml(html)).toEqual({ ok: false, description: PREFIX + reason });
  });
});

const accepted: Array<[html: string, text: string, entities: MessageEntity[], links?: string[]]> = [
  ["<b>x</b>", "x", [{ type: "bold", offset: 0, length: 1 }]],
  [
    "<strong>x</strong><em>y</em>",
    "xy",
    [
      { type: "bold", offset: 0, length: 1 },
      { type: "italic", offset: 1, length: 1 },
    ],
  ],
  ["<B>x</B>", "x", [{ type: "bold", offset: 0, length: 1 }]],
  [
    "<u>a</u><ins>b</ins><s>c</s><strike>d</strike><del>e</del>",
    "abcde",
    [
      { type: "underline", offset: 0, length: 1 },
      { type: "underline", offset: 1, length: 1 },
      { type: "strikethrough", offset: 2, length: 1 },
      { type: "strikethrough", offset: 3, length: 1 },
      { type: "strikethrough", offset: 4, length: 1 },
    ],
  ],
  ["&lt;b&gt;", "<b>", []],
  ["&lt", "<", []],
  ["&quot;q&quot;", '"q"', []],
  ["&#128512;", "😀", []],
  ["&#x1F600;", "😀", []],
  ["Tom &amp; Jerry", "Tom & Jerry", []],
  ["AT&T", "AT&T", []],
  ["a & b", "a & b", []],
  [
    '<a href="https://e.com/?a=1&amp;b=2">x</a>',
    "x",
    [{ type: "text_link", offset: 0, length: 1, url: "https://e.com/?a=1&b=2" }],
    ["https://e.com/?a=1&b=2"],
  ],
  ["<a href='https://e.com'>x</a>", "x", [{ type: "text_link", offset: 0, length: 1, url: "https://e.com" }], ["https://e.com"]],
  [
    '<a href="https://e.com" target="_blank">x</a>',
    "x",
    [{ type: "text_link", offset: 0, length: 1, url: "https://e.com" }],
    ["https://e.com"],
  ],
  ["<code>x</code>", "x", [{ type: "code", offset: 0, length: 1 }]],
  ["<pre>x</pre>", "x", [{ type: "pre", offset: 0, length: 1 }]],
  ['<pre><code class="language-ts">x</code></pre>', "x", [{ type: "pre", offset: 0, length: 1, language: "ts" }]],
  ["<pre><code class=language-ts>x</code></pre>", "x", [{ type: "pre", offset: 0, length: 1, language: "ts" }]],
  ["<blockquote>q</blockquote>", "q", [{ type: "blockquote", offset: 0, length: 1 }]],
  ["<blockquote expandable>q</blockquote>", "q", [{ type: "expandable_blockquote", offset: 0, length: 1 }]],
  ["<tg-spoiler>s</tg-spoiler>", "s", [{ type: "spoiler", offset: 0, length: 1 }]],
  ['<span class="tg-spoiler">s</span>', "s", [{ type: "spoiler", offset: 0, length: 1 }]],
  [
    '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
    "👍",
    [{ type: "custom_emoji", offset: 0, length: 2, custom_emoji_id: "5368324170671202286" }],
  ],
  [
    "<b><i>x</i></b>",
    "x",
    [
      { type: "bold", offset: 0, length: 1 },
      { type: "italic", offset: 0, length: 1 },
    ],
  ],
  ["<b></b>x", "x", []],
  ["<b>x</>", "x", [{ type: "bold", offset: 0, length: 1 }]],
  // Offsets and lengths are UTF-16 code units: the emoji takes two.
  [
    "😀 <b>hi</b> <i>👍🏽x</i>",
    "😀 hi 👍🏽x",
    [
      { type: "bold", offset: 3, length: 2 },
      { type: "italic", offset: 6, length: 5 },
    ],
  ],
  ["<i>مرحبا</i> بالعالم", "مرحبا بالعالم", [{ type: "italic", offset: 0, length: 5 }]],
  ["שלום <b>עולם</b>", "שלום עולם", [{ type: "bold", offset: 5, length: 4 }]],
];

describe("parseTelegramHtml accepts what Telegram accepts", () => {
  it.each(accepted)("%j", (html, text, entities, links = []) => {
    expect(parseTelegramHtml(html)).toEqual({ ok: true, text, entities, links });
  });
});

describe("non-strict mode behaves exactly like Telegram", () => {
  it("keeps unknown named entities as literal text", () => {
    expect(parseTelegramHtml("a&nbsp;b", { strict: false })).toEqual({ ok: true, text: "a&nbsp;b", entities: [], links: [] });
  });

  it("uses the text of an <a> without href as its URL, or drops the link", () => {
    expect(parseTelegramHtml("<a>https://e.com</a>", { strict: false })).toEqual({
      ok: true,
      text: "https://e.com",
      entities: [{ type: "text_link", offset: 0, length: 13, url: "https://e.com" }],
      links: [],
    });
    expect(parseTelegramHtml("<a>x</a>", { strict: false })).toEqual({ ok: true, text: "x", entities: [], links: [] });
  });
});
