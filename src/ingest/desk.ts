import type { Clock } from "../clock.js";
import { hostOf } from "../format/card.js";
import type { QueueOutcome, Store, StoredArticle } from "../store/index.js";
import type { AliasMap } from "../topics/index.js";
import { buildArticle } from "./build-article.js";
import { canonicalUrl } from "./canonical-url.js";
import { parseRawArticle, RawArticleError } from "./raw-text.js";

/** Source name for articles an editor pastes in without a link. */
export const DESK_SOURCE = "Newsdesk";

export interface DeskIngestResult {
  status: "new" | "seen" | "merged";
  /** As stored, after any queueing. */
  article: StoredArticle;
  /** Asked to queue: what that did ("queued" also for a new article stored as queued news). */
  queue?: QueueOutcome;
}

/**
 * An article pasted as text (first line headline, a URL line as the link) → a stored article, whose source
 * is the link's site ("scmp.com"), or DESK_SOURCE without a link. It is queued for the channel only when
 * asked: publishing a pasted story is an editor's decision. Asked again for an article already stored
 * (a preview first, then the real thing), it queues that article unless it is queued or released already.
 */
export async function ingestRawText(
  text: string,
  options: { link?: string | undefined; store: Store; clock: Clock; aliases: AliasMap; summaryMaxChars: number; queue?: boolean },
): Promise<DeskIngestResult> {
  const { store } = options;
  const raw = parseRawArticle(text, options.link === undefined ? {} : { link: options.link });
  const now = new Date(options.clock.now());
  const link = raw.link === undefined ? undefined : canonicalUrl(raw.link);
  const built = buildArticle(raw, {
    aliases: options.aliases,
    summaryMaxChars: options.summaryMaxChars,
    source: link === undefined ? DESK_SOURCE : hostOf(link),
    keyScope: "desk",
    now,
  });
  if (!built) throw new RawArticleError("The pasted text has no headline. Put the headline on the first line.");
  const queue = options.queue ?? false;
  const [outcome] = await store.articles.save([{ ...built, sourceLink: built.article.link, isNews: queue }], { now });
  if (!outcome) throw new Error("the store saved nothing");
  const queued = !queue ? undefined : outcome.status === "new" ? ("queued" as const) : await store.articles.queue(outcome.articleId);
  const article = await store.articles.get(outcome.articleId);
  if (!article) throw new Error(`article ${outcome.articleId} vanished right after it was saved`);
  return { status: outcome.status, article, ...(queued === undefined ? {} : { queue: queued }) };
}
