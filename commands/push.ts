import { Composer } from "grammy";
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { BotContext } from "../src/bot/context.js";
import { renderArticleCard } from "../src/format/card.js";
import { alertsFor } from "../src/delivery/followers.js";
import type { Templates } from "../src/format/templates.js";
import { MAX_HEADLINE_CHARS } from "../src/ingest/build-article.js";
import { answerButton, answerExpired } from "./buttons.js";
import { deskButton, parseDesk, DESK_DATA } from "./desk-buttons.js";
import { PICK_COUNT, pickStory } from "./desk-pick.js";
import type { Dialog, DialogDefinition } from "./dialog.js";
import { postLink, publishPush } from "./push-publish.js";
import { isPrivateChat, replyDeskPrivateOnly, replyTemplate } from "./reply.js";

/** /push (admins): opens the push dialog in the private chat, anew if one was open. */
export const pushCommand = new Composer<BotContext>();

pushCommand.command("push", async (ctx) => {
  if (!isPrivateChat(ctx)) return replyDeskPrivateOnly(ctx, "push");
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

/**
 * Pick one of the newest stories (or search, or paste an article's link), preview it as the channel will show it, edit
 * it, toggle Silent, publish or cancel.
 */
async function runPush(dialog: Dialog): Promise<void> {
  const { store } = dialog.services;
  const articleId = await pickStory(dialog, {
    newest: () => store.articles.latest(PICK_COUNT),
    intro: (hasItems, keyboard) => dialog.say("push-pick", { hasItems }, keyboard),
    links: true,
  });
  if (articleId !== undefined) await previewAndPublish(dialog, articleId);
}

/**
 * The preview as the channel will show it, with its buttons (publish, publish + alert, edits, Silent, cancel), until the
 * story is published or the dialog ends. Shared by /push and /post.
 */
export async function previewAndPublish(dialog: Dialog, id: number): Promise<void> {
  const { templates } = dialog.services;
  let silent = false;
  let preview = await showPreview(dialog, id, silent);
  if (preview === undefined) return;
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
      await dialog.setKeyboard(preview.messageId, previewKeyboard(templates, id, silent, preview.followers));
      await dialog.answer(queryId);
    } else if (action.kind === "edit") {
      await dialog.answer(queryId);
      if (!(await askEdit(dialog, id, action.field))) return;
      preview = await showPreview(dialog, id, silent);
      if (preview === undefined) return;
    } else if (action.kind === "cancel") {
      await dialog.answer(queryId);
      await dialog.say("dialog-cancelled");
      return;
    } else if (action.kind === "publish" && action.articleId === id) {
      await dialog.answer(queryId);
      const request = { articleId: id, silent, alert: action.alert, adminChatId: dialog.chatId };
      await dialog.run(() => publishPush(dialog.services, dialog.api, request));
      return;
    } else await dialog.pass();
  }
}

/**
 * The exact channel card with the push's buttons, the followers it would alert counted now; undefined (and said) when
 * the story is gone.
 */
async function showPreview(
  dialog: Dialog,
  articleId: number,
  silent: boolean,
): Promise<{ messageId: number; followers: number } | undefined> {
  const { store, templates, config, aliases } = dialog.services;
  const preview = await dialog.run(async () => {
    const article = await store.articles.get(articleId);
    if (article === undefined) return undefined;
    const followers = (await alertsFor(article, store, aliases)).length;
    return { text: renderArticleCard(article, templates, { timeZone: config.schedule.timeZone }), link: article.link, followers };
  });
  if (preview === undefined) return void (await dialog.say("callback-expired"));
  const messageId = await dialog.sendHtml(preview.text, {
    link_preview_options: preview.link ? { url: preview.link } : { is_disabled: true },
    reply_markup: previewKeyboard(templates, articleId, silent, preview.followers),
  });
  return { messageId, followers: preview.followers };
}

/** Asks for the new headline or summary and stores it as the article's own. False when the dialog ended meanwhile. */
async function askEdit(dialog: Dialog, articleId: number, field: "headline" | "summary"): Promise<boolean> {
  const text = await askEditText(dialog, field);
  if (text === undefined) return false;
  await dialog.run(() => dialog.services.store.articles.edit(articleId, { [field]: text }));
  return true;
}

/**
 * Asks for a new headline or summary; text over the limit (or empty) is refused with the limit stated, and asked
 * again. Undefined when the dialog ended meanwhile. Shared by /push and /correct.
 */
export async function askEditText(dialog: Dialog, field: "headline" | "summary"): Promise<string | undefined> {
  const max = field === "headline" ? MAX_HEADLINE_CHARS : dialog.services.config.ingest.summaryMaxChars;
  const headline = field === "headline";
  await dialog.say("push-edit-ask", { headline, max });
  for (;;) {
    const input = await dialog.next();
    if (input === undefined) return undefined;
    if (input.kind === "press") await dialog.pass();
    else {
      const text = headline ? input.text.replace(/\s+/g, " ").trim() : input.text.trim();
      if (text !== "" && text.length <= max) return text;
      await dialog.say("push-edit-refused", { headline, max, length: text.length });
    }
  }
}

function previewKeyboard(templates: Templates, articleId: number, silent: boolean, followers: number): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [deskButton(templates, "button-push-publish", {}, { kind: "publish", articleId, silent, alert: false })],
      [deskButton(templates, "button-push-publish-alert", { followers }, { kind: "publish", articleId, silent, alert: true })],
      editButtons(templates),
      [deskButton(templates, "button-push-silent", { silent }, { kind: "silent" })],
      [deskButton(templates, "button-push-cancel", {}, { kind: "cancel" })],
    ],
  };
}

/** "Edit headline" and "Edit summary", side by side: /push's and /correct's. */
export function editButtons(templates: Templates): InlineKeyboardButton[] {
  return [
    deskButton(templates, "button-push-edit-headline", {}, { kind: "edit", field: "headline" }),
    deskButton(templates, "button-push-edit-summary", {}, { kind: "edit", field: "summary" }),
  ];
}
