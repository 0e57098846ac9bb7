/**
 * HTML (or plain text) to clean paragraphs.
 *
 * Block-level elements become paragraphs, <br> becomes a line break inside a paragraph
 * (two <br> in a row start a new paragraph). Non-content elements are dropped entirely.
 * Entities are decoded by the parser; whitespace is collapsed.
 */
import { ELEMENT_NODE, parseDocument, TEXT_NODE, type DomDocument, type DomElement, type DomNode } from "./dom.js";
import { collapseWhitespaceKeepLines } from "./whitespace.js";

/** Elements whose whole subtree is never article text. */
const DROPPED_TAGS = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "head",
  "title",
  "meta",
  "link",
  "iframe",
  "object",
  "embed",
  "svg",
  "canvas",
  "video",
  "audio",
  "picture",
  "source",
  "img",
  "figure",
  "figcaption",
  "aside",
  "nav",
  "form",
  "button",
  "input",
  "select",
  "textarea",
]);

/** Elements that start and end a paragraph. */
const BLOCK_TAGS = new Set([
  "html",
  "body",
  "main",
  "article",
  "section",
  "header",
  "footer",
  "div",
  "center",
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hgroup",
  "blockquote",
  "pre",
  "address",
  "ul",
  "ol",
  "li",
  "dl",
  "dt",
  "dd",
  "menu",
  "dir",
  "details",
  "summary",
  "dialog",
  "fieldset",
  "table",
  "caption",
  "thead",
  "tbody",
  "tfoot",
  "tr",
]);

/** Table cells: separated by a space, but stay on the row's line. */
const CELL_TAGS = new Set(["td", "th"]);

/**
 * class/id words that mark page furniture rather than article text.
 * Matched as whole words of a class/id token ("share-bar", "ad_slot", "c-related")…
 */
const FURNITURE_WORD =
  /(?:^|[-_])(?:captions?|credits?|share|shares|sharing|social|newsletters?|related|adverts?|advertisements?|advertising|ads?|promos?|sponsored|subscribe|byline)(?:[-_]|$)/;
/** …or anywhere inside a token, for the long unambiguous ones ("imageCaption", "relatedLinks"). */
const FURNITURE_PART = /caption|newsletter|advert|related|sharebar|sharing|adsbygoogle/;

/** An element holding more paragraphs than this is treated as content even if its class says otherwise. */
const MAX_PARAGRAPHS_IN_FURNITURE = 3;

/** A string "looks like HTML" when it has at least one tag or comment. */
const HAS_TAG = /<\/?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?\/?>|<!--/;

export function htmlToParagraphs(html: string): string[] {
  if (html.trim() === "") return [];
  if (!HAS_TAG.test(html)) return textToParagraphs(html);

  const wrapped = /<(?:html|body)[\s>]/i.test(html) ? html : `<!DOCTYPE html><html><head></head><body>${html}</body></html>`;
  const document = parseDocument(wrapped);
  const root = document.body ?? document.documentElement;
  if (!root) return [];

  const paragraphs: string[] = [];
  let buffer = "";
  const flush = (): void => {
    // A blank line (two <br> in a row) separates paragraphs.
    for (const chunk of buffer.split(/\n[ \t]*\n/)) {
      const paragraph = collapseWhitespaceKeepLines(chunk);
      if (paragraph !== "") paragraphs.push(paragraph);
    }
    buffer = "";
  };

  const walk = (node: DomNode): void => {
    const children = Array.from(node.childNodes);
    for (const child of children) {
      if (child.nodeType === TEXT_NODE) {
        // Source newlines in HTML are just spaces; only <br> makes a line break.
        buffer += (child.textContent ?? "").replace(/\s+/g, " ");
        continue;
      }
      if (child.nodeType !== ELEMENT_NODE) continue; // comments, processing instructions
      const element = child as DomElement;
      const tag = element.localName.toLowerCase();
      if (DROPPED_TAGS.has(tag) || isHidden(element) || isFurniture(element)) continue;
      if (tag === "br") {
        buffer += "\n";
      } else if (tag === "hr") {
        flush();
      } else if (CELL_TAGS.has(tag)) {
        buffer += " ";
        walk(element);
        buffer += " ";
      } else if (BLOCK_TAGS.has(tag)) {
        flush();
        walk(element);
        flush();
      } else {
        walk(element);
      }
    }
  };

  walk(root);
  flush();
  return paragraphs;
}

let scratch: DomDocument | undefined;

/** Plain text: entities are still decoded; blank lines separate paragraphs, single newlines are kept. */
function textToParagraphs(text: string): string[] {
  // One shared document: parsing a fresh one per title or teaser would cost more than the text itself.
  const doc = (scratch ??= parseDocument("<!DOCTYPE html><html><head></head><body></body></html>"));
  const holder = doc.createElement("div");
  // Escape "<" so that a stray "a <b" in prose is never read as a tag; entities still decode.
  holder.innerHTML = text.replace(/</g, "&lt;");
  const decoded = holder.textContent ?? text;
  return decoded
    .split(/\r?\n[ \t\u00A0]*\r?\n/)
    .map(collapseWhitespaceKeepLines)
    .filter((paragraph) => paragraph !== "");
}

function isHidden(element: DomElement): boolean {
  return element.hasAttribute("hidden") || element.getAttribute("aria-hidden") === "true";
}

/** Captions, credits, share bars, newsletter boxes, related links and ads, judged by class/id. */
function isFurniture(element: DomElement): boolean {
  const names = `${element.getAttribute("class") ?? ""} ${element.getAttribute("id") ?? ""}`
    .toLowerCase()
    .split(/\s+/)
    .filter((token) => token !== "");
  if (!names.some((token) => FURNITURE_WORD.test(token) || FURNITURE_PART.test(token))) return false;
  // Guard against a whole article wrapped in e.g. class="story has-share-tools".
  return element.querySelectorAll("p").length <= MAX_PARAGRAPHS_IN_FURNITURE;
}
