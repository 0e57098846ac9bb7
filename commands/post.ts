import { Composer } from "grammy";
import type { Document, InlineKeyboardMarkup } from "grammy/types";
import type { BotContext } from "../src/bot/context.js";
import { DocumentError, documentSource, isTextFile, readDocument, unreadable } from "../src/bot/read-document.js";
import { ingestRawText } from "../src/ingest/desk.js";
import { RawArticleError } from "../src/ingest/raw-text.js";
import { deskButton } from "../src/desk/buttons.js";
import { openDialog, type Dialog, type DialogDefinition } from "../src/desk/dialog.js";
import { previewAndPublish } from "../src/desk/preview.js";

/** Telegram's longest message: a paste longer than this arrives in several messages. */
const MESSAGE_MAX_CHARS = 4096;
/** A part this close to the limit was cut by Telegram, not ended by the admin. */
const CUT_MARGIN_CHARS = 200;

/** /post (admins): opens the paste dialog in the private chat, anew if one was open. */
export const postCommand = new Composer<BotContext>();

postCommand.command("post", (ctx) => openDialog(ctx, "post", postDialog));

export const postDialog: DialogDefinition = { id: "post", run: runPost };

/**
 * Takes the pasted article, in as many messages as it comes, until Done; cleans, summarizes and stores it as the ingest
 * CLI does (ingestRawText, not queued: publishing is the editor's call), then the preview and publish steps of /push.
 */
async function runPost(dialog: Dialog): Promise<void> {
  await dialog.say("post-ask", {}, doneKeyboard(dialog));
  let parts: string[] = [];
  for (;;) {
    const input = await dialog.next({ documents: true });
    if (input === undefined) return;
    if (input.kind !== "press") {
      const part = input.kind === "text" ? input.text : await readPart(dialog, input.document);
      if (part === undefined) continue;
      parts = [...parts, part];
      const chars = parts.reduce((sum, text) => sum + text.length, 0);
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

/** A .txt file's text, as a pasted part; undefined (the admin was told why) for another file or one that cannot be read. */
async function readPart(dialog: Dialog, document: Document): Promise<string | undefined> {
  if (!isTextFile(document)) {
    await dialog.say("post-file-refused", {}, doneKeyboard(dialog));
    return undefined;
  }
  const read = await dialog.run(async () => {
    try {
      // Trimmed as Telegram trims a pasted message.
      return { text: (await readDocument(document, documentSource(dialog.services, dialog.api))).trim() };
    } catch (error) {
      if (!(error instanceof DocumentError)) throw error;
      dialog.services.logger.warn({ file: document.file_name, err: error }, "admin's file not read");
      return { unreadable: unreadable(error) };
    }
  });
  if ("text" in read) return read.text;
  await dialog.say("document-unreadable", read.unreadable, doneKeyboard(dialog));
  return undefined;
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
  const done = deskButton(dialog.services.templates, "button-post-done", {}, { kind: "done" });
  return { reply_markup: { inline_keyboard: [[done]] } };
}
