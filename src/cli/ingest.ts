import { config as loadDotenv } from "dotenv";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError, loadToolConfig } from "../config/index.js";
import { renderArticleCard } from "../format/card.js";
import { loadTemplates } from "../format/templates.js";
import { ingestRawText } from "../ingest/desk.js";
import { loadAliases } from "../search/index.js";
import { openStore } from "../store/index.js";

/**
 * npm run ingest -- FILE [--link URL] [--queue]
 * Stores a pasted article (first line headline, then the body) and prints the message it becomes.
 * --queue also queues it for the channel; without it, publishing stays an editor's decision.
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
  const store = openStore(config.database);
  try {
    const result = await ingestRawText(text, {
      link: args.values.link,
      queue: args.values.queue,
      store,
      aliases: loadAliases(config.ingest.topicsFile),
      summaryMaxChars: config.ingest.summaryMaxChars,
    });
    const what = { new: "stored as a new article", seen: "already stored", merged: "same story as a stored article" }[result.status];
    process.stderr.write(
      `Article #${result.article.id}: ${what}${result.article.queuedAt ? ", queued for the channel" : ""}. Tags: ${result.article.tags.join(", ") || "none"}\n`,
    );
    process.stdout.write(`${renderArticleCard(result.article, templates, { timeZone: config.schedule.timeZone })}\n`);
    return 0;
  } finally {
    await store.close();
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
