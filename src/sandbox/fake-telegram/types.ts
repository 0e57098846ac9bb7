import type { Params } from "./body.js";
import type { MessageEntity } from "./html.js";
import type { RateLimitOptions } from "./rate-limit.js";

export type ChatType = "private" | "group" | "supergroup" | "channel";

/** Given to addChat, an undefined field keeps what an earlier addChat said (as an absent one does). */
export interface ChatSpec {
  id: number;
  type: ChatType;
  title?: string | undefined;
  /** Without "@". Channels and supergroups with a username can be addressed as chat_id "@username". */
  username?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
}

export type MemberStatus = "creator" | "administrator" | "member" | "restricted" | "left" | "kicked";

export interface Button {
  text: string;
  callbackData?: string;
  url?: string;
}

export interface PhotoRecord {
  source: "upload" | "url" | "file_id";
  /** The file_id Telegram assigned (or was given); reusable in later sendPhoto calls. */
  fileId: string;
  url?: string;
  filename?: string;
  size?: number;
  data?: Buffer;
}

/** One version of a message's content; edits push the previous version to `history`. */
export interface MessageVersion {
  /** Plain text after parsing (the caption's text for photos). */
  text: string;
  /** The raw text or caption as sent, markup included. */
  html: string;
  parseMode?: string;
  entities: MessageEntity[];
  /** hrefs of the <a> tags (or text_link urls of explicit entities). */
  links: string[];
  buttons: Button[][];
  replyMarkup?: unknown;
  /** Date.now() of the edit that produced this version. */
  editedAt?: number;
}

export interface SentMessage extends MessageVersion {
  method: string;
  chatId: number;
  messageId: number;
  /** Unix seconds, as in Message.date. */
  date: number;
  /** The call's preview options; undefined is Telegram's default preview (an edit may set it back to that). */
  linkPreviewOptions?: Record<string, unknown> | undefined;
  caption?: string;
  photo?: PhotoRecord;
  /** sendDocument's upload. */
  document?: { fileId: string; filename: string; data: Buffer };
  deleted?: boolean;
  /** Earlier versions, oldest first. */
  history: MessageVersion[];
  /** All parameters of the sending call, for assertions on anything not modelled above. */
  params: Params;
}

interface FaultScope {
  /** Method name (case-insensitive); all methods when omitted. */
  method?: string;
  /** Number of requests to fail; unlimited when omitted (see untilMs). */
  times?: number;
  /** Date.now()-based timestamp after which the fault no longer applies. */
  untilMs?: number;
}

/** Answer with an error, or never answer. */
export interface ErrorFault extends FaultScope {
  status: number;
  description: string;
  retryAfter?: number;
  /** Other response parameters, e.g. { migrate_to_chat_id }. */
  parameters?: Record<string, unknown>;
  /** Never answer: hold the request until the client aborts it or the server closes. */
  hang?: boolean;
}

/** Cut the connection without an answer, as a network failure does: the client sees ECONNRESET ("socket hang up"). */
export interface ResetFault extends FaultScope {
  reset: true;
}

export type Fault = ErrorFault | ResetFault;

export interface FaultHandle {
  /** Requests this fault has answered so far. */
  readonly hits: number;
  remove(): void;
}

export interface ErrorRecord {
  method: string;
  status: number;
  description: string;
  chatId?: number | string;
}

export interface Stats {
  requests: number;
  byMethod: Record<string, number>;
  tooManyRequests: number;
  errors: ErrorRecord[];
  /** Files served by GET /file/bot<token>/<file_path>. */
  fileDownloads: number;
}

export interface FakeTelegramOptions {
  token?: string;
  username?: string;
  firstName?: string;
  rateLimit?: RateLimitOptions | null;
  latencyMs?: number;
  /** See HtmlParseOptions.strict; default true. */
  strictHtml?: boolean;
}

export interface PushMessageInput {
  userId: number;
  text: string;
  /** Defaults to userId (the private chat with that user). */
  chatId?: number;
  chatType?: ChatType;
  username?: string;
  firstName?: string;
  languageCode?: string;
}

/** A file a user sends (the paperclip in the apps): the update carries message.document, getFile serves the bytes. */
export interface PushDocumentInput {
  userId: number;
  data: Buffer;
  fileName: string;
  mimeType: string;
  caption?: string;
  /** Defaults to userId (the private chat with that user). */
  chatId?: number;
  chatType?: ChatType;
}

export interface PushCallbackQueryInput {
  userId: number;
  data: string;
  /** Defaults to userId (the private chat with that user). */
  chatId?: number;
  /** Defaults to the last message the bot sent to that chat. */
  messageId?: number;
}
