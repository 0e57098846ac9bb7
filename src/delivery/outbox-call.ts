import { GrammyError, type Api } from "grammy";
import type { OutboxRow } from "../store/index.js";
import { numericChatId } from "./pacing.js";

/** How a row goes out, decided by the engine at send time. */
export interface CallOptions {
  paidBroadcast: boolean;
  silent: boolean;
}

/** Telegram's answers that mean an edit or a deletion has nothing left to do. */
const NOT_MODIFIED = /message is not modified/i;
const ALREADY_DELETED = /message to delete not found/i;
/** Messages older than 48 hours (and some in channels) cannot be deleted: they are edited into the notice instead. */
const UNDELETABLE = /message can't be deleted/i;

const refused = (error: unknown, answer: RegExp): boolean =>
  error instanceof GrammyError && error.error_code === 400 && answer.test(error.description);

/** What a call did: the message id the row stands for, and whether a retraction edited it into the notice. */
export interface CallResult {
  messageId: number;
  /** A retraction's message Telegram would not delete (older than 48 hours): it now reads the notice. */
  replacedByNotice?: true;
}

/**
 * The one Telegram call of an outbox row: a new message (post, push, alert, digest), an edit of the target's message
 * (correction; "not modified" is done), or its deletion (retraction; "not found" is done, and a message Telegram will
 * not delete is edited into the row's notice). Returns the message id the row stands for, and whether it was edited
 * into the notice. A correction or retraction
 * reaches here only with a sent target (the engine sees to it).
 */
export async function callTelegram(api: Api, row: OutboxRow, options: CallOptions): Promise<CallResult> {
  // Numeric ids go to Telegram as numbers; a channel's @name as it is.
  const chatId = numericChatId(row.chatId) ?? row.chatId;
  const linkPreview = row.payload.linkPreviewUrl ? { url: row.payload.linkPreviewUrl } : { is_disabled: true };
  const edit = async (messageId: number): Promise<void> => {
    try {
      await api.editMessageText(chatId, messageId, row.payload.text, { parse_mode: "HTML", link_preview_options: linkPreview });
    } catch (error) {
      if (!refused(error, NOT_MODIFIED)) throw error;
    }
  };
  if (row.kind === "correction" || row.kind === "retraction") {
    const messageId = row.target?.messageId;
    if (messageId === undefined) throw new Error(`outbox row ${row.id}: its target has no message id`);
    if (row.kind === "correction") {
      await edit(messageId);
      return { messageId };
    }
    try {
      await api.deleteMessage(chatId, messageId);
    } catch (error) {
      if (!refused(error, UNDELETABLE)) {
        if (!refused(error, ALREADY_DELETED)) throw error;
        return { messageId };
      }
      await edit(messageId);
      return { messageId, replacedByNotice: true };
    }
    return { messageId };
  }
  const message = await api.sendMessage(chatId, row.payload.text, {
    parse_mode: "HTML",
    link_preview_options: linkPreview,
    ...(options.paidBroadcast ? { allow_paid_broadcast: true } : {}),
    ...(options.silent ? { disable_notification: true } : {}),
  });
  return { messageId: message.message_id };
}
