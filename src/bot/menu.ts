import type { Composer } from "grammy";
import type { BotContext, CommandScope, MenuEntry } from "./context.js";

/** One row of the command registry: commands/index.ts lists them. */
export type CommandDefinition =
  | { command: string; scope: "everyone"; composer: Composer<BotContext> }
  | {
      command: string;
      scope: "admins";
      composer: Composer<BotContext>;
      /** The callback data its composer handles: the gate answers anyone else's press "This button is not for you". */
      buttons?: (data: string) => boolean;
    };

export function buildMenu(definitions: readonly CommandDefinition[], describe: (command: string) => string): MenuEntry[] {
  return definitions.map(({ command, scope }) => ({ command, scope, description: describe(command) }));
}

export const menuFor = (menu: readonly MenuEntry[], scope: CommandScope) =>
  menu.filter((entry) => entry.scope === scope).map(({ command, description }) => ({ command, description }));
