import type { Templates } from "../format/templates.js";
import { oneLine } from "../format/lists.js";
import type { FeedRecord, Store } from "../store/index.js";
import { titleOrHost } from "../format/card.js";

/** Who hears about a feed's health, and the templates the message is written with. */
export interface FeedAlerts {
  adminIds: readonly number[];
  templates: Templates;
  /** Failures in a row before the admins are told (FEED_ALERT_AFTER). */
  after: number;
}

/** How a run went; an ok run may bring the feed's title (a feed that never worked before has none stored). */
type Health = { status: "failed"; failures: number; reason: string } | { status: "ok"; title?: string | undefined };

/**
 * After a feed run: one message to every admin when the feed has failed `after` polls in a row, and one more when
 * it works again; never one per failure. The flag is claimed in the store before the messages are queued, so a
 * second caller (or a restart) sends nothing; a crash between the two loses that one alert rather than doubling it.
 * The messages go through the outbox, at alert priority, as private alerts to each admin.
 */
export async function reportFeedHealth(feed: FeedRecord, health: Health, store: Store, alerts: FeedAlerts, now: Date): Promise<void> {
  if (alerts.adminIds.length === 0) return;
  // Once told, a feed that keeps failing costs no write: the store's claim below still guards a race.
  const failing = health.status === "failed" && health.failures >= alerts.after && !feed.alerted;
  const recovered = health.status === "ok" && feed.alerted;
  if (!failing && !recovered) return;
  if (!(await store.feeds.setAlerted(feed.id, failing))) return;
  const title = oneLine(titleOrHost((health.status === "ok" ? health.title : undefined) || feed.title, feed.url), 100);
  const text =
    health.status === "failed"
      ? alerts.templates.render("feed-failing", { title, url: feed.url, failures: health.failures, error: oneLine(health.reason, 300) })
      : alerts.templates.render("feed-recovered", { title, url: feed.url });
  await store.outbox.enqueue(
    alerts.adminIds.map((id) => ({ kind: "alert" as const, chatId: String(id), payload: { text } })),
    now,
  );
}
