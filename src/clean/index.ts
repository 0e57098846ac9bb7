/** Core room "clean": HTML or text in, clean paragraphs (and dateline metadata) out. Pure. */
export { htmlToParagraphs } from "./html.js";
export { cleanParagraphs, type CleanedParagraphs, type Dateline } from "./clean-paragraphs.js";
export { LINE_RULES, matchingRule, splitDateline, type LineRule, type DatelineSplit } from "./rules.js";
export { collapseWhitespace, collapseWhitespaceKeepLines } from "./whitespace.js";
