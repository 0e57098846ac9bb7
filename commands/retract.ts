import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { retractArticle } from "../src/delivery/revisions.js";
import { openDialog, type Dialog, type DialogDefinition } from "../src/desk/dialog.js";
import { pickPublished, queueRevision, showRevision } from "../src/desk/revision.js";

/** /retract (admins): opens the retraction dialog in the private chat, anew if one was open. */
export const retractCommand = new Composer<BotContext>();

retractCommand.command("retract", (ctx) => openDialog(ctx, "retract", retractDialog));

export const retractDialog: DialogDefinition = { id: "retract", run: runRetract };

/**
 * Pick a published story, see its card, then "Retract (N sent messages)": the story leaves /latest and /topic, the
 * channel post and the alerts are deleted (or edited into the retraction notice where Telegram will not delete them),
 * and what was not sent yet is cancelled.
 */
async function runRetract(dialog: Dialog): Promise<void> {
  const articleId = await pickPublished(dialog, true);
  if (articleId === undefined) return;
  if (!(await showRevision(dialog, { articleId, retract: true }))) return;
  for (;;) {
    const press = await dialog.nextPress();
    if (press === undefined) return;
    if (press.action.kind === "confirm" && press.action.articleId === articleId) {
      await dialog.answer(press.queryId);
      const request = { articleId, chatId: dialog.chatId, retract: true, queue: () => retractArticle(dialog.services, articleId) };
      await dialog.run(() => queueRevision(dialog.services, dialog.api, request));
      return;
    } else await dialog.pass();
  }
}
