import type { Button, MessageEntity } from "./fake-telegram/index.js";

/** What a message shows: its text with Telegram's entities, and its inline keyboard. */
export interface Renderable {
  text: string;
  entities: readonly MessageEntity[];
  buttons: readonly (readonly Button[])[];
}

export interface RenderStyle {
  /** ANSI bold on a terminal; plain text when the output is piped. */
  ansi: boolean;
}

const BOLD_ON = "\u001b[1m";
const BOLD_OFF = "\u001b[22m";

/**
 * A message as the terminal shows it: bold as bold (or plain), a link as "text (url)" (just the url when the text
 * is the url), and its buttons numbered in reading order under it, a URL button with its address.
 */
export function renderMessage(message: Renderable, style: RenderStyle): string {
  const lines = [renderText(message.text, message.entities, style)];
  let number = 0;
  for (const row of message.buttons) {
    lines.push(row.map((button) => `[${++number}] ${button.url ? `${button.text} (${button.url})` : button.text}`).join("   "));
  }
  return lines.join("\n");
}

/** The buttons of a message in the order renderMessage numbers them (1 is the first). */
export function numberedButtons(message: Pick<Renderable, "buttons">): Button[] {
  return message.buttons.flat();
}

interface Mark {
  at: number;
  text: string;
  /** Negative for a closing mark, the entity's length for an opening one: see byPlace. */
  rank: number;
}

/** At one place, spans close before others open; the inner (shorter) span closes first and opens last. */
const byPlace = (a: Mark, b: Mark): number => a.at - b.at || (a.rank < 0 === b.rank < 0 ? b.rank - a.rank : a.rank - b.rank);

function renderText(text: string, entities: readonly MessageEntity[], style: RenderStyle): string {
  const marks: Mark[] = [];
  for (const { type, offset, length, url } of entities) {
    const end = offset + length;
    if (type === "bold" && style.ansi)
      marks.push({ at: offset, text: BOLD_ON, rank: length }, { at: end, text: BOLD_OFF, rank: -1 - length });
    if (type === "text_link" && url && text.slice(offset, end) !== url) marks.push({ at: end, text: ` (${url})`, rank: -1 - length });
  }
  marks.sort(byPlace);
  let out = "";
  let from = 0;
  for (const mark of marks) {
    out += text.slice(from, mark.at) + mark.text;
    from = mark.at;
  }
  return out + text.slice(from);
}
