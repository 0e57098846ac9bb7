import { autoRetry } from "@grammyjs/auto-retry";
import { Bot, type BotConfig, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { commandRegistry, fallbackCommand } from "../../commands/index.js";
import type { Templates } from "../format/templates.js";
import { buildMenu, type CommandDefinition } from "../../commands/menu.js";
import { withScopeGate } from "./admin-gate.js";
import { contextConstructorFor, type BotContext, type BotDeps, type MenuEntry } from "./context.js";
import { handleBotError } from "./error-boundary.js";
import { logUpdates } from "./log-updates.js";

export interface CreateBotOptions {
  /** What getMe answered: the app calls it itself, bounded, so that grammY never runs its own endless getMe. */
  botInfo?: UserFromGetMe;
  /** Flood control for every API call. Bounded so that a reply is retried, never dropped, and never waits forever. */
  retry?: { maxRetryAttempts: number; maxDelaySeconds: number };
  /** The commands to run, in order (default: the registry). Tests pass their own, e.g. with an admin command. */
  commands?: readonly CommandDefinition[];
  /** Installed under auto-retry, so that they see every request that leaves (the app's outage log). */
  transformers?: Transformer[];
}

/**
 * Builds the bot from its dependencies. There is no bot at module level: tests build one with a temp
 * database and the fake Telegram server.
 */
export function createBot(deps: BotDeps, options: CreateBotOptions = {}): Bot<BotContext> {
  const commands = options.commands ?? commandRegistry;
  const services = { ...deps, menu: commandMenu(deps.templates, commands) };
  const botConfig: BotConfig<BotContext> = {
    ContextConstructor: contextConstructorFor(services),
    client: { apiRoot: deps.config.apiRoot },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  };
  const bot = new Bot<BotContext>(deps.config.botToken, botConfig);

  bot.api.config.use(...(options.transformers ?? []));
  // A network error is not retried here: auto-retry would wait up to an hour, doubling. Polling retries getUpdates
  // every 3 s by itself, and a reply that cannot be sent now is better reported than sent an hour late.
  bot.api.config.use(autoRetry({ ...(options.retry ?? { maxRetryAttempts: 5, maxDelaySeconds: 60 }), rethrowHttpErrors: true }));
  bot.use(logUpdates);
  for (const definition of commands) bot.use(withScopeGate(definition));
  bot.use(fallbackCommand);
  bot.catch(handleBotError);
  return bot;
}

/** The registry with its descriptions: what /help shows and what Telegram's menu lists. */
export function commandMenu(templates: Templates, commands: readonly CommandDefinition[] = commandRegistry): MenuEntry[] {
  return buildMenu(commands, (command) => templates.commandDescription(command));
}
