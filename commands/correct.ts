import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { correctArticle, type CorrectedFields } from "../src/delivery/revisions.js";
import { openDialog, type Dialog, type DialogDefinition } from "../src/desk/dialog.js";
import { askEditText } from "../src/desk/preview.js";
import { pickPublished, queueRevision, showRevision } from "../src/desk/revision.js";

/** /correct (admins): opens the correction dialog in the private chat, anew if one was open. */
export const correctCommand = new Composer<BotContext>();

correctCommand.command("correct", (ctx) => openDialog(ctx, "correct", correctDialog));

export const correctDialog: DialogDefinition = { id: "correct", run: runCorrect };

/**
 * Pick a published story, edit its headline or summary (nothing is stored until the correction is sent), preview the
 * corrected card with its "Updated" line, then send the correction: the channel post and the alerts already sent are
 * edited, and those not sent yet go out corrected.
 */
async function runCorrect(dialog: Dialog): Promise<void> {
  const articleId = await pickPublished(dialog, false);
  if (articleId === undefined) return;
  let fields: CorrectedFields = {};
  if (!(await showRevision(dialog, { articleId, retract: false, fields }))) return;
  for (;;) {
    const press = await dialog.nextPress();
    if (press === undefined) return;
    const { action, queryId } = press;
    if (action.kind === "edit") {
      await dialog.answer(queryId);
      const text = await askEditText(dialog, action.field);
      if (text === undefined) return;
      fields = { ...fields, [action.field]: text };
      if (!(await showRevision(dialog, { articleId, retract: false, fields }))) return;
    } else if (action.kind === "confirm" && action.articleId === articleId && Object.keys(fields).length > 0) {
      await dialog.answer(queryId);
      const request = { articleId, chatId: dialog.chatId, retract: false, queue: () => correctArticle(dialog.services, articleId, fields) };
      await dialog.run(() => queueRevision(dialog.services, dialog.api, request));
      return;
    } else await dialog.pass();
  }
}
