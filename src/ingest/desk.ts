import type { Store } from "../store/index.js";
import type { AliasMap } from "../topics/index.js";
import { buildArticle } from "./build-article.js";
import { parseRawArticle } from "./raw-text.js";
import type { StoredArticle } from "../store/index.js";

/** Source name for articles an editor pastes in. */
export const DESK_SOURCE = "Newsdesk";

export interface DeskIngestResult {
  status: "new" | "seen" | "merged";
  article: StoredArticle;
}

/**
 * An article pasted as text (first line headline, a URL line as the link) → a stored article.
 * It is not queued for the channel: publishing a pasted story is an editor's decision (the admin desk).
 */
export async function ingestRawText(
  text: string,
  options: { link?: string | undefined; store: Store; aliases: AliasMap; summaryMaxChars: number; queue?: boolean; now?: Date },
): Promise<DeskIngestResult> {
  const raw = parseRawArticle(text, options.link === undefined ? {} : { link: options.link });
  const now = options.now ?? new Date();
  const built = buildArticle(raw, {
    aliases: options.aliases,
    summaryMaxChars: options.summaryMaxChars,
    source: DESK_SOURCE,
    keyScope: "desk",
    now,
  });
  if (!built) throw new Error("The pasted text has no headline. Put the headline on the first line.");
  const [outcome] = await options.store.articles.save([{ ...built, sourceLink: built.article.link, isNews: options.queue ?? false }], {
    now,
  });
  if (!outcome) throw new Error("the store saved nothing");
  const article = await options.store.articles.get(outcome.articleId);
  if (!article) throw new Error(`article ${outcome.articleId} vanished right after it was saved`);
  return { status: outcome.status, article };
}
