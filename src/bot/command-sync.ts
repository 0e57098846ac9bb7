import { GrammyError, type Api } from "grammy";
import type { Logger } from "../logger.js";
import { menuFor } from "./menu.js";
import type { MenuEntry } from "./context.js";

/**
 * Publishes the command menu: subscriber commands for everyone, and for each admin a chat-scoped
 * menu that adds the admin commands. An admin who never started the bot is logged and skipped.
 * `signal` (a stop during start) aborts the request in progress and the rest.
 */
export async function syncCommandMenu(
  api: Api,
  menu: readonly MenuEntry[],
  adminIds: readonly number[],
  log: Logger,
  signal?: AbortSignal,
): Promise<void> {
  // grammY types its signal with the abort-controller polyfill; the runtime object is the same.
  const abort = signal as Parameters<Api["setMyCommands"]>[2];
  const everyone = menuFor(menu, "everyone");
  await api.setMyCommands(everyone, { scope: { type: "default" } }, abort);
  const admins = menuFor(menu, "admins");
  for (const chatId of adminIds) {
    try {
      await api.setMyCommands([...everyone, ...admins], { scope: { type: "chat", chat_id: chatId } }, abort);
    } catch (error) {
      if (!(error instanceof GrammyError)) throw error;
      log.warn({ adminId: chatId, description: error.description }, "could not set the admin menu; the admin should /start the bot");
    }
  }
}
