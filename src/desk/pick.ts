import type { InlineKeyboardMarkup } from "grammy/types";
import { formatAge } from "../format/age.js";
import { searchArticles } from "../search/index.js";
import type { StoredArticle } from "../store/index.js";
import { cutAtWord } from "../summarize/index.js";
import { buttonLabel, MAX_LABEL_CHARS } from "../bot/buttons.js";
import { deskButton, encodeDesk } from "./buttons.js";
import type { Dialog } from "./dialog.js";
import { pastedLink, pickByLink } from "./link.js";

/** Stories offered as buttons in the first step. */
export const PICK_COUNT = 8;
const MAX_SOURCE_CHARS = 20;

/** The first step of /push, /correct and /retract: which stories are offered, and how. */
export interface PickOptions {
  /** The stories offered as buttons (the newest of their kind). */
  newest: () => Promise<StoredArticle[]>;
  /** Says what to pick, above the buttons. */
  intro: (hasItems: boolean, keyboard: { reply_markup: InlineKeyboardMarkup }) => Promise<unknown>;
  /** Which search hits may be picked; all when absent. */
  accept?: (article: StoredArticle) => boolean;
  /** A pasted article link is taken as the pick: fetched, extracted and stored (/push). */
  links?: boolean;
}

/**
 * Picks a story: one of the newest as buttons, or "Search" (the admin types words and gets the matches as buttons,
 * through the same search as /topic), or a pasted link when allowed. Only a story offered in this dialog can be picked.
 * Undefined when the dialog ended.
 */
export async function pickStory(dialog: Dialog, options: PickOptions): Promise<number | undefined> {
  const { store, aliases } = dialog.services;
  const newest = await dialog.run(async () => choicesOf(dialog, await options.newest()));
  await options.intro(newest.length > 0, pickKeyboard(dialog, newest));
  const offered = new Set(newest.map((choice) => choice.id));
  let searching = false;
  for (;;) {
    const input = await dialog.next();
    if (input === undefined) return undefined;
    const link = options.links && input.kind === "text" ? pastedLink(input.text) : undefined;
    if (link !== undefined) {
      const articleId = await pickByLink(dialog, link);
      if (articleId !== undefined) return articleId;
    } else if (input.kind === "text" && searching) {
      const query = input.text;
      const found = await dialog.run(async () => {
        const result = await searchArticles(store, aliases, query, { limit: PICK_COUNT, offset: 0 });
        const hits = result.status === "ok" ? result.hits.map((hit) => hit.article) : [];
        return choicesOf(dialog, options.accept ? hits.filter(options.accept) : hits);
      });
      for (const choice of found) offered.add(choice.id);
      await dialog.say("push-search-results", { query, hasItems: found.length > 0 }, pickKeyboard(dialog, found));
    } else if (input.kind === "text") await dialog.say("dialog-hint");
    else if (input.action.kind === "search") {
      searching = true;
      await dialog.answer(input.queryId);
      await dialog.say("push-search-ask");
    } else if (input.action.kind === "pick" && offered.has(input.action.articleId)) {
      await dialog.answer(input.queryId);
      return input.action.articleId;
    } else await dialog.pass();
  }
}

/** Stories as button labels: headline, source, age. JSON, so that the dialog's state can keep them. */
function choicesOf(dialog: Dialog, articles: readonly StoredArticle[]): { id: number; label: string }[] {
  const now = new Date(dialog.services.clock.now());
  return articles.map((article) => {
    const source = cutAtWord(article.source, MAX_SOURCE_CHARS);
    const age = formatAge(article.publishedAt, now);
    // The headline gives way, so that the source and the age always show.
    const headline = cutAtWord(article.headline, MAX_LABEL_CHARS - source.length - age.length - " — , ".length);
    return { id: article.id, label: buttonLabel(dialog.services.templates, "button-push-pick", { headline, source, age }) };
  });
}

/** One story per row, then "Search". */
function pickKeyboard(dialog: Dialog, choices: readonly { id: number; label: string }[]): { reply_markup: InlineKeyboardMarkup } {
  const { templates } = dialog.services;
  const picks = choices.map((choice) => [{ text: choice.label, callback_data: encodeDesk({ kind: "pick", articleId: choice.id }) }]);
  return { reply_markup: { inline_keyboard: [...picks, [deskButton(templates, "button-push-search", {}, { kind: "search" })]] } };
}
