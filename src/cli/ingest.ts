import { config as loadDotenv } from "dotenv";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError, loadToolConfig } from "../config/index.js";
import { systemClock } from "../clock.js";
import { formatTime, renderArticleCard } from "../format/card.js";
import { ingestRawText, type DeskIngestResult } from "../ingest/desk.js";
import { openStore } from "../store/index.js";
import { loadAliases, loadTemplates } from "../texts.js";

/**
 * npm run ingest -- FILE [--link URL] [--queue]
 * Stores a pasted article (first line headline, then the body) and prints the message it becomes.
 * --queue also queues it for the channel; without it, publishing stays an editor's decision. Run again
 * with --queue after a preview, it queues the article stored by the preview.
 */
const USAGE = "Usage: npm run ingest -- FILE [--link URL] [--queue]   (FILE: first line the headline, then the body; - reads stdin)";

loadDotenv({ quiet: true });

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const file = args.positionals[0];
  if (file === undefined || args.positionals.length > 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadToolConfig();
  let text: string;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (error) {
    process.stderr.write(`Cannot read ${file}: ${(error as Error).message}\n`);
    return 1;
  }
  const templates = loadTemplates();
  const store = openStore(config.database, systemClock);
  try {
    const result = await ingestRawText(text, {
      link: args.values.link,
      queue: args.values.queue,
      store,
      clock: systemClock,
      aliases: loadAliases(config.ingest.topicsFile),
      summaryMaxChars: config.ingest.summaryMaxChars,
    });
    const tags = result.article.tags.join(", ") || "none";
    process.stderr.write(`Article #${result.article.id}: ${describe(result, config.schedule.timeZone)} Tags: ${tags}\n`);
    process.stdout.write(`${renderArticleCard(result.article, templates, { timeZone: config.schedule.timeZone })}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** What happened to the article, and where it stands with the channel. */
function describe({ status, article, queue }: DeskIngestResult, timeZone: string): string {
  const stored = { new: "stored as a new article", seen: "already stored", merged: "the same story as a stored article" }[status];
  const released = article.releasedAt && `released to the channel on ${formatTime(article.releasedAt, timeZone)}`;
  switch (queue) {
    case "queued":
      return `${stored}, ${status === "new" ? "" : "now "}queued for the channel.`;
    case "already-queued":
      return `${stored}, and already queued for the channel: nothing changed.`;
    case "released":
      return `${stored}, and ${released ?? "released"}: not queued again.`;
    default: // not asked to queue
      if (released) return `${stored}, ${released}.`;
      if (article.queuedAt) return `${stored}, queued for the channel.`;
      return `${stored}, not queued: run again with --queue to queue it for the channel.`;
  }
}

function parse() {
  return parseArgs({ options: { link: { type: "string" }, queue: { type: "boolean", default: false } }, allowPositionals: true });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message =
      error instanceof ConfigError
        ? `Newsdesk cannot start: ${error.message}`
        : error instanceof Error
          ? `${error.name}: ${error.message}`
          : String(error);
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
