import type { Api } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { BotServices } from "../bot/context.js";
import type { BroadcastProgress } from "../delivery/progress.js";
import { correctedCard, withFields, type CorrectedFields } from "../delivery/revisions.js";
import { renderArticleCard } from "../format/card.js";
import type { RevisionOutcome } from "../store/index.js";
import { deskButton } from "./buttons.js";
import { PICK_COUNT, pickStory } from "./pick.js";
import type { Dialog } from "./dialog.js";
import { editButtons } from "./preview.js";
import { progressValues, startProgress } from "./publish.js";
import { HTML_OPTIONS } from "../bot/reply.js";

/**
 * What /correct and /retract share: picking a published story (the newest as buttons, or Search), the preview with
 * its confirm and cancel buttons, and the live progress of the edits or deletions that follow.
 */

/** Picks a story that is out and not retracted; undefined when the dialog ended. Cancelling says nothing changed. */
export function pickPublished(dialog: Dialog, retract: boolean): Promise<number | undefined> {
  dialog.onCancel(() => dialog.say("revision-cancelled", { retract }));
  return pickStory(dialog, {
    newest: () => dialog.services.store.articles.published(PICK_COUNT),
    intro: (hasItems, keyboard) => dialog.say("revision-pick", { retract, hasItems }, keyboard),
    // Search already leaves retracted stories out; only what reached the channel or followers can be revised.
    accept: (article) => article.releasedAt !== undefined,
  });
}

/** A step of /correct or /retract: the story to revise, and for a correction the fields edited so far. */
export interface RevisionDraft {
  articleId: number;
  retract: boolean;
  fields?: CorrectedFields;
}

/**
 * The preview before the confirmation: the card as it is (a retraction, or a correction before any edit), or the
 * corrected card with its "Updated" line. Below it, the confirm button with the sent messages it reaches now ("Retract",
 * or "Send correction" once something was edited), a correction's edit buttons, and Cancel. False (and said, with
 * revision-nothing) when the story is gone or was retracted meanwhile.
 */
export async function showRevision(dialog: Dialog, draft: RevisionDraft): Promise<boolean> {
  const { store, templates, config, clock } = dialog.services;
  const { articleId, retract, fields = {} } = draft;
  const edited = Object.keys(fields).length > 0;
  const preview = await dialog.run(async () => {
    const article = await store.articles.get(articleId);
    if (article === undefined || article.retractedAt !== undefined) return { nothing: article?.headline ?? "" };
    const text = edited
      ? correctedCard(withFields(article, fields), dialog.services, new Date(clock.now()))
      : renderArticleCard(article, templates, { timeZone: config.schedule.timeZone });
    return { text, link: article.link, messages: (await store.outbox.revisable(articleId)).sent };
  });
  if ("nothing" in preview) {
    await dialog.say("revision-nothing", { retract, headline: preview.nothing });
    return false;
  }
  const count = { messages: preview.messages, one: preview.messages === 1 };
  const confirm = { kind: "confirm", articleId } as const;
  const button = retract
    ? deskButton(templates, "button-retract-confirm", count, confirm)
    : edited
      ? deskButton(templates, "button-correction-send", count, confirm)
      : undefined;
  const cancel = [deskButton(templates, "button-push-cancel", {}, { kind: "cancel" })];
  const rows = [...(button ? [[button]] : []), ...(retract ? [] : [editButtons(templates)]), cancel];
  await dialog.sendHtml(preview.text, {
    link_preview_options: preview.link ? { url: preview.link } : { is_disabled: true },
    reply_markup: { inline_keyboard: rows } satisfies InlineKeyboardMarkup,
  });
  return true;
}

/**
 * After a confirm press, run once (inside dialog.run): queues the correction or retraction, then shows its live
 * progress and final report in the admin's chat; says so when the story was retracted or removed meanwhile.
 */
export async function queueRevision(
  services: BotServices,
  api: Api,
  request: { articleId: number; chatId: number; retract: boolean; queue: () => Promise<RevisionOutcome | undefined> },
): Promise<void> {
  const { articleId, chatId, retract } = request;
  const before = await services.store.articles.get(articleId);
  const outcome = await request.queue();
  const headline = (await services.store.articles.get(articleId))?.headline ?? before?.headline ?? "";
  if (outcome === undefined) {
    await api.sendMessage(chatId, services.templates.render("revision-nothing", { retract, headline }), HTML_OPTIONS);
    return;
  }
  await startProgress(services, api, {
    articleId,
    revision: outcome.revision,
    chatId,
    text: (progress) =>
      progressText(
        services,
        {
          retract,
          headline,
          updated: outcome.updated,
          waiting: outcome.updated > 0,
          unconfirmed: outcome.unconfirmed,
          unsure: outcome.unconfirmed > 0,
        },
        progress,
      ),
  });
}

function progressText(
  services: BotServices,
  revision: { retract: boolean; headline: string; updated: number; waiting: boolean; unconfirmed: number; unsure: boolean },
  progress: BroadcastProgress,
): string {
  return services.templates.render("revision-progress", {
    ...revision,
    ...progressValues(progress),
    deleted: progress.sent - progress.replaced,
    replaced: progress.replaced,
  });
}
