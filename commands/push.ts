import { Composer } from "grammy";
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { BotContext } from "../src/bot/context.js";
import { formatAge } from "../src/format/age.js";
import { renderArticleCard } from "../src/format/card.js";
import { htmlToPlainText } from "../src/format/plain-text.js";
import { alertsFor } from "../src/delivery/followers.js";
import { searchArticles } from "../src/search/index.js";
import type { StoredArticle } from "../src/store/index.js";
import { cutAtWord } from "../src/summarize/index.js";
import type { Exactly, TemplateName, Templates, TemplateValues } from "../src/format/templates.js";
import { answerButton, answerExpired } from "./buttons.js";
import { encodeDesk, parseDesk, DESK_DATA } from "./desk-buttons.js";
import type { Dialog, DialogDefinition } from "./dialog.js";
import { pastedLink, pickByLink } from "./push-link.js";
import { postLink, publishPush } from "./push-publish.js";
import { isPrivateChat, replyDeskPrivateOnly, replyTemplate } from "./reply.js";

/** Stories offered as buttons in the first step. */
export const PICK_COUNT = 8;
const MAX_LABEL_CHARS = 64;
const MAX_SOURCE_CHARS = 20;
/** An edited headline: a line, as feeds give them (the card cuts longer ones, which an editor should not rely on). */
export const MAX_HEADLINE_CHARS = 200;

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
  const { store, aliases } = dialog.services;
  const newest = await dialog.run(async () => choicesOf(dialog, await store.articles.latest(PICK_COUNT)));
  await dialog.say("push-pick", { hasItems: newest.length > 0 }, pickKeyboard(dialog, newest));
  const offered = new Set(newest.map((choice) => choice.id));
  let searching = false;
  let articleId: number | undefined;
  while (articleId === undefined) {
    const input = await dialog.next();
    if (input === undefined) return;
    const link = input.kind === "text" ? pastedLink(input.text) : undefined;
    if (link !== undefined) articleId = await pickByLink(dialog, link);
    else if (input.kind === "text" && searching) {
      const query = input.text;
      const found = await dialog.run(async () => {
        const result = await searchArticles(store, aliases, query, { limit: PICK_COUNT, offset: 0 });
        return choicesOf(dialog, result.status === "ok" ? result.hits.map((hit) => hit.article) : []);
      });
      for (const choice of found) offered.add(choice.id);
      await dialog.say("push-search-results", { query, hasItems: found.length > 0 }, pickKeyboard(dialog, found));
    } else if (input.kind === "text") await dialog.say("dialog-hint");
    else if (input.action.kind === "search") {
      searching = true;
      await dialog.answer(input.queryId);
      await dialog.say("push-search-ask");
    } else if (input.action.kind === "pick" && offered.has(input.action.articleId)) {
      articleId = input.action.articleId;
      await dialog.answer(input.queryId);
    } else await dialog.pass();
  }

  await previewAndPublish(dialog, articleId);
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

/** Stories as button labels: headline, source, age. JSON, so that the dialog's state can keep them. */
export function choicesOf(dialog: Dialog, articles: readonly StoredArticle[]): { id: number; label: string }[] {
  const now = new Date(dialog.services.clock.now());
  return articles.map((article) => {
    const source = cutAtWord(article.source, MAX_SOURCE_CHARS);
    const age = formatAge(article.publishedAt, now);
    // The headline gives way, so that the source and the age always show.
    const headline = cutAtWord(article.headline, MAX_LABEL_CHARS - source.length - age.length - " — , ".length);
    return { id: article.id, label: label(dialog.services.templates, "button-push-pick", { headline, source, age }) };
  });
}

/** One story per row, then "Search". */
export function pickKeyboard(dialog: Dialog, choices: readonly { id: number; label: string }[]): { reply_markup: InlineKeyboardMarkup } {
  const picks = choices.map((choice) => [{ text: choice.label, callback_data: encodeDesk({ kind: "pick", articleId: choice.id }) }]);
  const search = { text: label(dialog.services.templates, "button-push-search", {}), callback_data: encodeDesk({ kind: "search" }) };
  return { reply_markup: { inline_keyboard: [...picks, [search]] } };
}

function previewKeyboard(templates: Templates, articleId: number, silent: boolean, followers: number): InlineKeyboardMarkup {
  const row = (text: string, data: string): InlineKeyboardButton[] => [{ text, callback_data: data }];
  return {
    inline_keyboard: [
      row(label(templates, "button-push-publish", {}), encodeDesk({ kind: "publish", articleId, silent, alert: false })),
      row(label(templates, "button-push-publish-alert", { followers }), encodeDesk({ kind: "publish", articleId, silent, alert: true })),
      [
        { text: label(templates, "button-push-edit-headline", {}), callback_data: encodeDesk({ kind: "edit", field: "headline" }) },
        { text: label(templates, "button-push-edit-summary", {}), callback_data: encodeDesk({ kind: "edit", field: "summary" }) },
      ],
      row(label(templates, "button-push-silent", { silent }), encodeDesk({ kind: "silent" })),
      row(label(templates, "button-push-cancel", {}), encodeDesk({ kind: "cancel" })),
    ],
  };
}

export function label<N extends TemplateName, V extends TemplateValues<N>>(
  templates: Templates,
  name: N,
  values: Exactly<V, TemplateValues<N>>,
): string {
  return htmlToPlainText(templates.render(name, values), MAX_LABEL_CHARS);
}
