/**
 * npm run bench:updates [-- --commands 5000 --users 500 --rounds 3]
 *
 * Commands answered per second: 5,000 /latest from 500 users, pushed at once into the fake Telegram server (no rate
 * limit), until every one is answered. Each contender runs in a process of its own (the fake server's work is not
 * theirs; Telegram's servers are not on the bot's CPU either). In the same run, on the same server, round after round:
 * - Newsdesk: the whole app (startApp, long polling, UPDATES_CONCURRENCY at its default), /latest over 20 stored
 *   articles: the store, the templates, the chat record and the middleware of every command;
 * - a bare grammY bot that echoes each message, on the same runner with the same bound (the ceiling: no work per update).
 * The figure is the ratio of the medians, Newsdesk / echo. Goal (issue 10): >= 0.5. For context, once each: the echo bot
 * with grammY's bot.start() (one update at a time) and Newsdesk with UPDATES_CONCURRENCY=1 (as polling was before).
 * Writes bench/results/updates.md.
 */
import { fork } from "node:child_process";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { systemClock } from "../src/clock.js";
import { loadConfig } from "../src/config/index.js";
import { FakeTelegram } from "../src/sandbox/fake-telegram/index.js";
import { openStore } from "../src/store/index.js";
import { addArticle } from "../tests/support/outbox-fixtures.js";
import { makeTempDir } from "../tests/support/temp-dir.js";
import { median, writeResults } from "./support/measure.js";
import type { ChildMessage, ContenderRequest } from "./support/updates-child.js";

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

const CHILD = fileURLToPath(new URL("./support/updates-child.ts", import.meta.url));

/**
 * Starts the contender in its own process, pushes the commands at once and measures until every one is answered;
 * answers per second.
 */
async function answersPerSecond(fake: FakeTelegram, contender: ContenderRequest["contender"], dbPath: string, concurrency?: number) {
  const request: ContenderRequest = { contender, apiRoot: fake.apiRoot, token: fake.token, botInfo: fake.botInfo, dbPath, concurrency };
  const child = fork(CHILD, [JSON.stringify(request)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const nextMessage = () =>
    Promise.race([
      new Promise<ChildMessage>((resolve) => child.once("message", (message: ChildMessage) => resolve(message))),
      exited.then((code) => Promise.reject(new Error(`${contender} exited (code ${code})`))),
    ]);
  try {
    if ((await nextMessage()).type !== "ready") throw new Error(`${contender} did not start`);
    const before = fake.stats.byMethod.sendMessage ?? 0;
    const started = performance.now();
    for (let i = 0; i < COMMANDS; i++) fake.pushMessage({ userId: FIRST_USER + (i % USERS), text: "/latest" });
    await fake.waitFor(() => (fake.stats.byMethod.sendMessage ?? 0) - before >= COMMANDS, 300_000);
    const seconds = (performance.now() - started) / 1000;
    child.send("stop");
    if ((await nextMessage()).type !== "stopped") throw new Error(`${contender} did not stop`);
    if ((fake.stats.byMethod.sendMessage ?? 0) - before !== COMMANDS) throw new Error(`${contender}: more answers than commands`);
    return COMMANDS / seconds;
  } finally {
    child.kill("SIGKILL");
    await exited;
  }
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
    await answersPerSecond(fake, "newsdesk", dbPath);
    await answersPerSecond(fake, "echo-runner", dbPath, concurrency);
    const sample = fake.sent(FIRST_USER)[0]?.text ?? "";
    if (!sample.includes("Harbour reopens")) throw new Error(`Newsdesk did not answer /latest with the stored articles: ${sample}`);

    const ours: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        ours.push(await answersPerSecond(fake, "newsdesk", dbPath));
        bare.push(await answersPerSecond(fake, "echo-runner", dbPath, concurrency));
      } else {
        bare.push(await answersPerSecond(fake, "echo-runner", dbPath, concurrency));
        ours.push(await answersPerSecond(fake, "newsdesk", dbPath));
      }
      process.stderr.write(`round ${round + 1}: Newsdesk ${ours.at(-1)?.toFixed(0)}/s, echo ${bare.at(-1)?.toFixed(0)}/s\n`);
    }
    const sequentialEcho = await answersPerSecond(fake, "echo-sequential", dbPath);
    const oneAtATime = await answersPerSecond(fake, "newsdesk", dbPath, 1);

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
      ["Machine load (1-minute load average at the end; other work on the machine moves every figure)", loadavg()[0]?.toFixed(1) ?? "?"],
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
