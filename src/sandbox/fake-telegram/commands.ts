import type { BotCommand } from "grammy/types";
import { badRequest } from "./errors.js";
import type { TelegramState } from "./state.js";

const SCOPE_TYPES = new Set([
  "default",
  "all_private_chats",
  "all_group_chats",
  "all_chat_administrators",
  "chat",
  "chat_administrators",
  "chat_member",
]);

/** Canonical key: "type" first, the other fields sorted, then "|language_code" when one is given. */
export function commandsKey(state: TelegramState | undefined, scope: unknown, languageCode: unknown): string {
  const raw = (typeof scope === "object" && scope !== null ? scope : { type: "default" }) as Record<string, unknown>;
  if (state && !SCOPE_TYPES.has(String(raw.type))) throw badRequest("unsupported bot command scope type");
  const { type, ...rest } = raw;
  // "@channel" and "-100…" name the same scope, so the key uses the resolved numeric id.
  if (state && rest.chat_id !== undefined) rest.chat_id = state.resolveChat(rest.chat_id).id;
  const canonical = { type, ...Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))) };
  const language = typeof languageCode === "string" ? languageCode : "";
  if (language && !/^[a-z]{2}$/.test(language)) throw badRequest("invalid language code specified");
  return JSON.stringify(canonical) + (language ? `|${language}` : "");
}

export function validateCommands(value: unknown): BotCommand[] {
  if (!Array.isArray(value)) throw badRequest("commands must be an Array of BotCommand");
  if (value.length > 100) throw badRequest("too many commands specified");
  return value.map((item: unknown) => {
    const { command, description } = (item ?? {}) as Record<string, unknown>;
    if (typeof command !== "string" || !/^[a-z0-9_]{1,32}$/.test(command)) throw badRequest("BOT_COMMAND_INVALID");
    if (typeof description !== "string" || description.length < 1 || description.length > 256) {
      throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
    }
    return { command, description };
  });
}
