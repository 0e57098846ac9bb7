import type { ConversationControls } from "@grammyjs/conversations";
import { Context } from "grammy";
import type { Clock } from "../clock.js";
import type { Config } from "../config/index.js";
import type { DeliveryEngine } from "../delivery/engine.js";
import type { SendBudget } from "../delivery/send-budget.js";
import type { Templates } from "../format/templates.js";
import type { Logger } from "../logger.js";
import type { Store } from "../store/index.js";
import type { AliasMap } from "../topics/index.js";

/** What every handler may use. Built once by createBot and shared by all updates. */
export interface BotDeps {
  config: Config;
  store: Store;
  clock: Clock;
  templates: Templates;
  aliases: AliasMap;
  logger: Logger;
  /** The delivery engine (not necessarily started): the desk wakes it for a push and shows its progress. */
  engine: Pick<DeliveryEngine, "notify" | "progress">;
  /** The messages-per-second budget the engine sends by: every message of the bot takes a token, ahead of the engine's. */
  sendBudget: SendBudget;
  /** Aborted when the app stops: work an update started that outlives it (a progress message, an OPML import) ends. */
  stopping: AbortSignal;
}

/** Who may run a command: the registry (commands/index.ts) gives each one a scope, the bot enforces it. */
export type CommandScope = "everyone" | "admins";

/**
 * A command as users see it in /help and in Telegram's menu. Declared with the context, which carries the
 * menu, so that the context needs nothing from commands/ (they import it).
 */
export interface MenuEntry {
  command: string;
  description: string;
  scope: CommandScope;
}

/** Per bot: the services, plus the command menu derived from the registry. */
export interface BotServices extends BotDeps {
  menu: readonly MenuEntry[];
}

/** The one context type of the bot: grammY's Context plus our services and a per-update logger. */
export class BotContext extends Context {
  declare readonly services: BotServices;
  declare readonly logger: Logger;
  /** The dialogs' controls (@grammyjs/conversations), installed by createBot before any command. */
  declare readonly conversation: ConversationControls;

  get isAdmin(): boolean {
    const id = this.from?.id;
    return id !== undefined && this.services.config.adminIds.includes(id);
  }
}

/** grammY builds a context per update; this subclass attaches the services and a child logger. */
export function contextConstructorFor(services: BotServices) {
  return class extends BotContext {
    override readonly services = services;
    override readonly logger = services.logger.child({
      updateId: this.update.update_id,
      chatId: this.chat?.id,
      command: commandOf(this.msg?.text),
    });
  };
}

function commandOf(text: string | undefined): string | undefined {
  const match = /^\/([A-Za-z0-9_]{1,32})/.exec(text ?? "");
  return match?.[1];
}
