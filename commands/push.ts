import { Composer } from "grammy";
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { BotContext } from "../src/bot/context.js";
import { formatAge } from "../src/format/age.js";
import { renderArticleCard } from "../src/format/card.js";
import { htmlToPlainText } from "../src/format/plain-text.js";
import { cutAtWord } from "../src/summarize/index.js";
import type { Exactly, TemplateName, Templates, TemplateValues } from "../src/format/templates.js";
import { answerButton, answerExpired } from "./buttons.js";
import { encodeDesk, parseDesk, DESK_DATA } from "./desk-buttons.js";
import type { Dialog, DialogDefinition } from "./dialog.js";
import { postLink, publishPush } from "./push-publish.js";
import { isPrivateChat, replyTemplate } from "./reply.js";

/** Stories offered as buttons in the first step. */
export const PICK_COUNT = 8;
const MAX_LABEL_CHARS = 64;
const MAX_SOURCE_CHARS = 20;
/** An edited headline: a line, as feeds give them (the card cuts longer ones, which an editor should not rely on). */
export const MAX_HEADLINE_CHARS = 200;

/** /push (admins): opens the push dialog in the private chat, anew if one was open. */
export const pushCommand = new Composer<BotContext>();

pushCommand.command("push", async (ctx) => {
  if (!isPrivateChat(ctx)) return replyTemplate(ctx, "desk-private-only", { command: "push", botUsername: ctx.me.username });
  await ctx.conversation.exitAll();
  await ctx.conversation.enter(pushDialog.id);
});

/** A desk button pressed outside its dialog: Publish says whether the story is out already; anything else has expired. */
pushCommand.callbackQuery(DESK_DATA, async (ctx) => {
  const action = parseDesk(ctx.callbackQuery.data);
  const article = action?.kind === "publish" ? await ctx.services.store.articles.get(action.articleId) : undefined;
  if (article?.releasedAt === undefined) return answerExpired(ctx);
  await answerButton(ctx);
  await replyTemplate(ctx, "push-already", { link: await postLink(ctx.services, article.id) });
});

export const pushDialog: DialogDefinition = { id: "push", run: runPush };

/** Pick one of the newest stories, preview it as the channel will show it, edit it, toggle Silent, publish or cancel. */
async function runPush(dialog: Dialog): Promise<void> {
  const { store, templates, clock } = dialog.services;
  const choices = await dialog.run(async () => {
    const now = new Date(clock.now());
    return (await store.articles.latest(PICK_COUNT)).map((article) => {
      const source = cutAtWord(article.source, MAX_SOURCE_CHARS);
      const age = formatAge(article.publishedAt, now);
      // The headline gives way, so that the source and the age always show.
      const headline = cutAtWord(article.headline, MAX_LABEL_CHARS - source.length - age.length - " — , ".length);
      return { id: article.id, label: label(templates, "button-push-pick", { headline, source, age }) };
    });
  });
  const picks = choices.map((choice) => [{ text: choice.label, callback_data: encodeDesk({ kind: "pick", articleId: choice.id }) }]);
  await dialog.say("push-pick", { hasItems: choices.length > 0 }, choices.length > 0 ? { reply_markup: { inline_keyboard: picks } } : {});
  if (choices.length === 0) return;

  let articleId: number | undefined;
  while (articleId === undefined) {
    const input = await dialog.next();
    if (input === undefined) return;
    if (input.kind === "text") {
      await dialog.say("dialog-hint");
      continue;
    }
    const chosen = input.action.kind === "pick" ? input.action.articleId : undefined;
    if (!choices.some((choice) => choice.id === chosen)) await dialog.pass();
    articleId = chosen;
    await dialog.answer(input.queryId);
  }

  const id = articleId;
  let silent = false;
  let previewId = await showPreview(dialog, id, silent);
  if (previewId === undefined) return;
  for (;;) {
    const input = await dialog.next();
    if (input === undefined) return;
    if (input.kind === "text") {
      await dialog.say("dialog-hint");
      continue;
    }
    const { action, queryId } = input;
    if (action.kind === "silent") {
      silent = !silent;
      await dialog.setKeyboard(previewId, previewKeyboard(templates, id, silent));
      await dialog.answer(queryId);
    } else if (action.kind === "edit") {
      await dialog.answer(queryId);
      if (!(await askEdit(dialog, id, action.field))) return;
      previewId = await showPreview(dialog, id, silent);
      if (previewId === undefined) return;
    } else if (action.kind === "cancel") {
      await dialog.answer(queryId);
      await dialog.say("dialog-cancelled");
      return;
    } else if (action.kind === "publish" && action.articleId === id) {
      await dialog.answer(queryId);
      await dialog.run(() => publishPush(dialog.services, dialog.api, { articleId: id, silent, adminChatId: dialog.chatId }));
      return;
    } else await dialog.pass();
  }
}

/** The exact channel card with the push's buttons; undefined (and said) when the story is gone. */
async function showPreview(dialog: Dialog, articleId: number, silent: boolean): Promise<number | undefined> {
  const { store, templates, config } = dialog.services;
  const preview = await dialog.run(async () => {
    const article = await store.articles.get(articleId);
    return article && { text: renderArticleCard(article, templates, { timeZone: config.schedule.timeZone }), link: article.link };
  });
  if (preview === undefined) return void (await dialog.say("callback-expired"));
  return dialog.sendHtml(preview.text, {
    link_preview_options: preview.link ? { url: preview.link } : { is_disabled: true },
    reply_markup: previewKeyboard(templates, articleId, silent),
  });
}

/**
 * Asks for the new headline or summary and stores it as the article's own; text over the limit is refused with the
 * limit stated, and asked again. False when the dialog ended meanwhile.
 */
async function askEdit(dialog: Dialog, articleId: number, field: "headline" | "summary"): Promise<boolean> {
  const max = field === "headline" ? MAX_HEADLINE_CHARS : dialog.services.config.ingest.summaryMaxChars;
  const headline = field === "headline";
  await dialog.say("push-edit-ask", { headline, max });
  for (;;) {
    const input = await dialog.next();
    if (input === undefined) return false;
    if (input.kind === "press") await dialog.pass();
    else {
      const text = headline ? input.text.replace(/\s+/g, " ").trim() : input.text.trim();
      if (text !== "" && text.length <= max) {
        await dialog.run(() => dialog.services.store.articles.edit(articleId, { [field]: text }));
        return true;
      }
      await dialog.say("push-edit-refused", { headline, max, length: text.length });
    }
  }
}

function previewKeyboard(templates: Templates, articleId: number, silent: boolean): InlineKeyboardMarkup {
  const row = (text: string, data: string): InlineKeyboardButton[] => [{ text, callback_data: data }];
  return {
    inline_keyboard: [
      row(label(templates, "button-push-publish", {}), encodeDesk({ kind: "publish", articleId, silent })),
      [
        { text: label(templates, "button-push-edit-headline", {}), callback_data: encodeDesk({ kind: "edit", field: "headline" }) },
        { text: label(templates, "button-push-edit-summary", {}), callback_data: encodeDesk({ kind: "edit", field: "summary" }) },
      ],
      row(label(templates, "button-push-silent", { silent }), encodeDesk({ kind: "silent" })),
      row(label(templates, "button-push-cancel", {}), encodeDesk({ kind: "cancel" })),
    ],
  };
}

function label<N extends TemplateName, V extends TemplateValues<N>>(
  templates: Templates,
  name: N,
  values: Exactly<V, TemplateValues<N>>,
): string {
  return htmlToPlainText(templates.render(name, values), MAX_LABEL_CHARS);
}
