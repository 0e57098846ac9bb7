import type { Api } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { BotServices } from "../src/bot/context.js";
import type { BroadcastProgress } from "../src/delivery/progress.js";
import type { RevisionOutcome } from "../src/store/index.js";
import { searchArticles } from "../src/search/index.js";
import { encodeDesk } from "./desk-buttons.js";
import type { Dialog } from "./dialog.js";
import { choicesOf, label, PICK_COUNT, pickKeyboard } from "./push.js";
import { startProgress } from "./push-publish.js";
import { HTML_OPTIONS } from "./reply.js";

/**
 * What /correct and /retract share: picking a published story (the newest as buttons, or Search), the confirm and
 * cancel buttons, and the live progress of the edits or deletions that follow.
 */

/** Picks a story that is out and not retracted; undefined when the dialog ended. */
export async function pickPublished(dialog: Dialog, retract: boolean): Promise<number | undefined> {
  const { store, aliases } = dialog.services;
  const newest = await dialog.run(async () => choicesOf(dialog, await store.articles.published(PICK_COUNT)));
  await dialog.say("revision-pick", { retract, hasItems: newest.length > 0 }, pickKeyboard(dialog, newest));
  const offered = new Set(newest.map((choice) => choice.id));
  let searching = false;
  for (;;) {
    const input = await dialog.next();
    if (input === undefined) return undefined;
    if (input.kind === "text" && searching) {
      const query = input.text;
      const found = await dialog.run(async () => {
        const result = await searchArticles(store, aliases, query, { limit: PICK_COUNT, offset: 0 });
        const hits = result.status === "ok" ? result.hits.map((hit) => hit.article) : [];
        // Search already leaves retracted stories out; only what reached the channel or followers can be revised.
        return choicesOf(
          dialog,
          hits.filter((article) => article.releasedAt !== undefined),
        );
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

/** The confirm button (when given) and Cancel, below a preview; extra rows (edits) between them. */
export function confirmKeyboard(
  services: BotServices,
  confirm: { articleId: number; label: string } | undefined,
  extra: InlineKeyboardMarkup["inline_keyboard"] = [],
): InlineKeyboardMarkup {
  const cancel = [{ text: label(services.templates, "button-push-cancel", {}), callback_data: encodeDesk({ kind: "cancel" }) }];
  const confirmRow = confirm
    ? [[{ text: confirm.label, callback_data: encodeDesk({ kind: "confirm", articleId: confirm.articleId }) }]]
    : [];
  return { inline_keyboard: [...confirmRow, ...extra, cancel] };
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
