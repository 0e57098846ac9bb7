/** Telegram's limit, counted in UTF-16 code units of the text after HTML parsing. */
export const MAX_MESSAGE_CHARS = 4096;

/** The length Telegram measures: tags removed, entities decoded, surrounding whitespace trimmed. */
export function telegramLength(html: string): number {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&(?:lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi, "x")
    .trim().length;
}
