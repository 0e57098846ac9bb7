import { config as loadDotenv } from "dotenv";
import { parseArgs } from "node:util";
import { systemClock } from "../clock.js";
import { ConfigError, loadToolConfig, type ToolConfig } from "../config/index.js";
import { formatTime } from "../format/card.js";
import { nextTick } from "../schedule/next-tick.js";
import { openStore, type DeliveryCounts, type Store } from "../store/index.js";

/**
 * npm run deliveries [-- --limit 20]
 * Delivery counts per article from the outbox, newest first, with the channel post's message id and the
 * time the rest will take at BROADCAST_RATE; then the news queued for the channel, each with the POST_CRON
 * tick that will release it. What operators look at until the admin desk shows it live.
 */
loadDotenv({ quiet: true });

const COLUMNS = ["sent", "pending", "sending", "failed", "blocked", "cancelled"] as const;
const HEADLINE_CHARS = 70;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { limit: { type: "string", default: "20" } } });
  const limit = Number(values.limit);
  if (!Number.isSafeInteger(limit) || limit < 1) {
    process.stderr.write("Usage: npm run deliveries [-- --limit N]   (N: how many articles, newest first)\n");
    return 2;
  }
  const config = loadToolConfig();
  const store = openStore(config.database, systemClock);
  try {
    const left = await printDeliveries(store, limit, config.delivery.broadcastRate);
    const queued = await printQueued(store, limit, config, systemClock.now());
    if (left === 0 && queued === 0) process.stdout.write("Nothing left to send, and nothing queued for the channel.\n");
    return 0;
  } finally {
    await store.close();
  }
}

/** The outbox per article and in all; returns how many messages are left to send. */
async function printDeliveries(store: Store, limit: number, rate: number): Promise<number> {
  const rows = await store.outbox.recentArticles(limit);
  const total = await store.outbox.counts();
  const line = (id: string, post: string, counts: DeliveryCounts, headline: string) =>
    `${id.padStart(7)}  ${post.padStart(10)}  ${COLUMNS.map((c) => String(counts[c]).padStart(10)).join("")}  ${headline}`.trimEnd();
  process.stdout.write(`${"article".padStart(7)}  ${"post".padStart(10)}  ${COLUMNS.map((c) => c.padStart(10)).join("")}  headline\n`);
  for (const row of rows) {
    const post = await store.outbox.channelMessageId(row.articleId);
    process.stdout.write(
      `${line(String(row.articleId), post === undefined ? "-" : String(post), row.counts, row.headline.slice(0, HEADLINE_CHARS))}\n`,
    );
  }
  process.stdout.write(`${line("all", "", total, "")}\n`);
  const left = total.pending + total.sending;
  if (left > 0) process.stdout.write(`${left} left: about ${Math.ceil(left / rate)} s at ${rate} messages/s.\n`);
  return left;
}

/**
 * News waiting for the channel, oldest first, each with the POST_CRON tick that releases it (POST_BATCH a
 * tick, while the bot runs). Returns how many are shown.
 */
async function printQueued(store: Store, limit: number, config: ToolConfig, now: number): Promise<number> {
  const queued = await store.articles.unreleased(limit + 1);
  if (queued.length === 0) return 0;
  const { postCron, timeZone } = config.schedule;
  const ticks: (number | undefined)[] = [];
  for (let i = 0; i * config.delivery.postBatch < Math.min(queued.length, limit); i++) {
    ticks.push(nextTick(postCron, timeZone, new Date(ticks.at(-1) ?? now))?.getTime());
  }
  const when = (tick: number | undefined) =>
    tick === undefined ? "never (POST_CRON does not fire)" : formatTime(new Date(tick), timeZone);
  process.stdout.write(`\nQueued for the channel, ${config.delivery.postBatch} a tick of POST_CRON "${postCron}":\n`);
  for (const [i, article] of queued.slice(0, limit).entries()) {
    const tick = ticks[Math.floor(i / config.delivery.postBatch)];
    process.stdout.write(`${String(article.id).padStart(7)}  ${when(tick)}  ${article.headline.slice(0, HEADLINE_CHARS)}\n`);
  }
  if (queued.length > limit) process.stdout.write("   and more: raise --limit to see them.\n");
  return queued.length;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? `Newsdesk cannot start: ${error.message}` : String(error)}\n`);
    process.exit(1);
  },
);
