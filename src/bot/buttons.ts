import { GrammyError, type Composer, type Filter } from "grammy";
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { BotContext } from "./context.js";
import { htmlToPlainText } from "../format/plain-text.js";
import type { Exactly, Templates, TemplateName, TemplateValues } from "../format/templates.js";
import { encodeButton, parseButton, type ButtonAction } from "./callback-data.js";
import { HTML_OPTIONS } from "./reply.js";

export type ButtonContext = Filter<BotContext, "callback_query:data">;

/** Telegram cuts long labels anyway; callback answers may not exceed 200 characters. */
export const MAX_LABEL_CHARS = 64;
const MAX_ANSWER_CHARS = 200;

/** A template as a button's label: plain text, cut to MAX_LABEL_CHARS. */
export function buttonLabel<N extends TemplateName, V extends TemplateValues<N>>(
  templates: Templates,
  name: N,
  values: Exactly<V, TemplateValues<N>>,
): string {
  return htmlToPlainText(templates.render(name, values), MAX_LABEL_CHARS);
}

/** A template as the short notice Telegram shows for a press (plain text, at most 200 characters); none without a name. */
export function answerText<N extends TemplateName, V extends TemplateValues<N>>(
  templates: Templates,
  name?: N,
  values?: Exactly<V, TemplateValues<N>>,
): string | undefined {
  return name === undefined ? undefined : htmlToPlainText(templates.render(name, values), MAX_ANSWER_CHARS);
}

/** A button, or undefined when its action cannot travel in callback data (the caller just leaves it out). */
export function button<N extends TemplateName, V extends TemplateValues<N>>(
  templates: Templates,
  label: N,
  values: Exactly<V, TemplateValues<N>>,
  action: ButtonAction,
): InlineKeyboardButton | undefined {
  const data = encodeButton(action);
  if (data === undefined) return undefined;
  return { text: buttonLabel(templates, label, values), callback_data: data };
}

/** reply_markup for the buttons that exist; none at all when every one was left out. */
export function keyboard(rows: (InlineKeyboardButton | undefined)[][]): { reply_markup?: InlineKeyboardMarkup } {
  const kept = rows.map((row) => row.filter((b): b is InlineKeyboardButton => b !== undefined)).filter((row) => row.length > 0);
  return kept.length > 0 ? { reply_markup: { inline_keyboard: kept } } : {};
}

/** Buttons laid out a few per row. */
export function inRows(buttons: (InlineKeyboardButton | undefined)[], perRow: number): InlineKeyboardButton[][] {
  const present = buttons.filter((b): b is InlineKeyboardButton => b !== undefined);
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < present.length; i += perRow) rows.push(present.slice(i, i + perRow));
  return rows;
}

/**
 * Handles one kind of button. Other data goes on down the chain; the catch-all answers whatever no
 * handler took, so every press is answered.
 */
export function onButton<K extends ButtonAction["kind"]>(
  composer: Composer<BotContext>,
  kind: K,
  handler: (ctx: ButtonContext, action: Extract<ButtonAction, { kind: K }>) => Promise<void>,
): void {
  composer.on("callback_query:data", async (ctx, next) => {
    const action = parseButton(ctx.callbackQuery.data);
    if (action?.kind !== kind) return next();
    await handler(ctx, action as Extract<ButtonAction, { kind: K }>);
  });
}

/** Whether callback data is a button of these kinds, as onButton reads it: a composer's `buttons` in the registry. */
export function isButtonOf(...kinds: ButtonAction["kind"][]): (data: string) => boolean {
  return (data) => {
    const kind = parseButton(data)?.kind;
    return kind !== undefined && kinds.includes(kind);
  };
}

/** Answers a press, with a template as the short notice Telegram shows (plain text there). */
export async function answerButton<N extends TemplateName, V extends TemplateValues<N>>(
  ctx: BotContext,
  name?: N,
  values?: Exactly<V, TemplateValues<N>>,
): Promise<void> {
  const text = answerText(ctx.services.templates, name, values);
  await ctx.answerCallbackQuery(text ? { text } : undefined);
}

export const answerExpired = (ctx: BotContext): Promise<void> => answerButton(ctx, "callback-expired");

/** Whether the button's message can still be edited: Telegram sends date 0 for messages the bot can no longer see. */
export function canEditButtonMessage(ctx: ButtonContext): boolean {
  const message = ctx.callbackQuery.message;
  return message !== undefined && message.date !== 0;
}

/**
 * Replaces the button's message. A double tap asks for the text already shown, which Telegram refuses as
 * "message is not modified": the reader already sees what they asked for, so that is not an error.
 */
export async function editButtonMessage(ctx: ButtonContext, html: string, extra: object = {}): Promise<void> {
  try {
    await ctx.editMessageText(html, { ...HTML_OPTIONS, ...extra });
  } catch (error) {
    if (error instanceof GrammyError && /message is not modified/i.test(error.description)) return;
    throw error;
  }
}
