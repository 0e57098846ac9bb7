/**
 * Whitespace normalization shared by the core rooms.
 * Pure string functions: no DOM, no I/O.
 */

/** Characters that carry no text and only confuse matching (zero-width space, BOM, soft hyphen). */
const INVISIBLE = /[\u200B\uFEFF\u00AD]/g;

/**
 * Collapse every run of whitespace (including NBSP and newlines) to one space and trim.
 * Zero-width joiners (emoji sequences) and RTL marks are kept on purpose.
 */
export function collapseWhitespace(text: string): string {
  return text.replace(INVISIBLE, "").replace(/\s+/gu, " ").trim();
}

/**
 * Collapse whitespace inside each line but keep the line breaks themselves
 * (used for paragraphs that contain <br> line breaks). Empty lines are removed.
 */
export function collapseWhitespaceKeepLines(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(collapseWhitespace)
    .filter((line) => line !== "")
    .join("\n");
}
