import { badRequest } from "./errors.js";
import { parseTelegramHtml, type MessageEntity } from "./html.js";

export interface FormattedText {
  text: string;
  entities: MessageEntity[];
  links: string[];
}

export const MAX_TEXT_LENGTH = 4096;
export const MAX_CAPTION_LENGTH = 1024;

/**
 * Turns text + parse_mode (or explicit entities) into what Telegram stores. Limits are checked by the caller
 * because text and captions fail with different descriptions.
 */
export function formatText(raw: unknown, parseMode: unknown, explicit: unknown, strictHtml: boolean): FormattedText {
  const source = raw === undefined || raw === null ? "" : typeof raw === "string" ? raw : JSON.stringify(raw);
  let formatted: FormattedText;
  if (Array.isArray(explicit) && explicit.length > 0) {
    // Explicit entities win over parse_mode, as in the Bot API.
    const entities = explicit.filter(isEntity);
    formatted = { text: source, entities, links: entities.flatMap((e) => (e.url ? [e.url] : [])) };
  } else {
    const mode = typeof parseMode === "string" ? parseMode.toLowerCase() : "";
    if (mode === "html") {
      const parsed = parseTelegramHtml(source, { strict: strictHtml });
      if (!parsed.ok) throw badRequest(parsed.description.replace(/^Bad Request: /, ""));
      formatted = parsed;
    } else if (mode === "" || mode === "markdown" || mode === "markdownv2") {
      // Markdown modes are not modelled: the text is stored as sent.
      formatted = { text: source, entities: [], links: [] };
    } else {
      throw badRequest("unsupported parse_mode");
    }
  }
  return trimFormatted(formatted);
}

/** Telegram strips leading and trailing whitespace from texts and captions and shifts entities to match. */
function trimFormatted(formatted: FormattedText): FormattedText {
  const lead = /^[ \t\r\n\v\0]*/.exec(formatted.text)?.[0].length ?? 0;
  const text = formatted.text.slice(lead).replace(/[ \t\r\n\v\0]+$/, "");
  const entities = formatted.entities.flatMap((entity) => {
    const start = Math.max(entity.offset - lead, 0);
    const end = Math.min(entity.offset + entity.length - lead, text.length);
    return end > start ? [{ ...entity, offset: start, length: end - start }] : [];
  });
  return { text, entities, links: formatted.links };
}

function isEntity(value: unknown): value is MessageEntity {
  if (typeof value !== "object" || value === null) return false;
  const entity = value as Partial<MessageEntity>;
  return typeof entity.type === "string" && typeof entity.offset === "number" && typeof entity.length === "number";
}
