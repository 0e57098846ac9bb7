import { Composer } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { BotContext } from "../src/bot/context.js";
import { ingestRawText } from "../src/ingest/desk.js";
import { RawArticleError } from "../src/ingest/raw-text.js";
import { encodeDesk } from "./desk-buttons.js";
import type { Dialog, DialogDefinition } from "./dialog.js";
import { label, previewAndPublish } from "./push.js";
import { isPrivateChat, replyDeskPrivateOnly } from "./reply.js";

/** Telegram's longest message: a paste longer than this arrives in several messages. */
const MESSAGE_MAX_CHARS = 4096;
/** A part this close to the limit was cut by Telegram, not ended by the admin. */
const CUT_MARGIN_CHARS = 200;

/** /post (admins): opens the paste dialog in the private chat, anew if one was open. */
export const postCommand = new Composer<BotContext>();

postCommand.command("post", async (ctx) => {
  if (!isPrivateChat(ctx)) return replyDeskPrivateOnly(ctx, "post");
  await ctx.conversation.exitAll();
  await ctx.conversation.enter(postDialog.id);
});

export const postDialog: DialogDefinition = { id: "post", run: runPost };

/**
 * Takes the pasted article, in as many messages as it comes, until Done; cleans, summarizes and stores it as the ingest
 * CLI does (ingestRawText, not queued: publishing is the editor's call), then the preview and publish steps of /push.
 */
async function runPost(dialog: Dialog): Promise<void> {
  await dialog.say("post-ask", {}, doneKeyboard(dialog));
  let parts: string[] = [];
  for (;;) {
    const input = await dialog.next();
    if (input === undefined) return;
    if (input.kind === "text") {
      parts = [...parts, input.text];
      const chars = parts.reduce((sum, part) => sum + part.length, 0);
      await dialog.say("post-received", { parts: parts.length, several: parts.length > 1, chars }, doneKeyboard(dialog));
    } else if (input.action.kind !== "done") await dialog.pass();
    else if (parts.length === 0) {
      await dialog.answer(input.queryId);
      await dialog.say("post-empty", {}, doneKeyboard(dialog));
    } else {
      await dialog.answer(input.queryId);
      const stored = await dialog.run(() => storePaste(dialog, joinPastedParts(parts)));
      if ("articleId" in stored) return previewAndPublish(dialog, stored.articleId);
      parts = [];
      await dialog.say("post-refused", { reason: stored.refused });
    }
  }
}

/** The article's id, or why the paste cannot be used (the admin pastes again). JSON: the dialog's state keeps it. */
async function storePaste(dialog: Dialog, text: string): Promise<{ articleId: number } | { refused: string }> {
  const { store, clock, aliases, config } = dialog.services;
  try {
    const { article } = await ingestRawText(text, { store, clock, aliases, summaryMaxChars: config.ingest.summaryMaxChars });
    return { articleId: article.id };
  } catch (error) {
    if (error instanceof RawArticleError) return { refused: error.message };
    throw error;
  }
}

/**
 * The messages of one paste as the text pasted. Telegram trims each part, so the line breaks at a cut are lost: a part
 * cut near the limit in the middle of a sentence goes on with a space; otherwise the cut was between paragraphs, which
 * are separated as the paste separates them (a blank line, or a line break when it has no blank lines).
 */
export function joinPastedParts(parts: readonly string[]): string {
  const paragraphBreak = parts.some((part) => /\n\s*\n/.test(part)) ? "\n\n" : "\n";
  return parts.map((part, i) => (i === 0 ? "" : wasCutMidSentence(parts[i - 1] ?? "") ? " " : paragraphBreak) + part).join("");
}

function wasCutMidSentence(part: string): boolean {
  return part.length >= MESSAGE_MAX_CHARS - CUT_MARGIN_CHARS && !/[.!?:"'”’)\]]$/.test(part.trimEnd());
}

function doneKeyboard(dialog: Dialog): { reply_markup: InlineKeyboardMarkup } {
  const done = { text: label(dialog.services.templates, "button-post-done", {}), callback_data: encodeDesk({ kind: "done" }) };
  return { reply_markup: { inline_keyboard: [[done]] } };
}
