import type { Api } from "grammy";
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { BotServices } from "../bot/context.js";
import type { BroadcastProgress } from "../delivery/progress.js";
import type { RevisionOutcome } from "../store/index.js";
import { deskButton } from "./buttons.js";
import { PICK_COUNT, pickStory } from "./pick.js";
import type { Dialog } from "./dialog.js";
import { startProgress } from "./publish.js";
import { HTML_OPTIONS } from "../bot/reply.js";

/**
 * What /correct and /retract share: picking a published story (the newest as buttons, or Search), the confirm and
 * cancel buttons, and the live progress of the edits or deletions that follow.
 */

/** Picks a story that is out and not retracted; undefined when the dialog ended. */
export function pickPublished(dialog: Dialog, retract: boolean): Promise<number | undefined> {
  return pickStory(dialog, {
    newest: () => dialog.services.store.articles.published(PICK_COUNT),
    intro: (hasItems, keyboard) => dialog.say("revision-pick", { retract, hasItems }, keyboard),
    // Search already leaves retracted stories out; only what reached the channel or followers can be revised.
    accept: (article) => article.releasedAt !== undefined,
  });
}

/** The confirm button (when given) and Cancel, below a preview; extra rows (edits) between them. */
export function confirmKeyboard(
  services: BotServices,
  confirm: InlineKeyboardButton | undefined,
  extra: InlineKeyboardButton[][] = [],
): InlineKeyboardMarkup {
  const cancel = [deskButton(services.templates, "button-push-cancel", {}, { kind: "cancel" })];
  return { inline_keyboard: [...(confirm ? [[confirm]] : []), ...extra, cancel] };
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
    text: (progress) => progressText(services, { retract, headline, updated: outcome.updated, waiting: outcome.updated > 0 }, progress),
  });
}

function progressText(
  services: BotServices,
  revision: { retract: boolean; headline: string; updated: number; waiting: boolean },
  progress: BroadcastProgress,
): string {
  return services.templates.render("revision-progress", {
    ...revision,
    sent: progress.sent,
    failed: progress.failed,
    blocked: progress.blocked,
    left: progress.left,
    rate: progress.rate.toFixed(1),
    eta: progress.etaSeconds,
    done: progress.left === 0,
  });
}
