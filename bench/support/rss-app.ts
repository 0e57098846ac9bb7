/**
 * The app alone in a process of its own, for bench/rss.ts: startApp on the database and fake server the parent names
 * (NEWSDESK_BENCH_* in the environment), its resident set size sampled every 10 ms. Sends "started" with the RSS once
 * the app runs, and on "stop" stops the app and sends "peak".
 */
import { startApp } from "../../src/app.js";
import { systemClock } from "../../src/clock.js";
import { loadConfig } from "../../src/config/index.js";
import { createLogger } from "../../src/logger.js";
import { rssSampler } from "./measure.js";

export type RssChildMessage = { type: "started"; rss: number } | { type: "peak"; peak: number; afterStart: number };

if (!process.send) throw new Error("rss-app.ts is started by bench/rss.ts (npm run bench:rss)");
const send = (message: RssChildMessage) => process.send?.(message);

const config = loadConfig({
  BOT_TOKEN: process.env.NEWSDESK_BENCH_TOKEN,
  TELEGRAM_API_ROOT: process.env.NEWSDESK_BENCH_API_ROOT,
  DATABASE_URL: process.env.NEWSDESK_BENCH_DATABASE_URL,
  // The load is only /topic: the send budget is set high so that the bot, not the budget, sets the pace.
  BROADCAST_RATE: "1000",
  PAID_BROADCAST: "true",
  LOG_LEVEL: "silent",
});
const sampler = rssSampler(10);
const app = await startApp(config, createLogger({ level: "silent", secrets: [config.botToken] }), {
  clock: systemClock,
  onFatal: (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
});
const afterStart = process.memoryUsage().rss;
send({ type: "started", rss: afterStart });
process.on("message", (message: unknown) => {
  if (message !== "stop") return;
  const peak = sampler.stop();
  void app.stop().then(() => {
    send({ type: "peak", peak, afterStart });
    process.disconnect();
  });
});
