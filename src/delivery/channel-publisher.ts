import type { Clock } from "../clock.js";
import type { Config } from "../config/index.js";
import { renderArticleCard } from "../format/card.js";
import type { Templates } from "../format/templates.js";
import type { Logger } from "../logger.js";
import type { OutboxMessage, Store, StoredArticle } from "../store/index.js";
import type { AliasMap } from "../topics/index.js";
import { alertsFor } from "./followers.js";

export interface PublisherDeps {
  store: Store;
  templates: Templates;
  aliases: AliasMap;
  config: Pick<Config, "channelId" | "delivery" | "schedule">;
  logger: Logger;
  clock: Clock;
}

export interface PublishResult {
  released: number;
  posts: number;
  alerts: number;
}

/** A private alert leaves room for its first line above the card. */
const ALERT_CARD_CHARS = 3_900;

/**
 * One POST_CRON tick: the oldest queued news, at most POST_BATCH articles, is released. Each article's
 * channel post and its followers' alerts go into the outbox in one transaction, once ever; the delivery
 * engine sends them. With no CHANNEL_ID, only the alerts are queued.
 */
export async function publishDue(deps: PublisherDeps): Promise<PublishResult> {
  const { store, config } = deps;
  const result: PublishResult = { released: 0, posts: 0, alerts: 0 };
  const due = await store.articles.unreleased(config.delivery.postBatch);
  const topics = due.length > 0 ? await store.subscriptions.distinctTopics() : [];
  for (const article of due) {
    const released = await releaseArticle(article, deps, topics);
    if (!released) continue; // a push or Post now came first
    result.released++;
    result.posts += released.posts;
    result.alerts += released.alerts;
  }
  if (result.released > 0) deps.logger.info(result, "released news to the outbox");
  return result;
}

/** How an article is released: the schedule's way (and Post now's), or an admin's push. */
interface ReleaseOptions {
  /** "push" goes ahead of everything in the outbox (an admin's /push); "post" is the queue's order. */
  kind: "post" | "push";
  /** Queue the followers' alerts (a scheduled release always does; a push when the admin asks). */
  alerts: boolean;
  /** disable_notification for the post and its alerts, whatever QUIET_HOURS says; undefined: as QUIET_HOURS says. */
  silent?: boolean | undefined;
}

const SCHEDULED: ReleaseOptions = { kind: "post", alerts: true };

/**
 * Releases one article, unless it is out already (a push, Post now, or a tick that came first): its channel post and
 * (unless told otherwise) its followers' alerts go into the outbox with the article marked released, in one
 * transaction, once ever. `topics` are the distinct followed topics (read once per batch). Undefined when it was out
 * already.
 */
export async function releaseArticle(
  article: StoredArticle,
  deps: PublisherDeps,
  topics: readonly string[],
  options: ReleaseOptions = SCHEDULED,
): Promise<{ posts: number; alerts: number } | undefined> {
  const { store, config } = deps;
  const messages: OutboxMessage[] = [];
  if (config.channelId !== undefined) messages.push(channelPost(article, config.channelId, options.kind, deps));
  if (options.alerts) messages.push(...(await followerAlerts(article, deps, topics)));
  const silenced =
    options.silent === undefined ? messages : messages.map((m) => ({ ...m, payload: { ...m.payload, silent: options.silent } }));
  if (!(await store.outbox.release(article.id, silenced, new Date(deps.clock.now())))) return undefined;
  return { posts: messages.filter((m) => m.kind !== "alert").length, alerts: messages.filter((m) => m.kind === "alert").length };
}

/** The private alerts of an article, one per follower (active private chats whose topics match), among `topics` (every followed topic). */
async function followerAlerts(
  article: StoredArticle,
  deps: Pick<PublisherDeps, "store" | "templates" | "aliases" | "config">,
  topics: readonly string[],
): Promise<OutboxMessage[]> {
  const alertText = alertTexts(article, deps);
  const alerts: OutboxMessage[] = [];
  for (const alert of await alertsFor(article, deps.store, deps.aliases, topics)) {
    alerts.push({
      kind: "alert",
      chatId: String(alert.chatId),
      articleId: article.id,
      topic: alert.topic,
      payload: { text: alertText(alert.topic), linkPreviewUrl: article.link },
    });
  }
  return alerts;
}

/**
 * An article's alert text per followed topic: the alert's first line, then the card (with "Updated HH:MM" for a
 * correction). Thousands of followers share a handful of texts: one per matched topic, rendered once.
 */
export function alertTexts(
  article: StoredArticle,
  deps: { templates: Templates; config: Pick<Config, "schedule"> },
  updatedAt?: Date,
): (topic: string) => string {
  const card = renderArticleCard(article, deps.templates, {
    timeZone: deps.config.schedule.timeZone,
    maxChars: ALERT_CARD_CHARS,
    updatedAt,
  });
  const texts = new Map<string, string>();
  return (topic) => {
    let text = texts.get(topic);
    if (text === undefined) texts.set(topic, (text = `${deps.templates.render("alert", { topic })}\n\n${card}`));
    return text;
  };
}

function channelPost(article: StoredArticle, channelId: string, kind: ReleaseOptions["kind"], deps: PublisherDeps): OutboxMessage {
  return {
    kind,
    chatId: channelId,
    articleId: article.id,
    payload: {
      text: renderArticleCard(article, deps.templates, { timeZone: deps.config.schedule.timeZone }),
      linkPreviewUrl: article.link,
    },
  };
}
