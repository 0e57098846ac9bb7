import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodeBody } from "../../src/ingest/decode.js";

const latin1Xml = (text: string, label = "ISO-8859-1") =>
  iconv.encode(`<?xml version="1.0" encoding="${label}"?>\r\n<rss><title>${text}</title></rss>`, "latin1");

describe("decodeBody", () => {
  it.each([
    {
      name: "charset from the Content-Type header",
      bytes: iconv.encode("<p>“Quoted” — dash</p>", "windows-1252"),
      contentType: "text/html; charset=windows-1252",
      expected: "<p>“Quoted” — dash</p>",
    },
    {
      name: "a quoted, upper-case header charset",
      bytes: iconv.encode("Größe", "latin1"),
      contentType: 'text/plain; Charset="ISO-8859-1"',
      expected: "Größe",
    },
    {
      name: "ISO-8859-1 read as windows-1252, as browsers do (0x80 is €)",
      bytes: Buffer.from([0x80, 0x20, 0x93, 0x61, 0x94]),
      contentType: "text/plain; charset=iso-8859-1",
      expected: "€ “a”",
    },
    {
      name: "the XML declaration when the header has no charset",
      bytes: latin1Xml("Notícias"),
      contentType: "application/rss+xml",
      expected: '<?xml version="1.0" encoding="ISO-8859-1"?>\r\n<rss><title>Notícias</title></rss>',
    },
    {
      name: "a <meta charset> in an HTML page",
      bytes: iconv.encode('<html><head><meta charset="windows-1251"></head><body>Привет</body></html>', "windows-1251"),
      contentType: "text/html",
      expected: '<html><head><meta charset="windows-1251"></head><body>Привет</body></html>',
    },
    {
      name: "a <meta http-equiv> in an HTML page",
      bytes: iconv.encode('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>Мир</p>', "koi8-r"),
      contentType: undefined,
      expected: '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>Мир</p>',
    },
    {
      name: "the header over the XML declaration",
      bytes: Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><t>é</t>', "utf8"),
      contentType: "application/xml; charset=utf-8",
      expected: '<?xml version="1.0" encoding="ISO-8859-1"?><t>é</t>',
    },
    {
      name: "a UTF-8 BOM, stripped",
      bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("<rss>ü</rss>")]),
      contentType: undefined,
      expected: "<rss>ü</rss>",
    },
    {
      name: "a UTF-8 BOM over a wrong header charset",
      bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("<rss>ü</rss>")]),
      contentType: "text/xml; charset=ISO-8859-1",
      expected: "<rss>ü</rss>",
    },
    {
      name: "a UTF-16LE BOM",
      bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("<rss>ł</rss>", "utf16le")]),
      contentType: undefined,
      expected: "<rss>ł</rss>",
    },
    {
      name: "a UTF-16BE BOM",
      bytes: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from("<rss>ł</rss>", "utf16le").swap16()]),
      contentType: "application/xml",
      expected: "<rss>ł</rss>",
    },
    {
      name: "UTF-8 when nothing says otherwise",
      bytes: Buffer.from("<rss>日本語 ñ</rss>"),
      contentType: "application/xml",
      expected: "<rss>日本語 ñ</rss>",
    },
    {
      name: "UTF-8 for an unknown charset name",
      bytes: Buffer.from("<rss>ñ</rss>"),
      contentType: "application/xml; charset=x-made-up-42",
      expected: "<rss>ñ</rss>",
    },
    {
      name: "UTF-8 for a document that claims UTF-16 but was readable as ASCII",
      bytes: Buffer.from('<?xml version="1.0" encoding="UTF-16"?><rss>ñ</rss>'),
      contentType: undefined,
      expected: '<?xml version="1.0" encoding="UTF-16"?><rss>ñ</rss>',
    },
    { name: "an empty body", bytes: Buffer.alloc(0), contentType: undefined, expected: "" },
  ])("uses $name", ({ bytes, contentType, expected }) => {
    expect(decodeBody(bytes, contentType)).toBe(expected);
  });
});
