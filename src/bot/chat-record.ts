import type { Chat } from "grammy/types";
import type { ChatUpsert } from "../store/index.js";

/** The part of a Telegram chat the store keeps. */
export function toChatUpsert(chat: Chat, language: string | undefined): ChatUpsert {
  return {
    id: chat.id,
    kind: chat.type,
    title: "title" in chat ? chat.title : [chat.first_name, chat.last_name].filter(Boolean).join(" ") || undefined,
    username: chat.username,
    language,
  };
}
