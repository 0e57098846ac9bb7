/**
 * Telegram's HTML parse mode, modelled on tdlib's parse_html (td/telegram/MessageEntity.cpp): the same tag set,
 * the same entity decoding and the same error wording, so a renderer that passes here passes on Telegram.
 * Offsets and lengths are UTF-16 code units, which is what JS string indices already are.
 */

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

export type HtmlParseResult = { ok: true; text: string; entities: MessageEntity[]; links: string[] } | { ok: false; description: string };

export interface HtmlParseOptions {
  /**
   * Strict (default) additionally rejects two things real Telegram lets through silently, because both are
   * renderer bugs that would show up in the chat: unknown named entities like "&nbsp;" (Telegram prints them
   * literally) and <a> without href (Telegram drops the link unless the text itself is a URL).
   */
  strict?: boolean;
}

const TAGS = new Set([
  "a",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "span",
  "tg-spoiler",
  "tg-emoji",
  "code",
  "pre",
  "blockquote",
]);

const SIMPLE: Record<string, string> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  span: "spoiler",
};

/** Sort order of entities starting at the same offset with the same length (tdlib's type priorities). */
const PRIORITY: Record<string, number> = {
  blockquote: 0,
  expandable_blockquote: 1,
  pre: 11,
  code: 20,
  text_link: 49,
  bold: 90,
  italic: 91,
  underline: 92,
  strikethrough: 93,
  spoiler: 94,
  custom_emoji: 99,
};

/** Telegram's own wording of a parse failure, after "can't parse entities: ": never leaves parseTelegramHtml. */
class HtmlError extends Error {
  override name = "HtmlError";
}

interface OpenTag {
  tag: string;
  argument: string;
  offset: number;
  hasHref: boolean;
}

export function parseTelegramHtml(html: string, options: HtmlParseOptions = {}): HtmlParseResult {
  try {
    return { ok: true, ...parse(html, options.strict ?? true) };
  } catch (error) {
    if (error instanceof HtmlError) {
      return { ok: false, description: `Bad Request: can't parse entities: ${error.message}` };
    }
    throw error;
  }
}

/** tdlib counts '\0' (and so the end of the text) as a space. */
const isSpace = (c: string): boolean => c === " " || c === "\t" || c === "\r" || c === "\n" || c === "\v" || c === "\0";
const isNameToken = (c: string): boolean => /^[A-Za-z0-9.-]$/.test(c);

function parse(html: string, strict: boolean) {
  const n = html.length;
  const at = (k: number): string => (k < n ? (html[k] as string) : "\0");
  const byteOffset = (k: number): number => Buffer.byteLength(html.slice(0, k), "utf8");
  const fail = (reason: string, pos?: number): never => {
    throw new HtmlError(pos === undefined ? reason : `${reason} at byte offset ${byteOffset(pos)}`);
  };

  let text = "";
  const entities: MessageEntity[] = [];
  const links: string[] = [];
  const stack: OpenTag[] = [];

  let i = 0;
  while (i < n) {
    const c = html[i] as string;
    if (c === "&") {
      const decoded = decodeEntity(html, i, strict, fail);
      if (decoded) {
        text += decoded.char;
        i = decoded.end;
        continue;
      }
    }
    if (c !== "<") {
      text += c;
      i++;
      continue;
    }

    const begin = i++;
    if (at(i) !== "/") {
      while (!isSpace(at(i)) && at(i) !== ">") i++;
      if (i >= n) fail("Unclosed start tag", begin);
      const tag = html.slice(begin + 1, i).toLowerCase();
      if (!TAGS.has(tag)) fail(`Unsupported start tag "${tag}"`, begin);

      const open: OpenTag = { tag, argument: "", offset: text.length, hasHref: false };
      while (at(i) !== ">") {
        while (i < n && isSpace(at(i))) i++;
        if (i >= n) fail("Unclosed start tag", begin);
        if (at(i) === ">") break;
        const nameStart = i;
        while (!isSpace(at(i)) && at(i) !== "=" && at(i) !== ">") i++;
        const name = html.slice(nameStart, i);
        if (!name) fail(`Empty attribute name in the tag "${tag}"`, begin);
        while (i < n && isSpace(at(i))) i++;
        if (at(i) !== "=") {
          // Value-less attribute: only <blockquote expandable> means something.
          if (tag === "blockquote" && name === "expandable") open.argument = "1";
          continue;
        }
        i++;
        while (i < n && isSpace(at(i))) i++;
        if (i >= n) fail(`Unclosed start tag "${tag}"`, begin);

        let value = "";
        const quote = at(i);
        if (quote !== '"' && quote !== "'") {
          // Unquoted values are SGML name tokens only, so href=https://x fails here exactly as on Telegram.
          const tokenStart = i;
          while (isNameToken(at(i))) i++;
          value = html.slice(tokenStart, i).toLowerCase();
          if (!isSpace(at(i)) && at(i) !== ">") fail("Unexpected end of name token", tokenStart);
        } else {
          i++;
          while (i < n && html[i] !== quote) {
            const decoded = html[i] === "&" ? decodeEntity(html, i, strict, fail) : undefined;
            if (decoded) {
              value += decoded.char;
              i = decoded.end;
            } else {
              value += html[i++];
            }
          }
          if (i < n) i++;
        }
        if (i >= n) fail("Unclosed start tag", begin);
        applyAttribute(open, name, value);
      }
      if (tag === "span" && open.argument !== "spoiler") fail('Tag "span" must have class "tg-spoiler"', begin);
      if (tag === "a" && strict && !open.hasHref) fail('Tag "a" must have attribute "href"', begin);
      if (tag === "a" && open.hasHref) links.push(open.argument);
      stack.push(open);
      i++; // past '>'
    } else {
      if (stack.length === 0) fail("Unexpected end tag", begin);
      i++;
      while (!isSpace(at(i)) && at(i) !== ">") i++;
      const endName = html.slice(begin + 2, i).toLowerCase();
      while (i < n && isSpace(at(i))) i++;
      if (at(i) !== ">") fail("Unclosed end tag", begin);
      const open = stack.pop() as OpenTag;
      if (endName && endName !== open.tag) {
        fail(`Unmatched end tag at byte offset ${byteOffset(begin)}, expected "</${open.tag}>", found "</${endName}>"`);
      }
      i++;
      closeTag(open, text, entities, fail);
    }
  }
  const unclosed = stack.at(-1);
  if (unclosed) fail(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);

  // With the u flag only unpaired surrogates match.
  if (/[\uD800-\uDFFF]/u.test(text)) {
    fail("Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units");
  }
  for (const entity of entities) if (entity.type === "code") delete entity.language;
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length || (PRIORITY[a.type] ?? 50) - (PRIORITY[b.type] ?? 50));
  return { text, entities, links };
}

function applyAttribute(open: OpenTag, name: string, value: string): void {
  if (open.tag === "a" && name === "href") {
    open.argument = value;
    open.hasHref = true;
  } else if (open.tag === "code" && name === "class" && value.startsWith("language-")) {
    open.argument = value.slice("language-".length);
  } else if (open.tag === "span" && name === "class" && value.startsWith("tg-")) {
    open.argument = value.slice("tg-".length);
  } else if (open.tag === "tg-emoji" && name === "emoji-id") {
    open.argument = value;
  } else if (open.tag === "blockquote" && name === "expandable") {
    open.argument = "1";
  }
}

function closeTag(open: OpenTag, text: string, entities: MessageEntity[], fail: (reason: string) => never): void {
  const offset = open.offset;
  const length = text.length - offset;
  if (length <= 0) return; // Telegram drops empty entities instead of failing
  const last = entities.at(-1);
  const sameRange = last !== undefined && last.offset === offset && last.length === length;
  const { tag, argument } = open;

  const simple = SIMPLE[tag];
  if (simple) {
    entities.push({ type: simple, offset, length });
  } else if (tag === "a") {
    // Without href Telegram uses the link text itself as the URL; invalid URLs silently lose the link.
    const url = normalizeUrl(argument || text.slice(offset));
    if (url) entities.push({ type: "text_link", offset, length, url });
  } else if (tag === "tg-emoji") {
    if (!/^\d+$/.test(argument)) fail("Invalid custom emoji identifier specified");
    entities.push({ type: "custom_emoji", offset, length, custom_emoji_id: argument });
  } else if (tag === "blockquote") {
    entities.push({ type: argument ? "expandable_blockquote" : "blockquote", offset, length });
  } else if (tag === "pre") {
    // <pre><code class="language-x"> becomes one pre entity carrying the language.
    if (sameRange && last.type === "code" && last.language) last.type = "pre";
    else entities.push({ type: "pre", offset, length });
  } else if (tag === "code") {
    if (sameRange && last.type === "pre" && argument) last.language = argument;
    else entities.push({ type: "code", offset, length, ...(argument ? { language: argument } : {}) });
  }
}

/** A loose stand-in for tdlib's check_link: absolute URL, or host-like text that gets "http://" prepended. */
function normalizeUrl(raw: string): string | undefined {
  const candidate = raw.trim();
  if (!candidate) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(candidate) ? candidate : `http://${candidate}`;
  try {
    const url = new URL(withScheme);
    if (!["http:", "https:", "tg:", "ton:", "mailto:"].includes(url.protocol)) return undefined;
    if ((url.protocol === "http:" || url.protocol === "https:") && !url.hostname.includes(".") && url.hostname !== "localhost") {
      return undefined;
    }
    return withScheme;
  } catch {
    return undefined;
  }
}

/**
 * tdlib's decode_html_entity: &lt; &gt; &amp; &quot; and numeric references, ';' optional. Anything else is
 * not an entity and stays literal text ("AT&T", "a & b"); strict mode rejects "&name;" forms instead.
 */
function decodeEntity(
  html: string,
  pos: number,
  strict: boolean,
  fail: (reason: string, pos?: number) => never,
): { char: string; end: number } | undefined {
  let end = pos + 1;
  let code = 0;
  if (html[end] === "#") {
    end++;
    const hex = html[end] === "x";
    if (hex) end++;
    const digits = hex ? /[0-9a-fA-F]/ : /[0-9]/;
    const start = end;
    while (end < html.length && digits.test(html[end] as string)) end++;
    code = end > start ? parseInt(html.slice(start, end), hex ? 16 : 10) : 0;
    if (code === 0 || code >= 0x10ffff || end - pos >= 10) return undefined;
  } else {
    while (end < html.length && /[A-Za-z]/.test(html[end] as string)) end++;
    const name = html.slice(pos + 1, end);
    const named: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };
    const known = Object.hasOwn(named, name) ? named[name] : undefined;
    if (known === undefined) {
      const looksLikeEntity = /^&[A-Za-z][A-Za-z0-9]*;/.exec(html.slice(pos, pos + 40));
      if (strict && looksLikeEntity) fail(`Unsupported HTML entity "${looksLikeEntity[0]}"`, pos);
      return undefined;
    }
    code = known;
  }
  if (html[end] === ";") end++;
  // Lone surrogates from "&#xD800;" are kept as-is and rejected after parsing, as tdlib does.
  return { char: code >= 0xd800 && code <= 0xdfff ? String.fromCharCode(code) : String.fromCodePoint(code), end };
}
