/**
 * npm run bench:backup [-- --articles 100000 --write-every 5 --cap 20]
 *
 * `npm run backup` on a database that the bot goes on writing to. A store holds --articles articles and writes one
 * more every --write-every ms (a busy bot's pace) on its open connection, the whole time. In the same run:
 * - the writes alone for 2 s: their latency, the baseline;
 * - old: better-sqlite3's backup with its default steps (100 pages, then the event loop), on a second connection
 *   in this process; a write between two steps restarts it. Given up after --cap seconds;
 * - new: the real CLI (src/cli/backup.ts) as a child process, from its start to its exit: tsx's start, the copy in
 *   one step and the integrity check of the copy included; with the writes' latency meanwhile.
 * Goal: the backup finishes while the writes go on, and they keep their pace. Writes bench/results/backup.md.
 */
import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { systemClock } from "../src/clock.js";
import { openStore, type Store } from "../src/store/index.js";
import { makeTempDir } from "../tests/support/temp-dir.js";
import { writeResults } from "./support/measure.js";

const CLI = fileURLToPath(new URL("../src/cli/backup.ts", import.meta.url));
const TSX_LOADER = new URL("../node_modules/tsx/dist/loader.mjs", import.meta.url).href;
const BATCH = 500;
/** better-sqlite3's own step when the progress callback says nothing. */
const DEFAULT_STEP_PAGES = 100;

const { values: args } = parseArgs({
  options: {
    articles: { type: "string", default: "100000" },
    "write-every": { type: "string", default: "5" },
    cap: { type: "string", default: "20" },
  },
});
const ARTICLES = Number(args.articles);
const WRITE_EVERY_MS = Number(args["write-every"]);
const CAP_S = Number(args.cap);

function article(n: number) {
  const key = `bench-backup-${n}`;
  return {
    article: {
      dedupKey: key,
      headline: `Harbour reopens after the storm, part ${n}`,
      summary: `The harbour reopened on Monday after a week of storms, the port authority said (${n}).`,
      body: `The harbour reopened on Monday after a week of storms (${n}). `.repeat(30),
      source: "news.example",
      publishedAt: new Date(),
      tags: ["harbour", "storm"],
    },
    keys: [key],
    headlineKey: key,
    isNews: false,
  };
}

/** One article every WRITE_EVERY_MS on the open store, each write's latency kept, until stop(). */
function startWriter(store: Store, first: number) {
  const latencies: number[] = [];
  let running = true;
  const done = (async () => {
    for (let n = first; running; n++) {
      const start = performance.now();
      await store.articles.save([article(n)], { now: new Date() });
      latencies.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, WRITE_EVERY_MS));
    }
  })();
  return {
    mark: () => latencies.length,
    since: (mark: number) => latencies.slice(mark),
    stop: async () => {
      running = false;
      await done;
    },
  };
}

/** Latency of the writes made over `ms`, and their pace. */
function percentiles(values: number[], ms: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN).toFixed(1);
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms (${values.length.toLocaleString("en")} writes, ${Math.round(values.length / (ms / 1000))}/s)`;
}

/** better-sqlite3's backup with its default steps; the number of restarts, and whether it ended within the cap. */
async function defaultSteps(source: string, target: string): Promise<{ finished: boolean; ms: number; restarts: number }> {
  const db = new Database(source);
  const start = performance.now();
  let restarts = 0;
  let remaining = Infinity;
  try {
    await db.backup(target, {
      progress: ({ remainingPages }) => {
        if (remainingPages > remaining) restarts++;
        remaining = remainingPages;
        if (performance.now() - start > CAP_S * 1000) throw new Error("cap reached");
        return DEFAULT_STEP_PAGES;
      },
    });
    return { finished: true, ms: performance.now() - start, restarts };
  } catch {
    return { finished: false, ms: performance.now() - start, restarts };
  } finally {
    db.close();
  }
}

/** The real CLI, as `npm run backup -- target` runs it. */
function runCli(database: string, target: string): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const start = performance.now();
  const child = spawn(process.execPath, ["--import", TSX_LOADER, CLI, target], {
    env: { PATH: process.env.PATH ?? "", DATABASE_URL: `file:${database}` },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr, ms: performance.now() - start })));
}

async function main() {
  const dir = makeTempDir("newsdesk-bench-backup-");
  const database = join(dir.path, "news.db");
  const store = openStore({ kind: "sqlite", path: database }, systemClock);
  try {
    for (let n = 0; n < ARTICLES; n += BATCH) {
      await store.articles.save(
        Array.from({ length: Math.min(BATCH, ARTICLES - n) }, (_, i) => article(n + i)),
        { now: new Date() },
      );
    }
    const sizeMb = statSync(database).size / 1024 / 1024;

    const writer = startWriter(store, ARTICLES);
    const aloneStart = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const alone = writer.since(0);
    const aloneMs = performance.now() - aloneStart;

    const oldMark = writer.mark();
    const old = await defaultSteps(database, join(dir.path, "old-copy.db"));
    const duringOld = writer.since(oldMark);

    const newMark = writer.mark();
    const cli = await runCli(database, join(dir.path, "copy.db"));
    const duringNew = writer.since(newMark);
    await writer.stop();
    if (cli.code !== 0) throw new Error(`npm run backup failed (${cli.code}): ${cli.stderr}`);

    const rows: [string, string][] = [
      [
        "Database",
        `${ARTICLES.toLocaleString("en")} articles, ${sizeMb.toFixed(0)} MB; one more written every ${WRITE_EVERY_MS} ms throughout`,
      ],
      ["Writes alone, 2 s", percentiles(alone, aloneMs)],
      [
        "Old: better-sqlite3's default steps (100 pages)",
        old.finished
          ? `done in ${(old.ms / 1000).toFixed(1)} s, ${old.restarts} restarts`
          : `**not done after ${CAP_S} s**: restarted ${old.restarts.toLocaleString("en")} times by the writes`,
      ],
      ["Writes during the old backup", percentiles(duringOld, old.ms)],
      ["New: `npm run backup`, process start to exit (one step, integrity check)", `**${(cli.ms / 1000).toFixed(1)} s**`],
      ["Writes during the new backup", percentiles(duringNew, cli.ms)],
      ["Its line", cli.stdout.trim().replaceAll(dir.path, "$TMP")],
      ["Goal: done while the writes go on", cli.code === 0 && duringNew.length > 0 ? "met" : "**not met**"],
    ];
    writeResults(
      "backup",
      "Backup benchmark",
      `npm run bench:backup -- --articles ${ARTICLES} --write-every ${WRITE_EVERY_MS} --cap ${CAP_S}`,
      rows,
    );
  } finally {
    await store.close();
    dir.remove();
  }
}

await main();
