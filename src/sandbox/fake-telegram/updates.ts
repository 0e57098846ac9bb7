import type { Update } from "grammy/types";
import { now, type TelegramState } from "./state.js";
import type { ChatSpec, PushCallbackQueryInput, PushDocumentInput, PushMessageInput } from "./types.js";

/** Builds and queues the update a user's message would produce, registering the user and chat on the way. */
export function pushMessage(state: TelegramState, input: PushMessageInput): Update {
  const content: Record<string, unknown> = { text: input.text };
  // Telegram marks a leading command, "@botname" suffix included, as a bot_command entity.
  const command = /^\/\S+/.exec(input.text);
  if (command) content.entities = [{ type: "bot_command", offset: 0, length: command[0].length }];
  return pushUserMessage(state, input, content, "pushMessage");
}

let fileCounter = 0;

/** Builds and queues the update of a file a user sends; the file is kept for getFile and the download route. */
export function pushDocument(state: TelegramState, input: PushDocumentInput): Update {
  const n = ++fileCounter;
  const fileId = `BQACAgIAAxkBAAI${String(n).padStart(4, "0")}userdoc`;
  const fileUniqueId = `AgAD${String(n).padStart(4, "0")}`;
  state.files.set(fileId, { fileId, fileUniqueId, filePath: `documents/file_${n}${extensionOf(input.fileName)}`, data: input.data });
  const document = {
    file_id: fileId,
    file_unique_id: fileUniqueId,
    file_name: input.fileName,
    mime_type: input.mimeType,
    file_size: input.data.length,
  };
  return pushUserMessage(state, input, { document, ...(input.caption === undefined ? {} : { caption: input.caption }) }, "pushDocument");
}

function pushUserMessage(
  state: TelegramState,
  input: { userId: number; chatId?: number; chatType?: ChatSpec["type"]; username?: string; firstName?: string },
  content: Record<string, unknown>,
  caller: string,
): Update {
  const chatType = input.chatType ?? "private";
  const user = state.ensureUser(input.userId, input);
  const chatId = input.chatId ?? input.userId;
  if (chatType !== "private" && input.chatId === undefined) {
    throw new Error(`${caller}: chatId is required for a ${chatType} chat`);
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
    ...content,
  };
  return state.pushUpdate(chat.type === "channel" ? { channel_post: message } : { message });
}

/** Telegram keeps the extension in file_path ("documents/file_3.opml"). */
function extensionOf(fileName: string): string {
  return /\.[A-Za-z0-9]{1,8}$/.exec(fileName)?.[0] ?? "";
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
