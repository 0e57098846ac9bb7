import { htmlToParagraphs } from "../clean/index.js";

/**
 * Reader-visible text of an HTML fragment, paragraphs joined with blank lines. The cleaner's walker
 * does the work (one definition of "visible text": captions, scripts and page furniture dropped).
 */
export function htmlToText(html: string): string {
  return htmlToParagraphs(html).join("\n\n");
}

/** Text of a headline-like fragment on one line: tags dropped, entities decoded, whitespace collapsed. */
export function htmlToLine(html: string): string {
  if (!/[<&]/.test(html)) return html.replace(/\s+/g, " ").trim();
  return htmlToParagraphs(html).join(" ").replace(/\s+/g, " ").trim();
}
