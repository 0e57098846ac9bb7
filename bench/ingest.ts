/**
 * npm run bench:ingest [-- --items 10000 --rounds 3 --core-items 10000 --budget 175]
 *
 * A generated RSS feed goes through the whole ingest (runFeed: loopback fetch → decode → parse →
 * clean, summarize, tag → SQLite), next to bare feedsmith parseFeed on the same bytes, in the same
 * run. A warm-up, then rounds; medians are reported. Writes bench/results/ingest.md.
 * Rounds stop early when the next one would end after --budget seconds (0: no limit).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseFeed } from "feedsmith";
import { cleanParagraphs, htmlToParagraphs } from "../src/clean/index.js";
import { loadToolConfig } from "../src/config/index.js";
import { buildArticle } from "../src/ingest/build-article.js";
import { decodeBody } from "../src/ingest/decode.js";
import { runFeed } from "../src/ingest/feed-run.js";
import { fetchResource } from "../src/ingest/fetch.js";
import { parseFeedText } from "../src/ingest/parse.js";
import { createLogger } from "../src/logger.js";
import { openStore } from "../src/store/index.js";
import { summarize } from "../src/summarize/index.js";
import { extractTags, loadAliasMap } from "../src/topics/index.js";
import { generateFeed } from "./support/feed.js";
import { median, rssSampler, timed, timedStore, writeReport } from "./support/measure.js";
import { systemClock } from "../src/clock.js";

const GOAL = 1_000; // articles per second, from the issue
const WARM_UP_ITEMS = 300;
const STEP_ITEMS = 1_000; // items in the one-off pass that splits buildArticle into its steps
const CONTENT_TYPE = "application/rss+xml; charset=utf-8";

const { values: args } = parseArgs({
  options: {
    items: { type: "string", default: "10000" },
    rounds: { type: "string", default: "3" },
    "core-items": { type: "string" }, // default: all items
    budget: { type: "string", default: "175" },
    seed: { type: "string", default: "42" },
  },
});
const items = Number(args.items);
const requestedRounds = Number(args.rounds);
const coreItems = Math.min(items, Number(args["core-items"] ?? items));
const budgetMs = Number(args.budget) * 1000;
const seed = Number(args.seed);
if (![items, requestedRounds, coreItems].every((n) => Number.isInteger(n) && n > 0) || !(budgetMs >= 0)) {
  throw new Error("--items, --rounds and --core-items take positive whole numbers, --budget seconds (0: no limit)");
}
const sampleNote = coreItems < items ? `, buildArticle on the first ${coreItems.toLocaleString("en-US")} items` : "";

const settings = { ...loadToolConfig({}).ingest, fullText: "never" as const, maxBytes: 100_000_000 };
const aliases = loadAliasMap();
const logger = createLogger({ level: "silent", secrets: [] });

// One loopback server; `body` is the feed currently on offer. A fresh connection per fetch: an idle
// keep-alive socket outlives the server's 5 s timeout during a long round and resets.
let body = Buffer.alloc(0);
const server = createServer((_req, res) => {
  res.writeHead(200, { "content-type": CONTENT_TYPE, "content-length": body.byteLength, connection: "close" });
  res.end(body);
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`;

interface Round {
  parseMs: number; // bare feedsmith, bytes → items
  fetchMs: number;
  decodeMs: number;
  parseFeedTextMs: number;
  buildMsPerItem: number; // buildArticle over the first coreItems parsed items
  pipelineMs: number; // runFeed, everything
  storeMs: number; // the store's part of runFeed
  startRss: number;
  peakRss: number;
}

async function round(feedItems: number, buildItems: number): Promise<Round> {
  // The pipeline first, so that its memory is not the other passes' garbage.
  const pipeline = await pipelineRun(feedItems);

  const bare = await timed(() => parseFeed(new TextDecoder().decode(body)));
  if (bare.value.format !== "rss" || bare.value.feed.items?.length !== feedItems) throw new Error("feedsmith did not read every item");

  // The bench serves the feed on loopback, a private address.
  const fetched = await timed(() => fetchResource(feedUrl, { maxBytes: settings.maxBytes, allowPrivateAddresses: true }));
  if (fetched.value.status !== "ok") throw new Error("fetch failed");
  const bytes = fetched.value.bytes;
  const decoded = await timed(() => decodeBody(bytes, CONTENT_TYPE));
  const parsed = await timed(() => parseFeedText(decoded.value, feedUrl));
  const now = new Date();
  const build = await timed(() =>
    parsed.value.items
      .slice(0, buildItems)
      .map((item) =>
        buildArticle(item, { aliases, summaryMaxChars: settings.summaryMaxChars, source: "Bench Wire", keyScope: "feed:1", now }),
      ),
  );
  return {
    ...pipeline,
    parseMs: bare.ms,
    fetchMs: fetched.ms,
    decodeMs: decoded.ms,
    parseFeedTextMs: parsed.ms,
    buildMsPerItem: build.ms / buildItems,
  };
}

/** runFeed once, into a fresh temporary database. */
async function pipelineRun(feedItems: number): Promise<Pick<Round, "pipelineMs" | "storeMs" | "startRss" | "peakRss">> {
  const dir = mkdtempSync(join(tmpdir(), "newsdesk-bench-"));
  try {
    const store = openStore({ kind: "sqlite", path: join(dir, "bench.db") }, systemClock);
    try {
      const [feed] = await store.feeds.ensure([feedUrl], "config");
      if (!feed) throw new Error("feed not stored");
      const startRss = process.memoryUsage().rss;
      const rss = rssSampler();
      const timing = timedStore(store, rss.sample);
      const run = await timed(() => runFeed(feed, { store: timing.store, logger, aliases, settings, clock: systemClock }));
      const peakRss = rss.stop();
      if (run.value.status !== "ok" || run.value.added !== feedItems) {
        throw new Error(`pipeline stored ${JSON.stringify(run.value)}, expected ${feedItems} new articles`);
      }
      return { pipelineMs: run.ms, storeMs: timing.ms(), startRss, peakRss };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where buildArticle's time goes, step by step, on the first n items (one pass). */
function buildSteps(n: number) {
  const raw = parseFeedText(decodeBody(body, CONTENT_TYPE), feedUrl).items.slice(0, n);
  const ms = { html: 0, clean: 0, summarize: 0, tags: 0 };
  for (const item of raw) {
    let t = performance.now();
    const tick = (step: keyof typeof ms) => {
      const next = performance.now();
      ms[step] += next - t;
      t = next;
    };
    const paragraphs = htmlToParagraphs(item.description ?? "");
    tick("html");
    const cleaned = cleanParagraphs(paragraphs);
    tick("clean");
    summarize(cleaned.paragraphs, { maxChars: settings.summaryMaxChars });
    tick("summarize");
    extractTags({ headline: item.title, paragraphs: cleaned.paragraphs, categories: item.categories }, aliases);
    tick("tags");
  }
  return { html: ms.html / n, clean: ms.clean / n, summarize: ms.summarize / n, tags: ms.tags / n };
}

const started = performance.now();
try {
  body = Buffer.from(generateFeed({ items: WARM_UP_ITEMS, seed }));
  await round(WARM_UP_ITEMS, Math.min(WARM_UP_ITEMS, coreItems));

  body = Buffer.from(generateFeed({ items, seed }));
  const rounds: Round[] = [];
  let last = 0;
  while (rounds.length < requestedRounds) {
    const elapsed = performance.now() - started;
    if (rounds.length > 0 && budgetMs > 0 && elapsed + last > budgetMs) break;
    const roundStart = performance.now();
    const result = await round(items, coreItems);
    rounds.push(result);
    last = performance.now() - roundStart;
    process.stderr.write(
      `round ${rounds.length}: ${Math.round((items / result.pipelineMs) * 1000)} articles/s (${(last / 1000).toFixed(1)} s)\n`,
    );
  }
  const stepItems = Math.min(items, STEP_ITEMS);
  const steps = buildSteps(stepItems);

  const med = (pick: (r: Round) => number) => median(rounds.map(pick));
  const perSecond = (ms: number) => (items / ms) * 1000;
  const pipelineRate = med((r) => perSecond(r.pipelineMs));
  const parseRate = med((r) => perSecond(r.parseMs));
  const coreRate = med((r) => 1000 / (r.parseFeedTextMs / items + r.buildMsPerItem));
  // Per-article costs in µs; shares are of the pipeline's.
  const us = (pick: (r: Round) => number) => (med(pick) / items) * 1000;
  const pipelineUs = us((r) => r.pipelineMs);
  const int = (n: number) => Math.round(n).toLocaleString("en-US");
  const mb = (bytes: number) => int(bytes / 2 ** 20);
  const share = (usPerItem: number) => `${((usPerItem / pipelineUs) * 100).toFixed(1)} %`;
  const row = (label: string, usPerItem: number) => `| ${label} | ${int(usPerItem)} | ${share(usPerItem)} |`;
  const cpu = cpus();

  const report = [
    `# Ingest benchmark`,
    ``,
    `\`npm run bench:ingest -- --items ${items} --rounds ${requestedRounds} --core-items ${coreItems} --budget ${args.budget}\``,
    ``,
    `| Metric | Value |`,
    `| --- | --- |`,
    `| Items | ${int(items)} (RSS 2.0, ${(body.byteLength / 1e6).toFixed(1)} MB, seed ${seed}) |`,
    `| Rounds (median reported) | ${rounds.length}${rounds.length < requestedRounds ? ` of ${requestedRounds} (time budget ${args.budget} s)` : ""}, after a ${WARM_UP_ITEMS}-item warm-up |`,
    `| Pipeline, runFeed (fetch → store) | **${int(pipelineRate)} articles/s** |`,
    `| Bare feedsmith parseFeed, same bytes | ${int(parseRate)} items/s |`,
    `| Ratio pipeline / parse | ${(pipelineRate / parseRate).toFixed(4)} (parse is ${int(parseRate / pipelineRate)}× faster) |`,
    `| Core only, parseFeedText + buildArticle${sampleNote} | ${int(coreRate)} articles/s |`,
    `| Store share of pipeline | ${share(us((r) => r.storeMs))} |`,
    `| Peak RSS during pipeline | ${mb(Math.max(...rounds.map((r) => r.peakRss)))} MB (${mb(med((r) => r.startRss))} MB when it starts) |`,
    `| Goal ≥ ${int(GOAL)} articles/s | ${pipelineRate >= GOAL ? "met" : `**not met** (${(pipelineRate / GOAL).toFixed(2)}× of goal)`} |`,
    `| Node | ${process.version} |`,
    `| CPU | ${cpu[0]?.model ?? "unknown"} × ${cpu.length} |`,
    `| Date | ${new Date().toISOString()} |`,
    ``,
    `Where the time goes (medians; each step timed on its own, outside runFeed, except the store${sampleNote}):`,
    ``,
    `| Step | µs per article | share of pipeline |`,
    `| --- | ---: | ---: |`,
    row(
      "fetch (loopback)",
      us((r) => r.fetchMs),
    ),
    row(
      "decode",
      us((r) => r.decodeMs),
    ),
    row(
      "parseFeedText (feedsmith + mapping)",
      us((r) => r.parseFeedTextMs),
    ),
    row("buildArticle (clean, summarize, tag)", med((r) => r.buildMsPerItem) * 1000),
    row(
      "store (knownKeys, save, recordSuccess)",
      us((r) => r.storeMs),
    ),
    row("**pipeline total (runFeed)**", pipelineUs),
    ``,
    `Inside buildArticle (one pass over ${int(stepItems)} items):`,
    ``,
    `| Step | µs per article | share of pipeline |`,
    `| --- | ---: | ---: |`,
    row("htmlToParagraphs (linkedom)", steps.html * 1000),
    row("cleanParagraphs (rules)", steps.clean * 1000),
    row("summarize", steps.summarize * 1000),
    row("extractTags", steps.tags * 1000),
    ``,
  ].join("\n");

  const out = writeReport("ingest", report);
  process.stderr.write(`written to ${out} in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
} finally {
  server.closeAllConnections();
  server.close();
}
