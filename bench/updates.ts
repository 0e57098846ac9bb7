/**
 * npm run bench:updates [-- --commands 5000 --users 500 --rounds 3]
 *
 * Commands answered per second: 5,000 /latest from 500 users, pushed at once into the fake Telegram server (no rate
 * limit), until every one is answered. In the same run, on the same server, round after round:
 * - Newsdesk: the whole app (startApp, long polling, UPDATES_CONCURRENCY at its default), /latest over 20 stored
 *   articles: the store, the templates, the chat record and the middleware of every command;
 * - a bare grammY bot that echoes each message, on the same runner with the same bound (the ceiling: no work per update).
 * The figure is the ratio of the medians, Newsdesk / echo. Goal (issue 10): >= 0.5. For context, once each: the echo bot
 * with grammY's bot.start() (one update at a time) and Newsdesk with UPDATES_CONCURRENCY=1 (as polling was before).
 * Writes bench/results/updates.md.
 */
import { run } from "@grammyjs/runner";
import { Bot } from "grammy";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startApp } from "../src/app.js";
import { systemClock } from "../src/clock.js";
import { loadConfig } from "../src/config/index.js";
import { createLogger } from "../src/logger.js";
import { FakeTelegram } from "../src/sandbox/fake-telegram/index.js";
import { openStore } from "../src/store/index.js";
import { addArticle } from "../tests/support/outbox-fixtures.js";
import { makeTempDir } from "../tests/support/temp-dir.js";
import { median, writeResults } from "./support/measure.js";

const GOAL = 0.5;
const FIRST_USER = 500_001;
const ARTICLES = 20;

const { values: args } = parseArgs({
  options: {
    commands: { type: "string", default: "5000" },
    users: { type: "string", default: "500" },
    rounds: { type: "string", default: "3" },
  },
});
const COMMANDS = Number(args.commands);
const USERS = Number(args.users);
const ROUNDS = Number(args.rounds);

/** A contender started on the fake server: polling until stop() resolves. */
type Start = (fake: FakeTelegram) => Promise<{ stop(): Promise<void> }>;

/** Pushes the commands at once and measures until every one is answered; answers per second. */
async function answersPerSecond(fake: FakeTelegram, start: Start): Promise<number> {
  const contender = await start(fake);
  try {
    const before = fake.stats.byMethod.sendMessage ?? 0;
    const started = performance.now();
    for (let i = 0; i < COMMANDS; i++) fake.pushMessage({ userId: FIRST_USER + (i % USERS), text: "/latest" });
    await fake.waitFor(() => (fake.stats.byMethod.sendMessage ?? 0) - before >= COMMANDS, 300_000);
    const seconds = (performance.now() - started) / 1000;
    if ((fake.stats.byMethod.sendMessage ?? 0) - before !== COMMANDS) throw new Error("more answers than commands");
    return COMMANDS / seconds;
  } finally {
    await contender.stop();
  }
}

/** The whole app, on a database with ARTICLES stored, so that /latest answers with a card and a list. */
function newsdesk(dbPath: string, concurrency?: number): Start {
  return async (fake) => {
    const config = loadConfig({
      BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATABASE_URL: `file:${dbPath}`,
      ...(concurrency === undefined ? {} : { UPDATES_CONCURRENCY: String(concurrency) }),
    });
    const logger = createLogger({ level: "silent", secrets: [config.botToken] });
    const app = await startApp(config, logger, {
      clock: systemClock,
      onFatal: (error) => {
        process.stderr.write(`Newsdesk stopped: ${error.message}\n`);
        process.exit(1);
      },
    });
    return app;
  };
}

/** A bare grammY bot that echoes, on the runner (bot.start() when `sequential`). */
function echo(concurrency: number, sequential = false): Start {
  return async (fake) => {
    const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot }, botInfo: fake.botInfo });
    let lastUpdateId = 0;
    bot.on("message:text", async (ctx) => {
      lastUpdateId = Math.max(lastUpdateId, ctx.update.update_id);
      await ctx.reply(ctx.msg.text);
    });
    if (sequential) {
      const started = new Promise<void>((resolve) => void bot.start({ onStart: () => resolve() }));
      await started;
      return { stop: () => bot.stop() };
    }
    await bot.api.deleteWebhook();
    const runner = run(bot, { sink: { concurrency }, runner: { silent: true } });
    return {
      async stop() {
        await runner.stop();
        // The runner does not confirm its last batch: the next contender must not get it again.
        await bot.api.getUpdates({ offset: lastUpdateId + 1, limit: 1, timeout: 0 });
      },
    };
  };
}

async function main() {
  const dir = makeTempDir("newsdesk-bench-updates-");
  const fake = await FakeTelegram.start({ rateLimit: null });
  try {
    const dbPath = join(dir.path, "news.db");
    const store = openStore({ kind: "sqlite", path: dbPath }, systemClock);
    for (let n = 1; n <= ARTICLES; n++) await addArticle(store, n);
    await store.close();
    const concurrency = loadConfig({ BOT_TOKEN: fake.token }).updates.concurrency;

    // A warm-up of each, then rounds that alternate which goes first.
    await answersPerSecond(fake, newsdesk(dbPath));
    await answersPerSecond(fake, echo(concurrency));
    const sample = fake.sent(FIRST_USER)[0]?.text ?? "";
    if (!sample.includes("Harbour reopens")) throw new Error(`Newsdesk did not answer /latest with the stored articles: ${sample}`);

    const ours: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        ours.push(await answersPerSecond(fake, newsdesk(dbPath)));
        bare.push(await answersPerSecond(fake, echo(concurrency)));
      } else {
        bare.push(await answersPerSecond(fake, echo(concurrency)));
        ours.push(await answersPerSecond(fake, newsdesk(dbPath)));
      }
      process.stderr.write(`round ${round + 1}: Newsdesk ${ours.at(-1)?.toFixed(0)}/s, echo ${bare.at(-1)?.toFixed(0)}/s\n`);
    }
    const sequentialEcho = await answersPerSecond(fake, echo(concurrency, true));
    const oneAtATime = await answersPerSecond(fake, newsdesk(dbPath, 1));

    const ratio = median(ours) / median(bare);
    const perSecond = (value: number) => `${Math.round(value).toLocaleString("en")} answers/s`;
    const rows: [string, string][] = [
      ["Load", `${COMMANDS.toLocaleString("en")} /latest from ${USERS} users at once, fake server without rate limit`],
      [`Newsdesk (startApp, polling, UPDATES_CONCURRENCY=${concurrency}), median of ${ROUNDS}`, `**${perSecond(median(ours))}**`],
      [`Bare grammY echo bot (runner, concurrency ${concurrency}), median of ${ROUNDS}`, perSecond(median(bare))],
      ["Ratio Newsdesk / echo", `**${ratio.toFixed(2)}**`],
      [`Goal ratio >= ${GOAL}`, ratio >= GOAL ? "met" : "**not met**"],
      ["For context: Newsdesk with UPDATES_CONCURRENCY=1 (one update at a time), once", perSecond(oneAtATime)],
      ["For context: bare grammY echo bot with bot.start() (one update at a time), once", perSecond(sequentialEcho)],
    ];
    writeResults(
      "updates",
      "Updates benchmark",
      `npm run bench:updates -- --commands ${COMMANDS} --users ${USERS} --rounds ${ROUNDS}`,
      rows,
    );
  } finally {
    await fake.close();
    dir.remove();
  }
}

await main();
