import type { Composer } from "grammy";
import type { BotContext, CommandScope, MenuEntry } from "../src/bot/context.js";

/** One row of the command registry: commands/index.ts lists them. */
export interface CommandDefinition {
  command: string;
  scope: CommandScope;
  composer: Composer<BotContext>;
}

export function buildMenu(definitions: readonly CommandDefinition[], describe: (command: string) => string): MenuEntry[] {
  return definitions.map(({ command, scope }) => ({ command, scope, description: describe(command) }));
}

export const menuFor = (menu: readonly MenuEntry[], scope: CommandScope) =>
  menu.filter((entry) => entry.scope === scope).map(({ command, description }) => ({ command, description }));
