import type { Update } from "grammy/types";
import { now, type TelegramState } from "./state.js";
import type { ChatSpec, PushCallbackQueryInput, PushMessageInput } from "./types.js";

/** Builds and queues the update a user's message would produce, registering the user and chat on the way. */
export function pushMessage(state: TelegramState, input: PushMessageInput): Update {
  const chatType = input.chatType ?? "private";
  const user = state.ensureUser(input.userId, input);
  const chatId = input.chatId ?? input.userId;
  if (chatType !== "private" && input.chatId === undefined) {
    throw new Error(`pushMessage: chatId is required for a ${chatType} chat`);
  }
  const chat = state.chats.get(chatId) ?? state.addChat(newChat(chatId, chatType, input));
  if (chat.type === "private") {
    // Writing to a bot you blocked unblocks it first ("Restart bot" in the apps).
    state.blocked.delete(chat.id);
  }
  if (chat.type !== "channel") state.setMember(chat.id, user.id, state.members.get(chat.id)?.get(user.id) ?? "member");

  const message: Record<string, unknown> = {
    message_id: state.nextMessageId(chat.id),
    ...(chat.type === "channel" ? { sender_chat: state.chatJson(chat) } : { from: user }),
    chat: state.chatJson(chat),
    date: now(),
    text: input.text,
  };
  // Telegram marks a leading command, "@botname" suffix included, as a bot_command entity.
  const command = /^\/\S+/.exec(input.text);
  if (command) message.entities = [{ type: "bot_command", offset: 0, length: command[0].length }];
  return state.pushUpdate(chat.type === "channel" ? { channel_post: message } : { message });
}

let callbackCounter = 0;

/** Builds and queues the callback_query a press on an inline button of a bot message would produce. */
export function pushCallbackQuery(state: TelegramState, input: PushCallbackQueryInput): Update {
  const from = state.ensureUser(input.userId);
  const chatId = input.chatId ?? input.userId;
  const chat = state.chats.get(chatId) ?? (chatId === input.userId ? state.addChat(newChat(chatId, "private", {})) : undefined);
  if (!chat) throw new Error(`pushCallbackQuery: unknown chat ${chatId}; addChat() it first`);

  const sent = input.messageId !== undefined ? state.findRecord(chat.id, input.messageId) : state.lastRecord(chat.id);
  // Without a known bot message the button belongs to a message the bot can no longer see.
  const message =
    sent && !sent.deleted ? state.messageJson(sent) : { chat: state.chatJson(chat), message_id: input.messageId ?? 1, date: 0 };

  const id = `${input.userId}${String(++callbackCounter).padStart(6, "0")}`;
  state.openCallbackQueries.add(id);
  return state.pushUpdate({
    callback_query: { id, from, message, chat_instance: String(-Math.abs(chat.id) * 1000 - 7), data: input.data },
  });
}

function newChat(id: number, type: ChatSpec["type"], input: { firstName?: string; username?: string }): ChatSpec {
  if (type === "private") return { id, type, firstName: input.firstName ?? `User ${id}`, username: input.username };
  return { id, type, title: `Test ${type} ${id}` };
}
