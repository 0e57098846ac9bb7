import type { Transformer } from "grammy";
import type { Clock } from "../clock.js";
import type { SendBudget } from "../delivery/send-budget.js";

/** The methods that put a message in a chat or change one: what Telegram's limit counts (not getUpdates, answerCallbackQuery…). */
const SENDING_METHOD = /^(send(?!ChatAction$)|edit|copyMessage|forwardMessage)/;

export interface SendBudgetOptions {
  clock: Clock;
  /** Aborted when the app stops: replies still waiting for a token are given up then, not sent. */
  stopping: AbortSignal;
  /** Told of each 429 a reply meets (the app's metrics). */
  onTooManyRequests?: (() => void) | undefined;
}

/**
 * An API transformer that takes a token of the shared send budget before each message the bot sends, so that replies
 * and the delivery engine together stay within Telegram's limit, replies first. Installed under the retries: a reply
 * tried again after a 429 or a network error takes another token, as it is another message for Telegram, and every
 * 429 is seen here, each try's, and pauses the whole budget (the engine too) for its retry_after. A request aborted,
 * or the app stopping, while it waits for its token leaves the queue without one.
 */
export function sendBudget(budget: SendBudget, options: SendBudgetOptions): Transformer {
  const { clock, stopping, onTooManyRequests } = options;
  return async (prev, method, payload, signal) => {
    if (!SENDING_METHOD.test(method)) return prev(method, payload, signal);
    // grammY types its signal with the abort-controller polyfill; the runtime object is the same.
    const request = signal as globalThis.AbortSignal | undefined;
    // A signal of its own even without a request's: many replies waiting must not pile listeners on `stopping`.
    await budget.forReply(method, AbortSignal.any(request ? [request, stopping] : [stopping]));
    const result = await prev(method, payload, signal);
    if (!result.ok && result.error_code === 429) {
      budget.pauseUntil(clock.now() + (result.parameters?.retry_after ?? 1) * 1000);
      onTooManyRequests?.();
    }
    return result;
  };
}
