import iconv from "iconv-lite";

/**
 * Turns a fetched body into text. Charset sources, first found wins:
 * a byte order mark, the Content-Type header, the XML declaration or an HTML <meta>, else UTF-8.
 * The BOM goes first although it is the least explicit: it is proof of the actual bytes, while
 * servers often send a default "charset=ISO-8859-1" for UTF-8 files (the WHATWG and XML rules agree).
 */
export function decodeBody(bytes: Buffer, contentType?: string): string {
  const bom = detectBom(bytes);
  const charset = bom ?? usableCharset(charsetFromContentType(contentType)) ?? usableCharset(charsetInDocument(bytes));
  const text = iconv.decode(bytes, charset ?? "utf-8", { stripBOM: true });
  // iconv strips the BOM of the charset it decodes with; a UTF-8 BOM under another label stays.
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

function detectBom(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return undefined;
}

function charsetFromContentType(contentType: string | undefined): string | undefined {
  return contentType?.match(/;\s*charset\s*=\s*["']?([^"';\s]+)/i)?.[1];
}

/** Looks at the first KB only, as browsers do: declarations belong at the top. */
function charsetInDocument(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 1024).toString("latin1");
  const declared =
    head.match(/^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([^"']+)["']/i)?.[1] ?? head.match(/<meta[^>]+charset\s*=\s*["']?([^"'\s/>;]+)/i)?.[1];
  // We just read it as ASCII, so the body cannot really be UTF-16 (WHATWG does the same).
  return declared && /^\s*(utf-16|unicode)/i.test(declared) ? "utf-8" : declared;
}

/** Maps a label to one iconv-lite can decode, or undefined for unknown labels (then UTF-8 is used). */
function usableCharset(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const name = label.trim().toLowerCase();
  // Browsers read these as windows-1252: feeds labelled Latin-1 routinely use its curly quotes and dashes.
  if (["iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii"].includes(name)) return "windows-1252";
  return iconv.encodingExists(name) ? name : undefined;
}
