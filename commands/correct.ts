import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { correctArticle, correctedCard, withFields, type CorrectedFields } from "../src/delivery/revisions.js";
import { renderArticleCard } from "../src/format/card.js";
import { deskButton } from "../src/desk/buttons.js";
import type { Dialog, DialogDefinition } from "../src/desk/dialog.js";
import { askEditText, editButtons } from "../src/desk/preview.js";
import { isPrivateChat, replyDeskPrivateOnly } from "../src/bot/reply.js";
import { confirmKeyboard, pickPublished, queueRevision } from "../src/desk/revision.js";

/** /correct (admins): opens the correction dialog in the private chat, anew if one was open. */
export const correctCommand = new Composer<BotContext>();

correctCommand.command("correct", async (ctx) => {
  if (!isPrivateChat(ctx)) return replyDeskPrivateOnly(ctx, "correct");
  await ctx.conversation.exitAll();
  await ctx.conversation.enter(correctDialog.id);
});

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
  if (!(await showCorrection(dialog, articleId, fields))) return;
  for (;;) {
    const input = await dialog.next();
    if (input === undefined) return;
    if (input.kind === "text") {
      await dialog.say("dialog-hint");
      continue;
    }
    const { action, queryId } = input;
    if (action.kind === "edit") {
      await dialog.answer(queryId);
      const text = await askEditText(dialog, action.field);
      if (text === undefined) return;
      fields = { ...fields, [action.field]: text };
      if (!(await showCorrection(dialog, articleId, fields))) return;
    } else if (action.kind === "cancel") {
      await dialog.answer(queryId);
      await dialog.say("dialog-cancelled");
      return;
    } else if (action.kind === "confirm" && action.articleId === articleId && Object.keys(fields).length > 0) {
      await dialog.answer(queryId);
      const request = { articleId, chatId: dialog.chatId, retract: false, queue: () => correctArticle(dialog.services, articleId, fields) };
      await dialog.run(() => queueRevision(dialog.services, dialog.api, request));
      return;
    } else await dialog.pass();
  }
}

/**
 * The card as it is (before any edit), or the corrected card with its "Updated" line and "Send correction (N messages)";
 * false (and said) when the story is gone or was retracted meanwhile.
 */
async function showCorrection(dialog: Dialog, articleId: number, fields: CorrectedFields): Promise<boolean> {
  const { store, templates, config, clock } = dialog.services;
  const edited = Object.keys(fields).length > 0;
  const preview = await dialog.run(async () => {
    const article = await store.articles.get(articleId);
    if (article === undefined || article.retractedAt !== undefined) return undefined;
    const text = edited
      ? correctedCard(withFields(article, fields), dialog.services, new Date(clock.now()))
      : renderArticleCard(article, templates, { timeZone: config.schedule.timeZone });
    return { text, link: article.link, messages: (await store.outbox.revisable(articleId)).sent };
  });
  if (preview === undefined) {
    await dialog.say("callback-expired");
    return false;
  }
  const send = edited
    ? deskButton(templates, "button-correction-send", { messages: preview.messages }, { kind: "confirm", articleId })
    : undefined;
  await dialog.sendHtml(preview.text, {
    link_preview_options: preview.link ? { url: preview.link } : { is_disabled: true },
    reply_markup: confirmKeyboard(dialog.services, send, [editButtons(templates)]),
  });
  return true;
}
