/** reply_markup and link preview parameters, validated the way Telegram validates them. */
import { badRequest } from "./errors.js";
import type { Params } from "./body.js";
import type { Button } from "./types.js";

export interface ReplyMarkup {
  buttons: Button[][];
  raw?: unknown;
}

export function parseReplyMarkup(markup: unknown): ReplyMarkup {
  if (markup === undefined || markup === null || markup === "") return { buttons: [] };
  if (typeof markup !== "object" || Array.isArray(markup)) throw badRequest("can't parse reply keyboard markup JSON object");
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  // Reply keyboards, remove_keyboard and force_reply are stored as they are.
  if (rows === undefined) return { buttons: [], raw: markup };
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
    throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
  }
  const buttons = (rows as unknown[][]).map((row) => row.map(parseButton));
  return { buttons, raw: markup };
}

function parseButton(value: unknown): Button {
  const button = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof button.text !== "string") throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  if (typeof button.callback_data === "string") {
    const bytes = Buffer.byteLength(button.callback_data, "utf8");
    if (bytes < 1 || bytes > 64) throw badRequest("BUTTON_DATA_INVALID");
    return { text: button.text, callbackData: button.callback_data };
  }
  if (typeof button.url === "string") {
    if (!URL.canParse(button.url)) throw badRequest(`inline keyboard button URL '${button.url}' is invalid: Wrong HTTP URL`);
    return { text: button.text, url: button.url };
  }
  const actions = [
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "callback_game",
    "pay",
    "web_app",
    "copy_text",
  ];
  if (!actions.some((key) => key in button)) {
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  }
  return { text: button.text };
}

export function linkPreview(params: Params): Record<string, unknown> | undefined {
  const options = params.link_preview_options;
  if (typeof options === "object" && options !== null) return options as Record<string, unknown>;
  if (params.disable_web_page_preview === true || params.disable_web_page_preview === "true") return { is_disabled: true };
  return undefined;
}
