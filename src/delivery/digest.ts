import type { Clock } from "../clock.js";
import type { Config } from "../config/index.js";
import { fitItems } from "../format/lists.js";
import { storyLine } from "../format/story-line.js";
import type { Templates } from "../format/templates.js";
import type { Logger } from "../logger.js";
import type { Store } from "../store/index.js";

const DAY_MS = 86_400_000;
const MAX_ITEMS = 15;
/** Candidates read: the newest stories, of which those of the last day are kept. */
const CANDIDATES = 100;

/**
 * DIGEST_CRON: the stories of the last 24 hours, newest first, as one channel post in the outbox
 * (bulk priority: breaking news and alerts go first). Nothing when there is no channel or no story.
 */
export async function queueDigest(deps: {
  store: Store;
  templates: Templates;
  config: Pick<Config, "channelId" | "schedule">;
  logger: Logger;
  clock: Clock;
}): Promise<boolean> {
  const { store, templates, config } = deps;
  const now = new Date(deps.clock.now());
  if (config.channelId === undefined) return false;
  const stories = (await store.articles.latest(CANDIDATES)).filter((a) => a.publishedAt.getTime() >= now.getTime() - DAY_MS);
  if (stories.length === 0) {
    deps.logger.info("no stories in the last 24 hours: no digest");
    return false;
  }
  const items = stories.slice(0, MAX_ITEMS).map(storyLine);
  const date = new Intl.DateTimeFormat("en-GB", {
    timeZone: config.schedule.timeZone,
    day: "numeric",
    month: "long",
    year: "numeric",
  }).format(now);
  const text = fitItems(items, (kept) => templates.render("digest", { date, items: kept }));
  await store.outbox.enqueue([{ kind: "digest", chatId: config.channelId, payload: { text } }], now);
  deps.logger.info({ stories: items.length }, "digest queued");
  return true;
}
