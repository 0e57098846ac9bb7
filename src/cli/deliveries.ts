import { config as loadDotenv } from "dotenv";
import { parseArgs } from "node:util";
import { ConfigError, loadToolConfig } from "../config/index.js";
import { openStore, type DeliveryCounts } from "../store/index.js";

/**
 * npm run deliveries [-- --limit 20]
 * Delivery counts per article from the outbox, newest first, with the time the rest will take at
 * BROADCAST_RATE: what operators look at until the admin desk shows it live.
 */
loadDotenv({ quiet: true });

const COLUMNS = ["sent", "pending", "sending", "failed", "blocked"] as const;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { limit: { type: "string", default: "20" } } });
  const limit = Number(values.limit);
  if (!Number.isSafeInteger(limit) || limit < 1) {
    process.stderr.write("Usage: npm run deliveries [-- --limit N]   (N: how many articles, newest first)\n");
    return 2;
  }
  const config = loadToolConfig();
  const rate = config.delivery.broadcastRate;
  const store = openStore(config.database);
  try {
    const rows = await store.outbox.recentArticles(limit);
    const total = await store.outbox.counts();
    const line = (id: string, counts: DeliveryCounts, headline: string) =>
      `${id.padStart(7)}  ${COLUMNS.map((c) => String(counts[c]).padStart(8)).join("")}  ${headline}`;
    process.stdout.write(`${"article".padStart(7)}  ${COLUMNS.map((c) => c.padStart(8)).join("")}  headline\n`);
    for (const row of rows) process.stdout.write(`${line(String(row.articleId), row.counts, row.headline.slice(0, 70))}\n`);
    process.stdout.write(`${line("all", total, "")}\n`);
    const left = total.pending + total.sending;
    process.stdout.write(left > 0 ? `${left} left: about ${Math.ceil(left / rate)} s at ${rate} messages/s.\n` : "Nothing left to send.\n");
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? `Newsdesk cannot start: ${error.message}` : String(error)}\n`);
    process.exit(1);
  },
);
