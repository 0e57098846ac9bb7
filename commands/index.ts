import type { CommandDefinition } from "../src/bot/command-menu.js";
import { fallbackCommand } from "./fallback.js";
import { helpCommand } from "./help.js";
import { startCommand } from "./start.js";

/**
 * The command registry: the order here is the order of /help and of Telegram's menu.
 * Descriptions live in templates/commands.json.
 */
export const commandRegistry: readonly CommandDefinition[] = [
  { command: "start", scope: "everyone", composer: startCommand },
  { command: "help", scope: "everyone", composer: helpCommand },
];

/** Registered after every command. */
export const catchAll = fallbackCommand;
