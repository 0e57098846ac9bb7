/**
 * npm run bench:rss [-- --articles 100000 --subscriptions 100000 --users 200 --queries 5]
 *
 * Peak resident set size of the app (startApp, in a process of its own: bench/support/rss-app.ts) with 100,000
 * articles and 100,000 subscriptions stored, while `users` readers each send `queries` /topic commands at once through
 * the fake Telegram server. The store is filled beforehand, in this process: the app's process holds only the app.
 * Goal (issue 10): under 200 MB. Writes bench/results/rss.md.
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { systemClock } from "../src/clock.js";
import { buildArticle, type BuiltArticle } from "../src/ingest/build-article.js";
import { parseFeedText } from "../src/ingest/parse.js";
import { FakeTelegram } from "../src/sandbox/fake-telegram/index.js";
import { openStore, type ArticleInput, type Store } from "../src/store/index.js";
import { loadAliasMap } from "../src/topics/index.js";
import { generateFeed, seededRandom } from "./support/feed.js";
import { writeResults } from "./support/measure.js";
import type { RssChildMessage } from "./support/rss-app.js";

const GOAL_MB = 200;
const DISTINCT_STORIES = 2_000; // built by the real pipeline, then varied to fill the store
const FIRST_READER = 900_001;
const QUERIES = [
  "xinjiang",
  "embassies",
  '"forced labour"',
  "fuel prices",
  "Kenya",
  "central bank",
  "United Nations",
  "grain",
  "flood",
  "the",
];
/** rss-app.ts under tsx, rss-app.js when the benchmark runs compiled (node, no tsx: how `npm run start:prod` runs). */
const UNDER_TSX = extname(import.meta.url) === ".ts";
const CHILD = fileURLToPath(new URL(`./support/rss-app${UNDER_TSX ? ".ts" : ".js"}`, import.meta.url));

const { values: args } = parseArgs({
  options: {
    articles: { type: "string", default: "100000" },
    subscriptions: { type: "string", default: "100000" },
    users: { type: "string", default: "200" },
    queries: { type: "string", default: "5" },
  },
});
const ARTICLES = Number(args.articles);
const SUBSCRIPTIONS = Number(args.subscriptions);
const USERS = Number(args.users);
const PER_USER = Number(args.queries);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** ARTICLES articles (copies of the pipeline's stories with new keys, headlines and dates) and SUBSCRIPTIONS follows. */
async function fill(store: Store): Promise<number> {
  const now = new Date();
  const aliases = loadAliasMap();
  const built = parseFeedText(generateFeed({ items: DISTINCT_STORIES, seed: 7 }))
    .items.map((item) => buildArticle(item, { aliases, summaryMaxChars: 400, source: "Bench Wire", keyScope: "bench", now }))
    .filter((b): b is BuiltArticle => b !== undefined);
  const rand = seededRandom(11);
  for (let offset = 0; offset < ARTICLES; offset += 1_000) {
    const batch: ArticleInput[] = [];
    for (let i = offset; i < Math.min(ARTICLES, offset + 1_000); i++) {
      const base = built[i % built.length] as BuiltArticle;
      const copy = Math.floor(i / built.length);
      batch.push({
        article: {
          ...base.article,
          dedupKey: `bench:${i}`,
          headline: copy === 0 ? base.article.headline : `${base.article.headline} (${copy})`,
          publishedAt: new Date(now.getTime() - Math.floor(rand() * 90 * 86_400_000)),
        },
        keys: [`bench:${i}`],
        headlineKey: `bench:${i}`,
        isNews: false,
      });
    }
    await store.articles.save(batch, { now });
  }
  const topics = [...new Set(built.flatMap((b) => b.article.tags)), ...Array.from({ length: 2_000 }, (_, i) => `rare topic ${i}`)];
  for (let chat = 1; chat * 3 <= SUBSCRIPTIONS + 2; chat++) await store.chats.recordStart({ id: chat, kind: "private" });
  let subs = 0;
  for (let chat = 1; subs < SUBSCRIPTIONS; chat++) {
    for (let k = 0; k < 3 && subs < SUBSCRIPTIONS; k++, subs++)
      await store.subscriptions.follow(chat, topics[Math.floor(rand() * topics.length)] as string, 50);
  }
  return topics.length;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "newsdesk-bench-rss-"));
  const databaseUrl = `file:${join(dir, "news.db")}`;
  const fake = await FakeTelegram.start();
  try {
    const started = performance.now();
    const store = openStore({ kind: "sqlite", path: join(dir, "news.db") }, systemClock);
    const topics = await fill(store);
    await store.close();
    const fillSeconds = (performance.now() - started) / 1000;

    const child = fork(CHILD, [], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: {
        ...process.env,
        NEWSDESK_BENCH_TOKEN: fake.token,
        NEWSDESK_BENCH_API_ROOT: fake.apiRoot,
        NEWSDESK_BENCH_DATABASE_URL: databaseUrl,
      },
    });
    const next = () =>
      new Promise<RssChildMessage>((resolve, reject) => {
        child.once("message", (message) => resolve(message as RssChildMessage));
        child.once("exit", (code) => reject(new Error(`the app's process exited (${code})`)));
      });
    const start = await next();
    if (start.type !== "started") throw new Error(`unexpected ${start.type}`);

    const loadStart = performance.now();
    const readers = Array.from({ length: USERS }, (_, i) => FIRST_READER + i);
    for (let q = 0; q < PER_USER; q++) {
      for (const [i, userId] of readers.entries()) fake.pushMessage({ userId, text: `/topic ${QUERIES[(i + q) % QUERIES.length]}` });
    }
    const total = USERS * PER_USER;
    // The bot sends nothing else: every message is an answer.
    await fake.waitFor(() => fake.sent().length >= total, 600_000);
    const loadSeconds = (performance.now() - loadStart) / 1000;
    child.send("stop");
    const end = await next();
    if (end.type !== "peak") throw new Error(`unexpected ${end.type}`);

    const options = `--articles ${ARTICLES} --subscriptions ${SUBSCRIPTIONS} --users ${USERS} --queries ${PER_USER}`;
    writeResults(
      UNDER_TSX ? "rss" : "rss-compiled",
      "Peak RSS during a /topic load",
      UNDER_TSX ? `npm run bench:rss -- ${options}` : `node <compiled>/bench/rss.js ${options} (see bench/README.md)`,
      [
        [
          "Stored",
          `${ARTICLES.toLocaleString("en")} articles, ${SUBSCRIPTIONS.toLocaleString("en")} subscriptions over ${topics.toLocaleString("en")} topics`,
        ],
        [
          "Load",
          `${USERS} readers × ${PER_USER} /topic at once (${total.toLocaleString("en")} commands, ${QUERIES.length} queries), answered in ${loadSeconds.toFixed(1)} s`,
        ],
        ["Runs as", UNDER_TSX ? "TypeScript under tsx (as npm start)" : "compiled JavaScript under node, no tsx"],
        [`Runtime alone (${UNDER_TSX ? "Node and tsx" : "Node"}, before the app's modules)`, mb(start.runtime)],
        ["App's RSS after start", mb(start.rss)],
        ["App's peak RSS (start and load)", `**${mb(end.peak.rss)}**`],
        ["At the peak: V8 heap used / total, external", `${mb(end.peak.heapUsed)} / ${mb(end.peak.heapTotal)}, ${mb(end.peak.external)}`],
        [`Goal < ${GOAL_MB} MB`, end.peak.rss < GOAL_MB * 1024 * 1024 ? "met" : "NOT met"],
        ["Filling the store (not measured)", `${fillSeconds.toFixed(1)} s`],
      ],
    );
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
