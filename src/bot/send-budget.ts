import type { Transformer } from "grammy";
import type { SendBudget } from "../delivery/send-budget.js";

/** The methods that put a message in a chat or change one: what Telegram's limit counts (not getUpdates, answerCallbackQuery…). */
const SENDING_METHOD = /^(send(?!ChatAction$)|edit|copyMessage|forwardMessage)/;

/**
 * An API transformer that takes a token of the shared send budget before each message the bot sends, so that replies
 * and the delivery engine together stay within Telegram's limit, replies first. Installed under the retries: a reply
 * tried again after a 429 or a network error takes another token, as it is another message for Telegram.
 */
export function sendBudget(budget: SendBudget): Transformer {
  return async (prev, method, payload, signal) => {
    if (SENDING_METHOD.test(method)) await budget.forReply();
    return prev(method, payload, signal);
  };
}
