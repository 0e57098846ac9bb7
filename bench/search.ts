/**
 * npm run bench:search [-- --articles 100000 --subscriptions 100000]
 *
 * /topic on 100,000 stored articles: p50 and p95 of the search-and-render path (topicAnswer, the code
 * /topic runs, without the Telegram round trip), next to the bare search, in the same run. Also how
 * long finding the followers of one new article takes with 100,000 subscriptions.
 * Goal (issue 4): p95 < 10 ms. Writes bench/results/search.md.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { topicAnswer } from "../src/readers/topic-page.js";
import type { BotContext } from "../src/bot/context.js";
import { loadConfig } from "../src/config/index.js";
import { alertsFor } from "../src/delivery/followers.js";
import { loadTemplates } from "../src/texts.js";
import { buildArticle, type BuiltArticle } from "../src/ingest/build-article.js";
import { parseFeedText } from "../src/ingest/parse.js";
import { parseRawArticle } from "../src/ingest/raw-text.js";
import { createLogger } from "../src/logger.js";
import { searchArticles } from "../src/search/index.js";
import { openStore, type ArticleInput } from "../src/store/index.js";
import { loadAliasMap } from "../src/topics/index.js";
import { generateFeed, seededRandom } from "./support/feed.js";
import { writeResults } from "./support/measure.js";
import { systemClock } from "../src/clock.js";

const GOAL_P95_MS = 10;
const DISTINCT_STORIES = 2_000; // built by the real pipeline, then varied to fill the store
const QUERIES = [
  "xinjiang",
  "uighurs",
  "uyghur",
  "embassies",
  '"forced labour"',
  "international criminal court",
  "fuel prices",
  '"interest rates"',
  "Kenya",
  "central bank",
  "United Nations",
  "grain",
  "election reforms",
  "Maria Alvarez",
  "flood",
  "China's",
  "volcano eruption",
  "the",
  "AND OR",
  "x".repeat(300),
];

const { values: args } = parseArgs({
  options: {
    articles: { type: "string", default: "100000" },
    subscriptions: { type: "string", default: "100000" },
    repeats: { type: "string", default: "20" },
  },
});
const ARTICLES = Number(args.articles);
const SUBSCRIPTIONS = Number(args.subscriptions);
const REPEATS = Number(args.repeats);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const fmt = (ms: number) => ms.toFixed(2);

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "newsdesk-bench-search-"));
  const store = openStore({ kind: "sqlite", path: join(dir, "news.db") }, systemClock);
  const aliases = loadAliasMap();
  const templates = loadTemplates();
  const config = loadConfig({ BOT_TOKEN: "123456:BENCH-TOKEN-abc" });
  const logger = createLogger({ level: "silent", secrets: [] });
  const now = new Date();
  try {
    // 1. Articles: the real pipeline builds the distinct stories; copies vary key, headline and date.
    const started = performance.now();
    const feed = parseFeedText(generateFeed({ items: DISTINCT_STORIES, seed: 7 }));
    const built: BuiltArticle[] = feed.items
      .map((item) => buildArticle(item, { aliases, summaryMaxChars: 400, source: "Bench Wire", keyScope: "bench", now }))
      .filter((b): b is BuiltArticle => b !== undefined);
    const reference = readFileSync(new URL("../../shared/fixtures/articles/xinjiang-embassy.txt", import.meta.url), "utf8");
    const ref = buildArticle(parseRawArticle(reference), { aliases, summaryMaxChars: 400, source: "Bench Wire", keyScope: "desk", now });
    if (ref) built.push(ref);
    const rand = seededRandom(11);
    for (let offset = 0; offset < ARTICLES; offset += 1_000) {
      const batch: ArticleInput[] = [];
      for (let i = offset; i < Math.min(ARTICLES, offset + 1_000); i++) {
        const base = built[i % built.length] as BuiltArticle;
        const copy = Math.floor(i / built.length);
        const headline = copy === 0 ? base.article.headline : `${base.article.headline} (${copy})`;
        batch.push({
          article: {
            ...base.article,
            dedupKey: `bench:${i}`,
            headline,
            publishedAt: new Date(now.getTime() - Math.floor(rand() * 90 * 86_400_000)),
          },
          keys: [`bench:${i}`],
          headlineKey: `bench:${i}`,
          isNews: false,
        });
      }
      await store.articles.save(batch, { now });
    }
    const loadSeconds = (performance.now() - started) / 1000;

    // 2. /topic: the command's own code path, and the bare search, on the same queries.
    const ctx = { services: { store, aliases, templates, config, logger, menu: [] } } as unknown as BotContext;
    const render: number[] = [];
    const search: number[] = [];
    for (let round = 0; round < REPEATS + 2; round++) {
      for (const query of QUERIES) {
        for (const page of [1, 2]) {
          let t = performance.now();
          await searchArticles(store, aliases, query, { limit: 5, offset: (page - 1) * 5 });
          const searchMs = performance.now() - t;
          t = performance.now();
          await topicAnswer(ctx, query, page);
          const renderMs = performance.now() - t;
          if (round >= 2) {
            search.push(searchMs);
            render.push(renderMs);
          }
        }
      }
    }

    // 3. Followers of a new article with SUBSCRIPTIONS subscriptions over many distinct topics.
    const topicPool = [...new Set(built.flatMap((b) => b.article.tags))];
    const extra = Array.from({ length: 2_000 }, (_, i) => `rare topic ${i}`);
    const topics = [...topicPool, ...extra];
    for (let chat = 1; chat * 3 <= SUBSCRIPTIONS + 2; chat++) await store.chats.recordStart({ id: chat, kind: "private" });
    let subs = 0;
    for (let chat = 1; subs < SUBSCRIPTIONS; chat++) {
      for (let k = 0; k < 3 && subs < SUBSCRIPTIONS; k++, subs++)
        await store.subscriptions.follow(chat, topics[Math.floor(rand() * topics.length)] as string, 50);
    }
    const followers: number[] = [];
    let alerts = 0;
    const sample = await store.articles.latest(30);
    for (const article of sample) {
      const t = performance.now();
      alerts += (await alertsFor(article, store, aliases)).length;
      followers.push(performance.now() - t);
    }

    const rows: [string, string][] = [
      ["Stored articles", ARTICLES.toLocaleString("en")],
      ["Queries × pages × repeats", `${QUERIES.length} × 2 × ${REPEATS}`],
      ["/topic search + render p50", `${fmt(percentile(render, 50))} ms`],
      ["/topic search + render p95", `**${fmt(percentile(render, 95))} ms**`],
      ["Bare search p50 / p95", `${fmt(percentile(search, 50))} / ${fmt(percentile(search, 95))} ms`],
      ["Render share of the path (p50)", `${Math.max(0, Math.round((1 - percentile(search, 50) / percentile(render, 50)) * 100))} %`],
      ["Goal p95 < 10 ms", percentile(render, 95) < GOAL_P95_MS ? "met" : "**not met**"],
      ["Subscriptions / distinct topics", `${SUBSCRIPTIONS.toLocaleString("en")} / ${topics.length.toLocaleString("en")}`],
      [
        "Followers of one article p50 / p95",
        `${fmt(percentile(followers, 50))} / ${fmt(percentile(followers, 95))} ms (${alerts} alerts for ${sample.length} articles)`,
      ],
      ["Loading the store", `${loadSeconds.toFixed(1)} s`],
    ];
    writeResults(
      "search",
      "Search benchmark",
      `npm run bench:search -- --articles ${ARTICLES} --subscriptions ${SUBSCRIPTIONS} --repeats ${REPEATS}`,
      rows,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
