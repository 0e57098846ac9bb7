import type { Api } from "grammy";
import type { Config } from "../config/index.js";
import { renderArticleCard } from "../format/card.js";
import type { Templates } from "../format/templates.js";
import type { Logger } from "../logger.js";
import type { Store } from "../store/index.js";
import type { AliasMap } from "../topics/index.js";
import { alertsFor } from "./followers.js";
import { classifySendError, describeError } from "./telegram-errors.js";

export interface PublisherDeps {
  api: Api;
  store: Store;
  templates: Templates;
  aliases: AliasMap;
  config: Pick<Config, "channelId" | "delivery" | "schedule">;
  logger: Logger;
  now?: () => Date;
}

export interface PublishResult {
  posted: number;
  skipped: number;
  failed: number;
  alertsQueued: number;
}

/**
 * One POST_CRON tick: the oldest queued news, at most POST_BATCH, goes to the channel. Each article is
 * claimed before it is sent, so it reaches the channel at most once, ever, even across a crash.
 * Followers' alerts are queued when the article is published (also when no channel is configured).
 */
export async function publishDue(deps: PublisherDeps): Promise<PublishResult> {
  const result: PublishResult = { posted: 0, skipped: 0, failed: 0, alertsQueued: 0 };
  const { store, config } = deps;
  const channel = config.channelId;
  for (const article of await store.channel.due(config.delivery.postBatch)) {
    const now = deps.now?.() ?? new Date();
    if (!(await store.channel.claim(article.id, channel ?? "none", now))) continue;
    if (channel === undefined) {
      await store.channel.markSkipped(article.id);
      result.skipped++;
    } else {
      try {
        const message = await deps.api.sendMessage(channel, renderArticleCard(article, deps.templates, { timeZone: config.schedule.timeZone }), {
          parse_mode: "HTML",
          link_preview_options: article.link ? { url: article.link } : { is_disabled: true },
        });
        await store.channel.markSent(article.id, message.message_id, now);
        result.posted++;
      } catch (error) {
        const failure = classifySendError(error);
        if (failure === "transient") {
          await store.channel.release(article.id);
          deps.logger.warn({ articleId: article.id, error: describeError(error) }, "channel post failed; will retry on the next tick");
          break; // The same cause would fail the rest of the batch.
        }
        await store.channel.markFailed(article.id, describeError(error));
        deps.logger.error({ articleId: article.id, channel, error: describeError(error) }, "Telegram refused the channel post");
        result.failed++;
        continue;
      }
    }
    const alerts = await alertsFor(article, store, deps.aliases);
    result.alertsQueued += await store.alerts.enqueue(alerts, now);
  }
  if (result.posted + result.skipped + result.failed > 0) deps.logger.info(result, "published");
  return result;
}
