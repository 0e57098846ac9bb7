import type { Api } from "grammy";
import type { BotServices } from "../bot/context.js";
import { broadcastProgress, type BroadcastProgress } from "../delivery/progress.js";
import { releaseArticle } from "../delivery/channel-publisher.js";
import type { StoredArticle } from "../store/index.js";
import { HTML_OPTIONS } from "../bot/reply.js";

/** A live progress message (a push's, a correction's, an OPML import's) is edited at most this often. */
export const PROGRESS_EDIT_MS = 3_000;

type PushOutcome = "published" | "already-out" | "no-channel" | "gone" | "retracted";

/**
 * Publishes a story to the channel ahead of the queue (outbox kind `push`, priority 0), and alerts its followers if
 * asked (the alerts of a scheduled release, at their priority), once ever: the article is
 * released in the same transaction, so a second press, a second /push or the scheduled publisher never post it
 * again. Tells the admin what happened; on a publish, starts the live progress message.
 */
export async function publishPush(
  services: BotServices,
  api: Api,
  request: { articleId: number; silent: boolean; alert: boolean; adminChatId: number },
): Promise<PushOutcome> {
  const { store, templates, config, engine } = services;
  const tell = async (text: string) => (await api.sendMessage(request.adminChatId, text, HTML_OPTIONS)).message_id;
  const article = await store.articles.get(request.articleId);
  if (article === undefined) {
    await tell(templates.render("callback-expired"));
    return "gone";
  }
  // Another admin retracted it while this preview was open: it is never published again.
  if (article.retractedAt !== undefined) {
    await tell(templates.render("push-retracted", { headline: article.headline }));
    return "retracted";
  }
  if (config.channelId === undefined) {
    await tell(templates.render("push-no-channel"));
    return "no-channel";
  }
  const topics = request.alert ? await store.subscriptions.distinctTopics() : [];
  // Silent is the push's, alerts included.
  const released = await releaseArticle(article, services, topics, { kind: "push", alerts: request.alert, silent: request.silent });
  if (!released) {
    await tell(templates.render("push-already", { link: await postLink(services, article.id) }));
    return "already-out";
  }
  engine.notify();
  services.logger.info({ articleId: article.id, silent: request.silent, alerts: released.alerts }, "pushed to the channel");
  await startProgress(services, api, {
    articleId: article.id,
    revision: 0,
    chatId: request.adminChatId,
    text: (progress) => progressText(services, article, progress),
  });
  return "published";
}

/** t.me/NAME/ID for a public @channel once the post is out; empty while it is being sent, or for a numeric channel id. */
export async function postLink(services: BotServices, articleId: number): Promise<string> {
  const channel = services.config.channelId;
  const messageId = await services.store.outbox.channelMessageId(articleId);
  return channel?.startsWith("@") && messageId !== undefined ? `https://t.me/${channel.slice(1)}/${messageId}` : "";
}

/** A broadcast to follow in the admin's chat: the messages of one revision of an article (0: a push), and their text. */
export interface ProgressWatch {
  articleId: number;
  revision: number;
  chatId: number;
  text: (progress: BroadcastProgress) => string;
}

/**
 * Sends the live progress message of a push, correction or retraction, then edits it every PROGRESS_EDIT_MS while the
 * broadcast runs (only when its text changed), up to the final report.
 */
export async function startProgress(services: BotServices, api: Api, watch: ProgressWatch): Promise<void> {
  const shown = watch.text(await progressOf(services, watch));
  const messageId = (await api.sendMessage(watch.chatId, shown, HTML_OPTIONS)).message_id;
  // Not awaited: the broadcast outlives the update that started it, and updates are handled one at a time.
  void followProgress(services, api, { ...watch, messageId, shown });
}

const progressOf = (services: BotServices, watch: ProgressWatch): Promise<BroadcastProgress> =>
  broadcastProgress(services.store, services.engine, watch.articleId, services.config.delivery.broadcastRate, watch.revision);

async function followProgress(services: BotServices, api: Api, live: ProgressWatch & { messageId: number; shown: string }): Promise<void> {
  try {
    for (let done = false; !done;) {
      await services.clock.sleep(PROGRESS_EDIT_MS, services.stopping);
      // The app is stopping: the store may be closed already. The message stays as it was last shown.
      if (services.stopping.aborted) return;
      const progress = await progressOf(services, live);
      done = progress.left === 0;
      const text = live.text(progress);
      if (text === live.shown) continue;
      await api.editMessageText(live.chatId, live.messageId, text, HTML_OPTIONS);
      live.shown = text;
    }
  } catch (error) {
    services.logger.warn({ err: error, articleId: live.articleId, revision: live.revision }, "could not update a progress message");
  }
}

function progressText(services: BotServices, article: StoredArticle, progress: BroadcastProgress): string {
  return services.templates.render("push-progress", { headline: article.headline, ...progressValues(progress) });
}

/** A broadcast's figures as the progress templates show them (push-progress, revision-progress). */
export function progressValues(progress: BroadcastProgress) {
  return {
    sent: progress.sent,
    failed: progress.failed,
    blocked: progress.blocked,
    left: progress.left,
    rate: progress.rate.toFixed(1),
    eta: progress.etaSeconds,
    done: progress.left === 0,
  };
}
