import type { Api } from "grammy";
import type { Config } from "../config/index.js";
import { renderArticleCard } from "../format/card.js";
import type { Templates } from "../format/templates.js";
import type { Logger } from "../logger.js";
import type { Store } from "../store/index.js";
import { classifySendError, describeError } from "./telegram-errors.js";
import { createPacer } from "./pacer.js";

export interface AlertSenderDeps {
  api: Api;
  store: Store;
  templates: Templates;
  config: Pick<Config, "delivery" | "schedule">;
  logger: Logger;
}

const BATCH = 200;

/**
 * The simple paced sender: pending alerts, one at a time, at most BROADCAST_RATE per second.
 * A 429 is retried after its retry_after by auto-retry on the API; a chat that blocked the bot is
 * marked and gets nothing more; a network failure ends the run, and the rest waits for the next one.
 * (The delivery engine issue replaces this with a concurrent, crash-safe outbox.)
 */
export async function sendPendingAlerts(deps: AlertSenderDeps): Promise<{ sent: number; blocked: number; failed: number }> {
  const { store } = deps;
  const pace = createPacer(deps.config.delivery.broadcastRate);
  const counts = { sent: 0, blocked: 0, failed: 0 };
  for (let batch = await store.alerts.pending(BATCH); batch.length > 0; batch = await store.alerts.pending(BATCH)) {
    for (const alert of batch) {
      const article = await store.articles.get(alert.articleId);
      if (!article) {
        await store.alerts.markFailed(alert.articleId, alert.chatId, "article is gone");
        continue;
      }
      await pace();
      try {
        const text = deps.templates.render("alert", { topic: alert.topic }) + "\n\n" + renderArticleCard(article, deps.templates, { timeZone: deps.config.schedule.timeZone, maxChars: 3900 });
        const message = await deps.api.sendMessage(alert.chatId, text, {
          parse_mode: "HTML",
          link_preview_options: article.link ? { url: article.link } : { is_disabled: true },
        });
        await store.alerts.markSent(alert.articleId, alert.chatId, message.message_id, new Date());
        counts.sent++;
      } catch (error) {
        const failure = classifySendError(error);
        if (failure === "transient") {
          deps.logger.warn({ chatId: alert.chatId, error: describeError(error) }, "alert not sent; will retry on the next run");
          return counts;
        }
        if (failure === "unreachable") {
          await store.chats.markBlocked(alert.chatId);
          await store.alerts.markChatBlocked(alert.chatId);
          counts.blocked++;
        } else {
          await store.alerts.markFailed(alert.articleId, alert.chatId, describeError(error));
          deps.logger.error({ chatId: alert.chatId, articleId: alert.articleId, error: describeError(error) }, "Telegram refused an alert");
          counts.failed++;
        }
      }
    }
  }
  if (counts.sent + counts.blocked + counts.failed > 0) deps.logger.info(counts, "alerts sent");
  return counts;
}
