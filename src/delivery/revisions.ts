import type { Clock } from "../clock.js";
import type { Config } from "../config/index.js";
import { formatClock, renderArticleCard } from "../format/card.js";
import type { Templates } from "../format/templates.js";
import type { Logger } from "../logger.js";
import type { OutboxKind, RevisionOutcome, Store, StoredArticle } from "../store/index.js";
import { alertTexts } from "./channel-publisher.js";
import type { DeliveryEngine } from "./engine.js";

export interface RevisionDeps {
  store: Store;
  templates: Templates;
  config: Pick<Config, "schedule">;
  clock: Clock;
  logger: Logger;
  engine: Pick<DeliveryEngine, "notify">;
}

/** What an editor may correct: the headline, the summary, or both. */
export interface CorrectedFields {
  headline?: string | undefined;
  summary?: string | undefined;
}

/** The article as it reads with the corrected fields (not stored): what the preview and the messages show. */
export function withFields(article: StoredArticle, fields: CorrectedFields): StoredArticle {
  return { ...article, headline: fields.headline ?? article.headline, summary: fields.summary ?? article.summary };
}

/** The corrected channel card: with its "Updated HH:MM" line when it edits a message already sent (`updatedAt`). */
export function correctedCard(
  article: StoredArticle,
  deps: Pick<RevisionDeps, "templates" | "config">,
  updatedAt: Date | undefined,
): string {
  return renderArticleCard(article, deps.templates, { timeZone: deps.config.schedule.timeZone, updatedAt });
}

/** The channel card and the alert texts of an article, with an "Updated HH:MM" line when `updatedAt` is given. */
function cardTexts(
  article: StoredArticle,
  deps: Pick<RevisionDeps, "templates" | "config">,
  updatedAt: Date | undefined,
): (kind: OutboxKind, topic: string | undefined) => string {
  const card = correctedCard(article, deps, updatedAt);
  const alertText = alertTexts(article, deps, updatedAt);
  return (kind, topic) => (kind === "alert" ? alertText(topic ?? "") : card);
}

/**
 * Corrects a published article: the fields are stored as its own, the channel post and the alerts already sent are
 * edited (one `correction` row each, at correction priority), and its messages not sent yet go out corrected.
 * Undefined when the article is gone or was retracted.
 */
export async function correctArticle(deps: RevisionDeps, articleId: number, fields: CorrectedFields): Promise<RevisionOutcome | undefined> {
  const article = await deps.store.articles.get(articleId);
  if (article === undefined || article.retractedAt !== undefined) return undefined;
  const at = new Date(deps.clock.now());
  const corrected = withFields(article, fields);
  // Only an edit says "Updated HH:MM": a message not sent yet is its readers' first version.
  const texts = { edit: cardTexts(corrected, deps, at), first: cardTexts(corrected, deps, undefined) };
  const outcome = await deps.store.outbox.correct(
    articleId,
    fields,
    ({ kind, topic, sent }) => ({ text: (sent ? texts.edit : texts.first)(kind, topic), linkPreviewUrl: corrected.link }),
    at,
  );
  if (outcome !== undefined) queued(deps, articleId, "correction", outcome);
  return outcome;
}

/**
 * Retracts a published article: it leaves /latest, search and the queue; its messages not sent yet are cancelled, and
 * each one sent is deleted, or edited into the retraction notice where Telegram refuses to delete it (older than 48
 * hours). Undefined when the article is gone or was retracted already.
 */
export async function retractArticle(deps: RevisionDeps, articleId: number): Promise<RevisionOutcome | undefined> {
  const article = await deps.store.articles.get(articleId);
  if (article === undefined || article.retractedAt !== undefined) return undefined;
  const at = new Date(deps.clock.now());
  const text = deps.templates.render("retraction-notice", { time: formatClock(at, deps.config.schedule.timeZone) });
  const outcome = await deps.store.outbox.retract(articleId, { text }, at);
  if (outcome !== undefined) queued(deps, articleId, "retraction", outcome);
  return outcome;
}

/** Wakes the engine for the new rows and logs them, with a warning about a channel post no row can reach. */
function queued(deps: RevisionDeps, articleId: number, kind: "correction" | "retraction", outcome: RevisionOutcome): void {
  deps.engine.notify();
  deps.logger.info({ articleId, ...outcome }, `${kind} queued`);
  if (outcome.unconfirmed > 0)
    deps.logger.warn(
      { articleId, unconfirmed: outcome.unconfirmed },
      `a crash interrupted this story's channel post: it may be in the channel, and the ${kind} cannot reach it; check it and ${
        kind === "retraction" ? "delete" : "edit"
      } it by hand`,
    );
}
