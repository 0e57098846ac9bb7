import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Store } from "../../src/store/index.js";

/**
 * Prints a benchmark's results as a Markdown table of metrics (with the machine it ran on) and writes it to
 * bench/results/NAME.md, with the command that made it.
 */
export function writeResults(name: string, title: string, command: string, rows: [string, string][]): void {
  const machine: [string, string][] = [
    ["Node", process.version],
    ["CPU", `${cpus()[0]?.model ?? "?"} × ${cpus().length}`],
    ["Date", new Date().toISOString()],
  ];
  const table = [
    `# ${title}`,
    "",
    `\`${command}\``,
    "",
    "| Metric | Value |",
    "| --- | --- |",
    ...[...rows, ...machine].map(([k, v]) => `| ${k} | ${v} |`),
    "",
  ].join("\n");
  writeReport(name, table);
}

/** Prints a benchmark's report and writes it to bench/results/NAME.md; returns the file's path. */
export function writeReport(name: string, markdown: string): string {
  process.stdout.write(`${markdown}\n`);
  const out = fileURLToPath(new URL(`../results/${name}.md`, import.meta.url));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, markdown);
  return out;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** Milliseconds taken by `run`, with its result. */
export async function timed<T>(run: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: performance.now() - start, value };
}

/**
 * Peak resident set size while running. A timer alone misses synchronous stretches (the whole build
 * step is one), so callers also `sample()` at the points where memory is highest.
 */
export function rssSampler(intervalMs = 10) {
  let peak = process.memoryUsage().rss;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const timer = setInterval(sample, intervalMs);
  return {
    sample,
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

/** The store with its ingest calls timed: how much of a feed run is SQLite. */
export function timedStore(store: Store, after: () => void = () => {}): { store: Store; ms: () => number } {
  let total = 0;
  const time =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      after(); // built articles are all in memory when the store is called
      const start = performance.now();
      try {
        return await fn(...args);
      } finally {
        total += performance.now() - start;
      }
    };
  const { articles, feeds } = store;
  return {
    store: {
      ...store,
      articles: { ...articles, knownKeys: time(articles.knownKeys.bind(articles)), save: time(articles.save.bind(articles)) },
      feeds: { ...feeds, recordSuccess: time(feeds.recordSuccess.bind(feeds)) },
    },
    ms: () => total,
  };
}
