import { isUploadedFile, type Params } from "./body.js";
import { ApiError, badRequest, tooManyRequests } from "./errors.js";
import { commandsKey, validateCommands } from "./commands.js";
import { formatText, MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH, type FormattedText } from "./format.js";
import { linkPreview, parseReplyMarkup, type ReplyMarkup } from "./markup.js";
import type { RateLimiter } from "./rate-limit.js";
import { definedOnly, now, type TelegramState } from "./state.js";
import type { ChatSpec, MessageVersion, PhotoRecord, SentMessage } from "./types.js";

export interface CallContext {
  /** Aborted when the client goes away or the server closes. */
  signal: AbortSignal;
}

export interface MethodEnv {
  state: TelegramState;
  limiter: RateLimiter;
  strictHtml: () => boolean;
}

type Handler = (params: Params, call: CallContext) => unknown;

/** Methods that send or change messages, and so count against flood limits (getUpdates, getMe, ... don't). */
export const SEND_METHODS = new Set(["sendMessage", "sendPhoto", "editMessageText", "editMessageReplyMarkup", "sendDocument"]);

/** Bots can download files of up to 20 MB through the cloud Bot API (getFile). */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
/** Telegram deletes a message only within 48 hours of its sending. */
const DELETE_WINDOW_SECONDS = 48 * 3600;

const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

/** Bot API methods by lower-cased name (Telegram matches method names case-insensitively). */
export function createMethods(env: MethodEnv): Map<string, { name: string; handler: Handler }> {
  const { state, limiter } = env;
  let pollAbort: AbortController | undefined;
  let fileCounter = 0;

  /** Flood control happens on Telegram's side, i.e. after the Bot API server accepted the request. */
  const sendQuota = (chat: ChatSpec): void => {
    const retryAfter = limiter.take(chat.id, chat.type);
    if (retryAfter > 0) throw tooManyRequests(retryAfter);
  };

  const format = (raw: unknown, params: Params, entitiesKey: string, limit: number, tooLong: string) => {
    const formatted = formatText(raw, params.parse_mode, params[entitiesKey], env.strictHtml());
    if (formatted.text.length > limit) throw badRequest(tooLong);
    return formatted;
  };

  const record = (method: string, chat: ChatSpec, params: Params, content: MessageVersion, extra: Partial<SentMessage>) => {
    const sent: SentMessage = {
      method,
      chatId: chat.id,
      messageId: state.nextMessageId(chat.id),
      date: now(),
      history: [],
      params,
      ...content,
      ...extra,
    };
    state.records.push(sent);
    state.changed();
    return state.messageJson(sent);
  };

  const handlers: Record<string, Handler> = {
    getMe: () => state.bot,

    async getUpdates(params, call) {
      if (state.webhook.url) {
        throw new ApiError(
          409,
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        );
      }
      const limit = Math.min(100, Math.max(1, int(params.limit) ?? 100));
      const timeout = Math.max(0, int(params.timeout) ?? 0);
      if (Array.isArray(params.allowed_updates)) state.allowedUpdates = params.allowed_updates.map(String);
      state.confirm(int(params.offset) ?? 0);

      // Only one getUpdates may be pending: a newer request ends the older one with 409, as on Telegram.
      pollAbort?.abort();
      const poll = new AbortController();
      pollAbort = poll;
      try {
        if (state.pending().length === 0 && timeout > 0) {
          await waitForChange(state, timeout * 1000, [call.signal, poll.signal]);
        }
        if (poll.signal.aborted && !call.signal.aborted) {
          throw new ApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
        }
        return state.pending(limit);
      } finally {
        if (pollAbort === poll) pollAbort = undefined;
      }
    },

    setWebhook(params) {
      const url = typeof params.url === "string" ? params.url : "";
      if (url && !url.startsWith("https://")) throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
      if (params.drop_pending_updates === true || params.drop_pending_updates === "true") state.dropPending();
      if (Array.isArray(params.allowed_updates)) state.allowedUpdates = params.allowed_updates.map(String);
      state.webhook = definedOnly({ url, max_connections: url ? (int(params.max_connections) ?? 40) : undefined });
      state.changed();
      return true;
    },

    deleteWebhook(params) {
      if (params.drop_pending_updates === true || params.drop_pending_updates === "true") state.dropPending();
      state.webhook = { url: "" };
      state.changed();
      return true;
    },

    getWebhookInfo: () => ({
      has_custom_certificate: false,
      pending_update_count: state.pending().length,
      ...state.webhook,
      ...(state.webhook.url && state.allowedUpdates.length ? { allowed_updates: state.allowedUpdates } : {}),
    }),

    sendMessage(params) {
      const content = format(params.text, params, "entities", MAX_TEXT_LENGTH, "message is too long");
      if (!content.text) throw badRequest("message text is empty");
      const markup = parseReplyMarkup(params.reply_markup);
      const chat = state.resolveChat(params.chat_id);
      checkReplyTarget(state, chat, params);
      sendQuota(chat);
      state.assertReachable(chat);
      return record("sendMessage", chat, params, version(params.text, params, content, markup), {
        linkPreviewOptions: linkPreview(params),
      });
    },

    sendPhoto(params) {
      const content = format(params.caption, params, "caption_entities", MAX_CAPTION_LENGTH, "message caption is too long");
      const markup = parseReplyMarkup(params.reply_markup);
      const photo = resolvePhoto(params, state, () => `AgACAgQAAxkDAAI${(++fileCounter).toString().padStart(4, "0")}fake`);
      const chat = state.resolveChat(params.chat_id);
      checkReplyTarget(state, chat, params);
      sendQuota(chat);
      state.assertReachable(chat);
      state.fileIds.add(photo.fileId);
      return record("sendPhoto", chat, params, version(params.caption, params, content, markup), {
        photo,
        caption: content.text,
      });
    },

    sendDocument(params) {
      const content = format(params.caption, params, "caption_entities", MAX_CAPTION_LENGTH, "message caption is too long");
      const markup = parseReplyMarkup(params.reply_markup);
      let file = params.document;
      if (typeof file === "string" && file.startsWith("attach://")) file = params[file.slice("attach://".length)];
      // Only uploads are modelled: the bot sends files it makes (feeds.opml).
      if (!isUploadedFile(file)) throw badRequest("there is no document in the request");
      if (file.data.length === 0) throw badRequest("file must be non-empty");
      const chat = state.resolveChat(params.chat_id);
      sendQuota(chat);
      state.assertReachable(chat);
      const fileId = `BQACAgQAAxkDAAI${(++fileCounter).toString().padStart(4, "0")}fake`;
      return record("sendDocument", chat, params, version(params.caption, params, content, markup), {
        document: { fileId, filename: file.filename, data: file.data },
      });
    },

    editMessageText(params) {
      const content = format(params.text, params, "entities", MAX_TEXT_LENGTH, "message is too long");
      if (!content.text) throw badRequest("message text is empty");
      const markup = parseReplyMarkup(params.reply_markup);
      const { chat, sent } = editTarget(state, params);
      if (sent.photo) throw badRequest("there is no text in the message to edit");
      // Without reply_markup the edit removes the inline keyboard, exactly as on Telegram.
      const next = version(params.text, params, content, markup);
      if (sameContent(sent, next)) throw badRequest(NOT_MODIFIED);
      sendQuota(chat);
      state.assertReachable(chat);
      applyEdit(sent, next);
      if (params.link_preview_options !== undefined || params.disable_web_page_preview !== undefined) {
        sent.linkPreviewOptions = linkPreview(params);
      }
      state.changed();
      return state.messageJson(sent);
    },

    editMessageReplyMarkup(params) {
      const markup = parseReplyMarkup(params.reply_markup);
      const { chat, sent } = editTarget(state, params);
      const next: MessageVersion = { ...currentVersion(sent), buttons: markup.buttons, replyMarkup: markup.raw };
      if (sameContent(sent, next)) throw badRequest(NOT_MODIFIED);
      sendQuota(chat);
      state.assertReachable(chat);
      applyEdit(sent, next);
      state.changed();
      return state.messageJson(sent);
    },

    deleteMessage(params) {
      const chat = state.resolveChat(params.chat_id);
      const messageId = int(params.message_id);
      if (messageId === undefined) throw badRequest("message identifier is not specified");
      if (!state.messageExists(chat.id, messageId)) throw badRequest("message to delete not found");
      const record = state.findRecord(chat.id, messageId);
      if (record && now() - record.date > DELETE_WINDOW_SECONDS) throw badRequest("message can't be deleted for everyone");
      state.markDeleted(chat.id, messageId);
      state.changed();
      return true;
    },

    sendChatAction(params) {
      const chat = state.resolveChat(params.chat_id);
      state.assertReachable(chat);
      return true;
    },

    answerCallbackQuery(params) {
      const id = typeof params.callback_query_id === "string" ? params.callback_query_id : JSON.stringify(params.callback_query_id ?? "");
      if (!state.openCallbackQueries.has(id)) {
        throw badRequest("query is too old and response timeout expired or query ID is invalid");
      }
      if (typeof params.text === "string" && params.text.length > 200) throw badRequest("MESSAGE_TOO_LONG");
      state.openCallbackQueries.delete(id);
      state.callbackAnswers.push(params);
      state.changed();
      return true;
    },

    setMyCommands(params) {
      const key = commandsKey(state, params.scope, params.language_code);
      const commands = validateCommands(params.commands);
      if (commands.length === 0) delete state.commands[key];
      else state.commands[key] = commands;
      state.changed();
      return true;
    },

    getMyCommands: (params) => state.commands[commandsKey(state, params.scope, params.language_code)] ?? [],

    deleteMyCommands(params) {
      delete state.commands[commandsKey(state, params.scope, params.language_code)];
      state.changed();
      return true;
    },

    getChat(params) {
      const chat = state.resolveChat(params.chat_id);
      return { ...state.chatJson(chat), accent_color_id: 0, max_reaction_count: 11 };
    },

    getChatMember(params) {
      const chat = state.resolveChat(params.chat_id);
      const userId = int(params.user_id);
      if (userId === undefined) throw badRequest("user_id is empty");
      return state.memberJson(chat, userId);
    },

    getChatAdministrators(params) {
      const chat = state.resolveChat(params.chat_id);
      if (chat.type === "private") throw badRequest("there are no administrators in the private chat");
      const ids = new Set([...(state.members.get(chat.id)?.keys() ?? []), state.bot.id]);
      return [...ids]
        .map((id) => state.memberJson(chat, id))
        .filter((member) => member.status === "creator" || member.status === "administrator");
    },

    getFile(params) {
      const file = typeof params.file_id === "string" ? state.files.get(params.file_id) : undefined;
      if (!file) throw badRequest("invalid file_id");
      if (file.data.length > MAX_DOWNLOAD_BYTES) throw badRequest("file is too big");
      return { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.data.length, file_path: file.filePath };
    },
  };

  return new Map(Object.entries(handlers).map(([name, handler]) => [name.toLowerCase(), { name, handler }]));
}

// --- helpers ---

export function int(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

/** Resolves when the state changes, the timeout passes, or any signal aborts. */
export function waitForChange(state: TelegramState, timeoutMs: number, signals: AbortSignal[]): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      off();
      for (const signal of signals) signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const off = state.onChange(() => {
      if (state.pending().length > 0) done();
    });
    for (const signal of signals) {
      if (signal.aborted) return done();
      signal.addEventListener("abort", done, { once: true });
    }
  });
}

function version(raw: unknown, params: Params, content: FormattedText, markup: ReplyMarkup): MessageVersion {
  return definedOnly({
    text: content.text,
    html: raw === undefined || raw === null ? "" : typeof raw === "string" ? raw : JSON.stringify(raw),
    parseMode: typeof params.parse_mode === "string" ? params.parse_mode : undefined,
    entities: content.entities,
    links: content.links,
    buttons: markup.buttons,
    replyMarkup: markup.raw,
  });
}

function currentVersion(sent: SentMessage): MessageVersion {
  const { text, html, parseMode, entities, links, buttons, replyMarkup, editedAt } = sent;
  return definedOnly({ text, html, parseMode, entities, links, buttons, replyMarkup, editedAt });
}

function applyEdit(sent: SentMessage, next: MessageVersion): void {
  sent.history.push(currentVersion(sent));
  delete sent.parseMode;
  delete sent.replyMarkup;
  Object.assign(sent, next, { editedAt: Date.now() });
}

function sameContent(sent: SentMessage, next: MessageVersion): boolean {
  return (
    sent.text === next.text &&
    JSON.stringify(sent.entities) === JSON.stringify(next.entities) &&
    JSON.stringify(sent.buttons) === JSON.stringify(next.buttons)
  );
}

function editTarget(state: TelegramState, params: Params): { chat: ChatSpec; sent: SentMessage } {
  if (params.inline_message_id !== undefined) throw badRequest("MESSAGE_ID_INVALID");
  const chat = state.resolveChat(params.chat_id);
  const messageId = int(params.message_id);
  if (messageId === undefined) throw badRequest("message identifier is not specified");
  const sent = state.findRecord(chat.id, messageId);
  if (!sent || sent.deleted) {
    // Messages that exist but weren't sent by the bot can't be edited by it.
    throw badRequest(state.messageExists(chat.id, messageId) ? "message can't be edited" : "message to edit not found");
  }
  return { chat, sent };
}

function checkReplyTarget(state: TelegramState, chat: ChatSpec, params: Params): void {
  const reply = params.reply_parameters as { message_id?: unknown; allow_sending_without_reply?: unknown } | undefined;
  const messageId = int(reply?.message_id ?? params.reply_to_message_id);
  if (messageId === undefined || reply?.allow_sending_without_reply === true) return;
  if (!state.messageExists(chat.id, messageId)) throw badRequest("message to be replied not found");
}

function resolvePhoto(params: Params, state: TelegramState, newFileId: () => string): PhotoRecord {
  let photo = params.photo;
  if (photo === undefined || photo === null || photo === "") throw badRequest("there is no photo in the request");
  if (typeof photo === "string" && photo.startsWith("attach://")) {
    photo = params[photo.slice("attach://".length)];
    if (!isUploadedFile(photo)) throw badRequest("wrong file identifier/HTTP URL specified");
  }
  if (isUploadedFile(photo)) {
    if (photo.data.length === 0) throw badRequest("file must be non-empty");
    return { source: "upload", fileId: newFileId(), filename: photo.filename, size: photo.data.length, data: photo.data };
  }
  if (typeof photo === "string" && /^https?:\/\//i.test(photo) && URL.canParse(photo)) {
    return { source: "url", fileId: newFileId(), url: photo };
  }
  if (typeof photo === "string" && state.fileIds.has(photo)) return { source: "file_id", fileId: photo };
  throw badRequest("wrong file identifier/HTTP URL specified");
}
