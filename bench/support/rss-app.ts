/**
 * The app alone in a process of its own, for bench/rss.ts: startApp on the database and fake server the parent names
 * (NEWSDESK_BENCH_* in the environment), its memory sampled every 10 ms. Sends "started" once the app runs, and on
 * "stop" stops the app and sends "peak".
 */

/** process.memoryUsage() when the RSS was highest. */
export type MemoryAtPeak = NodeJS.MemoryUsage;
export type RssChildMessage =
  /** `runtime`: the RSS before the app's modules were loaded (Node and tsx); `rss`: once the app runs. */
  { type: "started"; runtime: number; rss: number } | { type: "peak"; peak: MemoryAtPeak };

if (!process.send) throw new Error("rss-app.ts is started by bench/rss.ts (npm run bench:rss)");
const send = (message: RssChildMessage) => process.send?.(message);
const runtime = process.memoryUsage().rss;

// Sampled whole, so that the peak says where the memory was (V8's heap, buffers, or native: SQLite, the code).
let peak = process.memoryUsage();
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  if (now.rss > peak.rss) peak = now;
}, 10);

// Loaded after the first measure, so that it shows what the runtime alone takes.
const [{ startApp }, { systemClock }, { loadConfig }, { createLogger }] = await Promise.all([
  import("../../src/app.js"),
  import("../../src/clock.js"),
  import("../../src/config/index.js"),
  import("../../src/logger.js"),
]);
const config = loadConfig({
  BOT_TOKEN: process.env.NEWSDESK_BENCH_TOKEN,
  TELEGRAM_API_ROOT: process.env.NEWSDESK_BENCH_API_ROOT,
  DATABASE_URL: process.env.NEWSDESK_BENCH_DATABASE_URL,
  // The load is only /topic: the send budget is set high so that the bot, not the budget, sets the pace.
  BROADCAST_RATE: "1000",
  PAID_BROADCAST: "true",
  LOG_LEVEL: "silent",
});
const app = await startApp(config, createLogger({ level: "silent", secrets: [config.botToken] }), {
  clock: systemClock,
  onFatal: (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
});
send({ type: "started", runtime, rss: process.memoryUsage().rss });
process.on("message", (message: unknown) => {
  if (message !== "stop") return;
  clearInterval(sampler);
  void app.stop().then(() => {
    send({ type: "peak", peak });
    process.disconnect();
  });
});
