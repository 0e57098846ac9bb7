import type { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";

export type CommandScope = "everyone" | "admins";

/** One row of the command registry: commands/index.ts lists them. */
export interface CommandDefinition {
  command: string;
  scope: CommandScope;
  composer: Composer<BotContext>;
}

/** A command as users see it in /help and in Telegram's menu. */
export interface MenuEntry {
  command: string;
  description: string;
  scope: CommandScope;
}

export function buildMenu(definitions: readonly CommandDefinition[], describe: (command: string) => string): MenuEntry[] {
  return definitions.map(({ command, scope }) => ({ command, scope, description: describe(command) }));
}

export const menuFor = (menu: readonly MenuEntry[], scope: CommandScope) =>
  menu.filter((entry) => entry.scope === scope).map(({ command, description }) => ({ command, description }));
