import type { BotCommand, Update, UserFromGetMe } from "grammy/types";
import type { Params } from "./body.js";
import { badRequest, forbidden } from "./errors.js";
import type { ChatSpec, MemberStatus, SentMessage, Stats } from "./types.js";

type Json = Record<string, unknown>;

/** A document a user sent, as the Bot API server keeps it. */
export interface UserFile {
  fileId: string;
  fileUniqueId: string;
  /** What getFile answers as file_path; the bytes are served at /file/bot<token>/<filePath>. */
  filePath: string;
  data: Buffer;
}

export interface UserInfo {
  id: number;
  is_bot: false;
  first_name: string;
  username?: string;
  language_code?: string;
}

/** Update types Telegram leaves out unless allowed_updates asks for them. */
const OPT_IN_UPDATES = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

export const now = (): number => Math.floor(Date.now() / 1000);

/** Everything the fake Telegram knows; methods.ts mutates it, the test reads it through FakeTelegram. */
export class TelegramState {
  readonly chats = new Map<number, ChatSpec>();
  readonly users = new Map<number, UserInfo>();
  readonly members = new Map<number, Map<number, MemberStatus>>();
  readonly blocked = new Set<number>();
  readonly deactivated = new Set<number>();
  readonly records: SentMessage[] = [];
  readonly callbackAnswers: Params[] = [];
  readonly openCallbackQueries = new Set<string>();
  readonly commands: Record<string, BotCommand[]> = {};
  readonly fileIds = new Set<string>();
  /** Files users sent, by file_id: getFile and the file download route serve them. */
  readonly files = new Map<string, UserFile>();
  readonly stats: Stats = emptyStats();
  webhook: Json = { url: "" };
  allowedUpdates: string[] = [];

  private queue: Update[] = [];
  private nextUpdateId = 1;
  private readonly lastMessageId = new Map<number, number>();
  private readonly deletedIds = new Map<number, Set<number>>();
  private readonly listeners = new Set<() => void>();

  constructor(readonly bot: UserFromGetMe) {}

  /** Wakes long polls and waitFor() predicates. */
  changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  resetStats(): void {
    Object.assign(this.stats, emptyStats());
  }

  addChat(spec: ChatSpec): ChatSpec {
    const chat: ChatSpec = { ...this.chats.get(spec.id), ...definedOnly(spec) };
    this.chats.set(chat.id, chat);
    if (chat.type === "private") {
      this.ensureUser(chat.id, { firstName: chat.firstName, username: chat.username });
      this.setMember(chat.id, chat.id, "member");
    }
    return chat;
  }

  /** An undefined name keeps the one already known. */
  ensureUser(
    id: number,
    names: { firstName?: string | undefined; username?: string | undefined; languageCode?: string | undefined } = {},
  ): UserInfo {
    const existing = this.users.get(id);
    const username = names.username ?? existing?.username;
    const languageCode = names.languageCode ?? existing?.language_code;
    const user: UserInfo = {
      id,
      is_bot: false,
      first_name: names.firstName ?? existing?.first_name ?? `User ${id}`,
      ...(username ? { username } : {}),
      ...(languageCode ? { language_code: languageCode } : {}),
    };
    this.users.set(id, user);
    return user;
  }

  setMember(chatId: number, userId: number, status: MemberStatus): void {
    let members = this.members.get(chatId);
    if (!members) this.members.set(chatId, (members = new Map<number, MemberStatus>()));
    members.set(userId, status);
  }

  /** The bot's own membership: it must be an admin to post in a channel, a plain member elsewhere. */
  botStatus(chat: ChatSpec): MemberStatus {
    const explicit = this.members.get(chat.id)?.get(this.bot.id);
    if (explicit) return explicit;
    return chat.type === "channel" ? "administrator" : "member";
  }

  /** chat_id as Telegram accepts it: a number, a numeric string, or "@username" of a public chat. */
  resolveChat(chatId: unknown): ChatSpec {
    if (chatId === undefined || chatId === null || chatId === "") throw badRequest("chat_id is empty");
    if (typeof chatId === "string" && chatId.startsWith("@")) {
      const name = chatId.slice(1).toLowerCase();
      for (const chat of this.chats.values()) {
        if (chat.type !== "private" && chat.username?.toLowerCase() === name) return chat;
      }
      throw badRequest("chat not found");
    }
    const id = typeof chatId === "number" ? chatId : typeof chatId === "string" && /^-?\d+$/.test(chatId) ? Number(chatId) : NaN;
    const chat = this.chats.get(id);
    if (!chat) throw badRequest("chat not found");
    return chat;
  }

  /** The 403s Telegram answers when the bot can't write to a chat any more. */
  assertReachable(chat: ChatSpec): void {
    if (this.deactivated.has(chat.id)) throw forbidden("user is deactivated");
    const gone = this.blocked.has(chat.id) || ["left", "kicked"].includes(this.botStatus(chat));
    if (!gone) return;
    if (chat.type === "private") throw forbidden("bot was blocked by the user");
    if (chat.type === "channel") throw forbidden("bot is not a member of the channel chat");
    throw forbidden(`bot was kicked from the ${chat.type} chat`);
  }

  nextMessageId(chatId: number): number {
    const id = (this.lastMessageId.get(chatId) ?? 0) + 1;
    this.lastMessageId.set(chatId, id);
    return id;
  }

  /** True for any message that exists in the chat, sent by the bot or pushed by the test. */
  messageExists(chatId: number, messageId: number): boolean {
    if (messageId < 1 || messageId > (this.lastMessageId.get(chatId) ?? 0)) return false;
    return !this.deletedIds.get(chatId)?.has(messageId);
  }

  markDeleted(chatId: number, messageId: number): void {
    let deleted = this.deletedIds.get(chatId);
    if (!deleted) this.deletedIds.set(chatId, (deleted = new Set()));
    deleted.add(messageId);
    const record = this.findRecord(chatId, messageId);
    if (record) record.deleted = true;
  }

  findRecord(chatId: number, messageId: number): SentMessage | undefined {
    return this.records.find((r) => r.chatId === chatId && r.messageId === messageId);
  }

  lastRecord(chatId: number): SentMessage | undefined {
    return this.records.findLast((r) => r.chatId === chatId && !r.deleted);
  }

  // --- updates ---

  pushUpdate(raw: Json): Update {
    const update = { update_id: this.nextUpdateId++, ...raw } as Update;
    this.nextUpdateId = Math.max(this.nextUpdateId, update.update_id + 1);
    // Telegram does not even store updates of types the bot did not ask for.
    if (this.isAllowed(update)) this.queue.push(update);
    this.changed();
    return update;
  }

  /** getUpdates' offset: confirms (drops) everything below it; negative keeps only the last -offset updates. */
  confirm(offset: number): void {
    if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.queue = this.queue.slice(offset);
  }

  pending(limit = Infinity): Update[] {
    return this.queue.slice(0, limit);
  }

  dropPending(): void {
    this.queue = [];
  }

  private isAllowed(update: Update): boolean {
    const type = Object.keys(update).find((key) => key !== "update_id") ?? "";
    return this.allowedUpdates.length > 0 ? this.allowedUpdates.includes(type) : !OPT_IN_UPDATES.has(type);
  }

  // --- Telegram JSON shapes ---

  chatJson(chat: ChatSpec): Json {
    if (chat.type === "private") {
      const user = this.users.get(chat.id);
      return {
        id: chat.id,
        type: "private",
        first_name: chat.firstName ?? user?.first_name ?? `User ${chat.id}`,
        ...(chat.lastName ? { last_name: chat.lastName } : {}),
        ...((chat.username ?? user?.username) ? { username: chat.username ?? user?.username } : {}),
      };
    }
    return {
      id: chat.id,
      type: chat.type,
      title: chat.title ?? `Chat ${chat.id}`,
      ...(chat.username && chat.type !== "group" ? { username: chat.username } : {}),
    };
  }

  /** The Message object Telegram returns for a sent (or edited) message. */
  messageJson(record: SentMessage): Json {
    const chat = this.chats.get(record.chatId) as ChatSpec;
    const chatJson = this.chatJson(chat);
    const entities = record.entities.length > 0 ? record.entities : undefined;
    const inlineMarkup = record.buttons.length > 0 ? record.replyMarkup : undefined;
    return definedOnly({
      message_id: record.messageId,
      // Channel posts are signed by the channel, not the bot.
      ...(chat.type === "channel" ? { sender_chat: chatJson } : { from: this.bot }),
      chat: chatJson,
      date: record.date,
      edit_date: record.editedAt ? Math.floor(record.editedAt / 1000) : undefined,
      ...(record.photo
        ? {
            photo: photoSizes(record.photo.fileId, record.photo.size),
            caption: record.text || undefined,
            caption_entities: entities,
          }
        : record.document
          ? {
              document: {
                file_id: record.document.fileId,
                file_unique_id: record.document.fileId.slice(-12),
                file_name: record.document.filename,
              },
              caption: record.text || undefined,
              caption_entities: entities,
            }
          : { text: record.text, entities, link_preview_options: record.linkPreviewOptions }),
      reply_markup: inlineMarkup,
    });
  }

  memberJson(chat: ChatSpec, userId: number): Json {
    const isBot = userId === this.bot.id;
    const user = isBot ? this.bot : this.users.get(userId);
    if (!user) throw badRequest("user not found");
    const status = isBot ? this.botStatus(chat) : (this.members.get(chat.id)?.get(userId) ?? "left");
    switch (status) {
      case "creator":
        return { status, user, is_anonymous: false };
      case "administrator":
        return { status, user, ...adminRights(chat) };
      case "kicked":
        return { status, user, until_date: 0 };
      default:
        return { status, user };
    }
  }
}

function adminRights(chat: ChatSpec): Json {
  const rights: Json = {
    can_be_edited: false,
    is_anonymous: false,
    can_manage_chat: true,
    can_delete_messages: true,
    can_manage_video_chats: true,
    can_restrict_members: true,
    can_promote_members: false,
    can_change_info: true,
    can_invite_users: true,
    can_post_stories: true,
    can_edit_stories: true,
    can_delete_stories: true,
  };
  if (chat.type === "channel") Object.assign(rights, { can_post_messages: true, can_edit_messages: true });
  else Object.assign(rights, { can_pin_messages: true });
  return rights;
}

function photoSizes(fileId: string, size = 1024): Json[] {
  return [
    { file_id: `${fileId}-s`, file_unique_id: `${fileId.slice(-8)}s`, width: 90, height: 90, file_size: Math.min(size, 1200) },
    { file_id: fileId, file_unique_id: `${fileId.slice(-8)}m`, width: 320, height: 320, file_size: size },
  ];
}

function emptyStats(): Stats {
  return { requests: 0, byMethod: {}, tooManyRequests: 0, errors: [], fileDownloads: 0 };
}

/** T with its undefined values dropped: a key that may hold undefined becomes optional, and never undefined. */
export type DefinedOnly<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

export function definedOnly<T extends object>(value: T): DefinedOnly<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as DefinedOnly<T>;
}
