import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { alertsFor } from "../delivery/followers.js";
import { renderArticleCard } from "../format/card.js";
import type { Templates } from "../format/templates.js";
import { MAX_HEADLINE_CHARS } from "../ingest/build-article.js";
import { deskButton } from "./buttons.js";
import type { Dialog } from "./dialog.js";
import { publishPush } from "./publish.js";

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
    const press = await dialog.nextPress();
    if (press === undefined) return;
    const { action, queryId } = press;
    if (action.kind === "silent") {
      silent = !silent;
      await dialog.setKeyboard(preview.messageId, previewKeyboard(templates, id, silent, preview.followers));
      await dialog.answer(queryId);
    } else if (action.kind === "edit") {
      await dialog.answer(queryId);
      if (!(await askEdit(dialog, id, action.field))) return;
      preview = await showPreview(dialog, id, silent);
      if (preview === undefined) return;
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
