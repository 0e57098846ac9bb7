import { parseHTML } from "linkedom";

/** Elements whose text is never reader-visible. */
const SKIPPED = new Set(["script", "style", "noscript", "template", "head", "title", "iframe", "svg"]);
/** Elements that start a new paragraph (br included: feeds use <br><br> as paragraph breaks). */
const BLOCKS = new Set([
  "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
  "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
  "section", "table", "tr", "ul",
]);

type DomNode = { nodeType: number; nodeName: string; textContent: string | null; childNodes: ArrayLike<DomNode> };

type ScratchDocument = { createElement(tag: string): DomNode & { innerHTML: string } };
let scratch: ScratchDocument | undefined;

/**
 * Reader-visible text of an HTML fragment: tags dropped, entities decoded (full HTML5 table),
 * one paragraph per block element, paragraphs joined with blank lines.
 */
export function htmlToText(html: string): string {
  // One shared document: parsing a fresh one per title would cost more than the title itself.
  const doc: ScratchDocument = (scratch ??= parseHTML("<!doctype html><html><body></body></html>").document);
  const container = doc.createElement("div");
  container.innerHTML = escapeStrayLessThan(html);
  const paragraphs: string[] = [];
  let current = "";
  const flush = () => {
    const text = current.replace(/\s+/g, " ").trim();
    if (text) paragraphs.push(text);
    current = "";
  };
  const visit = (node: DomNode) => {
    if (node.nodeType === 3) {
      current += node.textContent ?? "";
      return;
    }
    if (node.nodeType !== 1) return;
    const tag = node.nodeName.toLowerCase();
    if (SKIPPED.has(tag)) return;
    const block = BLOCKS.has(tag);
    if (block) flush();
    for (const child of Array.from(node.childNodes)) visit(child);
    if (block) flush();
  };
  visit(container);
  flush();
  return paragraphs.join("\n\n");
}

/** Text of a headline-like fragment on one line: tags dropped, entities decoded, whitespace collapsed. */
export function htmlToLine(html: string): string {
  if (!/[<&]/.test(html)) return html.replace(/\s+/g, " ").trim();
  return htmlToText(html).replace(/\s+/g, " ").trim();
}

/** "3 < 5" and "a<b" are text, not tags: escape every "<" that does not open a complete tag or comment. */
function escapeStrayLessThan(html: string): string {
  return html.replace(/<(?!\/?[a-zA-Z][\w:-]*(?:\s[^<>]*)?\/?>|!--)/g, "&lt;");
}
