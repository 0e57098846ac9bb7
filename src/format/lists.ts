import { cutAtWord } from "../summarize/index.js";
import { MAX_MESSAGE_CHARS, telegramLength } from "./telegram-length.js";

/**
 * The longest prefix of `items` whose rendering Telegram accepts: lists shrink from the end, so a
 * message is never refused for length whatever the articles or the reader's words hold.
 * `render` gets the items kept and how many were left out (for an "and N more" line).
 */
export function fitItems<T>(items: readonly T[], render: (kept: T[], omitted: number) => string, limit = MAX_MESSAGE_CHARS): string {
  for (let n = items.length; n > 0; n--) {
    const html = render(items.slice(0, n), items.length - n);
    if (telegramLength(html) <= limit) return html;
  }
  return render([], items.length);
}

/** A value shown on one line of a list: whitespace collapsed, cut at a word. */
export function oneLine(text: string, maxChars: number): string {
  return cutAtWord(text.replace(/\s+/g, " ").trim(), maxChars);
}
