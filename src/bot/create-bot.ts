import { autoRetry } from "@grammyjs/auto-retry";
import { Bot, type BotConfig, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { commandRegistry, dialogRegistry, fallbackCommand } from "../../commands/index.js";
import type { Templates } from "../format/templates.js";
import { buildMenu, type CommandDefinition } from "./menu.js";
import { withScopeGate } from "./admin-gate.js";
import { deskDialogs } from "./dialogs.js";
import { contextConstructorFor, type BotContext, type BotDeps, type MenuEntry } from "./context.js";
import { handleBotError } from "./error-boundary.js";
import { logUpdates } from "./log-updates.js";
import { networkRetry } from "./network-retry.js";
import { updateMetrics, type UpdateObserver } from "./update-metrics.js";
import { sendBudget } from "./send-budget.js";

/**
 * A request of the bot that gets no answer is given up after this (and tried again by networkRetry), not after grammY's
 * default of 500 s. Above the 30 s long poll of getUpdates: grammY adds nothing to the timeout for it.
 */
const REQUEST_TIMEOUT_SECONDS = 60;

export interface CreateBotOptions {
  /**
   * What getMe answered (connectToBotApi at start, bounded): required, because without it bot.start() runs grammY's
   * own getMe, which retries network errors forever.
   */
  botInfo: UserFromGetMe;
  /** Flood control for every API call. Bounded so that a reply is retried, never dropped, and never waits forever. */
  retry?: { maxRetryAttempts: number; maxDelaySeconds: number };
  /** The commands to run, in order (default: the registry). Tests pass their own, e.g. with an admin command. */
  commands?: readonly CommandDefinition[];
  /** Installed under the retries, so that they see every request that leaves (the app's outage log). */
  transformers?: Transformer[];
  /** Told of every update handled, with its command and how long it took (the app's metrics). */
  observeUpdates?: UpdateObserver;
  /** Told of each 429 Telegram answers to a reply, each try's (the app's metrics). */
  onReplyTooManyRequests?: () => void;
}

/**
 * Builds the bot from its dependencies. There is no bot at module level: tests build one with a temp
 * database and the fake Telegram server.
 */
export function createBot(deps: BotDeps, options: CreateBotOptions): Bot<BotContext> {
  const commands = options.commands ?? commandRegistry;
  const services = { ...deps, menu: commandMenu(deps.templates, commands) };
  const botConfig: BotConfig<BotContext> = {
    ContextConstructor: contextConstructorFor(services),
    client: { apiRoot: deps.config.apiRoot, timeoutSeconds: REQUEST_TIMEOUT_SECONDS },
    botInfo: options.botInfo,
  };
  const bot = new Bot<BotContext>(deps.config.botToken, botConfig);

  // Innermost: every try that leaves for Telegram, a retry included, takes its token just before it goes, and each
  // try's 429 pauses the budget (the engine too) before auto-retry waits it out.
  bot.api.config.use(
    sendBudget(deps.sendBudget, { clock: deps.clock, stopping: deps.stopping, onTooManyRequests: options.onReplyTooManyRequests }),
  );
  bot.api.config.use(...(options.transformers ?? []));
  bot.api.config.use(networkRetry(deps.clock));
  // Flood control only: a network error is rethrown here (networkRetry, below, has tried it again within seconds),
  // because auto-retry would wait up to an hour, doubling, and a reply is better reported than sent an hour late.
  bot.api.config.use(autoRetry({ ...(options.retry ?? { maxRetryAttempts: 5, maxDelaySeconds: 60 }), rethrowHttpErrors: true }));
  // One chat's updates keep their order (a reader's commands, an admin's dialog steps): the update pool runs them one
  // after the other (src/bot/update-pool.ts), in polling and webhook mode alike.
  if (options.observeUpdates) {
    bot.use(
      updateMetrics(
        commands.map((definition) => definition.command),
        deps.clock,
        options.observeUpdates,
      ),
    );
  }
  bot.use(logUpdates);
  bot.use(deskDialogs(services, bot.api, dialogRegistry));
  for (const definition of commands) bot.use(withScopeGate(definition));
  bot.use(fallbackCommand);
  bot.catch(handleBotError);
  return bot;
}

/** The registry with its descriptions: what /help shows and what Telegram's menu lists. */
export function commandMenu(templates: Templates, commands: readonly CommandDefinition[] = commandRegistry): MenuEntry[] {
  return buildMenu(commands, (command) => templates.commandDescription(command));
}
