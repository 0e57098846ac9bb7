/**
 * npm run bench:replies [-- --followers 3000 --readers 300 --rate 25 --over 60]
 *
 * The whole app (startApp) against the fake Telegram server, which answers 429 over BROADCAST_RATE messages a second
 * (and over Telegram's per-chat limits): 3,000 followers' alerts wait in the outbox at the start, and 300 readers send
 * /latest, spread evenly over `--over` seconds. Reports the readers' reply latency (p50, p95: from the update's arrival
 * at the fake server to the reply's), the 429s, and the broadcast's rate while the readers write, against
 * BROADCAST_RATE minus the replies' share, in the same run.
 * Goals (issue 10): p95 < 2 s, 0 429s, broadcast >= 0.9 of (BROADCAST_RATE − replies' share). Writes
 * bench/results/replies-during-broadcast.md.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startApp } from "../src/app.js";
import { systemClock } from "../src/clock.js";
import { loadConfig } from "../src/config/index.js";
import { createLogger } from "../src/logger.js";
import { FakeTelegram } from "../src/sandbox/fake-telegram/index.js";
import { openStore, type Store } from "../src/store/index.js";
import { writeResults } from "./support/measure.js";

const GOAL_P95_MS = 2_000;
const GOAL_BROADCAST_SHARE = 0.9;
const FIRST_FOLLOWER = 700_001;
const FIRST_READER = 900_001;
const STORIES = 12;

const { values: args } = parseArgs({
  options: {
    followers: { type: "string", default: "3000" },
    readers: { type: "string", default: "300" },
    rate: { type: "string", default: "25" },
    over: { type: "string", default: "60" },
  },
});
const FOLLOWERS = Number(args.followers);
const READERS = Number(args.readers);
const RATE = Number(args.rate);
const OVER_MS = Number(args.over) * 1000;
/** Enough for the broadcast at the full rate plus every reply, twice over. */
const CAP_MS = Math.max(OVER_MS, ((FOLLOWERS + READERS) / RATE) * 1000) * 2 + 30_000;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const between = (times: readonly number[], from: number, to: number) => times.filter((at) => at >= from && at <= to).length;

/** A few stories for /latest to list, and the followers with an alert each waiting in the outbox. */
async function prepare(store: Store, fake: FakeTelegram): Promise<void> {
  const now = new Date();
  for (let n = 0; n < STORIES; n++) {
    const key = `bench-replies-${n}`;
    await store.articles.save(
      [
        {
          article: {
            dedupKey: key,
            headline: `Harbour reopens after the storm, day ${n + 1}`,
            summary: `The harbour reopened to shipping on day ${n + 1}; the port authority expects traffic to recover within a week.`,
            body: `The harbour reopened to shipping on day ${n + 1}. `.repeat(20),
            source: "news.example",
            link: `https://news.example/harbour-${n}`,
            publishedAt: new Date(now.getTime() - n * 600_000),
            tags: ["harbour", "shipping"],
          },
          keys: [key],
          headlineKey: key,
          isNews: false,
        },
      ],
      { now },
    );
  }
  const followers = Array.from({ length: FOLLOWERS }, (_, i) => FIRST_FOLLOWER + i);
  for (const id of followers) {
    await store.chats.recordStart({ id, kind: "private", title: undefined, username: `follower${id}` });
    fake.addChat({ id, type: "private", firstName: `Follower ${id}` });
  }
  await store.outbox.enqueue(
    followers.map((id) => ({
      kind: "alert" as const,
      chatId: String(id),
      articleId: undefined,
      topic: "harbour",
      payload: { text: `<b>Harbour</b> reopens: alert for ${id}` },
    })),
    now,
  );
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "newsdesk-bench-replies-"));
  const fake = await FakeTelegram.start({ rateLimit: { perSecond: RATE, perChat: true } });
  try {
    const config = loadConfig({
      BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATABASE_URL: `file:${join(dir, "news.db")}`,
      BROADCAST_RATE: String(RATE),
      PAID_BROADCAST: String(RATE > 30),
      LOG_LEVEL: "silent",
    });
    const seed = openStore(config.database, systemClock);
    await prepare(seed, fake);
    await seed.close();

    const logger = createLogger({ level: "silent", secrets: [config.botToken] });
    const fatal: Error[] = [];
    const app = await startApp(config, logger, { clock: systemClock, onFatal: (error) => fatal.push(error) });

    // Every message the fake server records, timed as it appears (a 2 ms sweep over the new records).
    const askedAt = new Map<number, number>();
    const answeredAt = new Map<number, number>();
    const alertTimes: number[] = [];
    const replyTimes: number[] = [];
    let seen = 0;
    const sweep = (): void => {
      const records = fake.sent();
      const now = performance.now();
      for (; seen < records.length; seen++) {
        const chatId = records[seen]?.chatId ?? 0;
        if (chatId >= FIRST_READER) {
          if (!answeredAt.has(chatId)) answeredAt.set(chatId, now);
          replyTimes.push(now);
        } else if (chatId >= FIRST_FOLLOWER) alertTimes.push(now);
      }
    };
    const sweeper = setInterval(sweep, 2);

    const start = performance.now();
    for (let i = 0; i < READERS; i++) {
      const due = start + (i * OVER_MS) / READERS;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      const userId = FIRST_READER + i;
      askedAt.set(userId, performance.now());
      fake.pushMessage({ userId, text: "/latest" });
    }
    while (performance.now() - start < CAP_MS && (answeredAt.size < READERS || alertTimes.length < FOLLOWERS) && fatal.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    sweep();
    clearInterval(sweeper);
    const end = performance.now();
    await app.stop();
    if (fatal[0]) throw fatal[0];

    const latencies = [...askedAt].map(([id, at]) => (answeredAt.get(id) ?? end) - at);
    // The window in which readers write: from the first ask to the last answer.
    const from = Math.min(...askedAt.values());
    const to = Math.max(...answeredAt.values());
    const seconds = (to - from) / 1000;
    const replyShare = between(replyTimes, from, to) / seconds;
    const broadcastRate = between(alertTimes, from, to) / seconds;
    const expected = RATE - replyShare;
    // The same engine on the same machine with no reader writing: the rest of the broadcast after the window.
    const lastAlert = Math.max(...alertTimes);
    const alone = lastAlert > to + 5_000 ? between(alertTimes, to, lastAlert) / ((lastAlert - to) / 1000) : Number.NaN;
    const ratio = broadcastRate / expected;
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    const tooMany = fake.stats.tooManyRequests;
    const met = (ok: boolean) => (ok ? "met" : "NOT met");
    writeResults(
      "replies-during-broadcast",
      "Replies during a broadcast",
      `npm run bench:replies -- --followers ${FOLLOWERS} --readers ${READERS} --rate ${RATE} --over ${OVER_MS / 1000}`,
      [
        ["Load", `${FOLLOWERS} alerts queued at start; ${READERS} readers send /latest over ${OVER_MS / 1000} s`],
        ["Fake server limit", `${RATE} messages/s (BROADCAST_RATE), 1/s per private chat`],
        ["Reply latency p50 / p95 / max", `${p50.toFixed(0)} ms / ${p95.toFixed(0)} ms / ${Math.max(...latencies).toFixed(0)} ms`],
        ["Goal p95 < 2 s", met(p95 < GOAL_P95_MS)],
        ["Replies answered", `${answeredAt.size} / ${READERS}`],
        ["Alerts delivered", `${alertTimes.length} / ${FOLLOWERS}`],
        ["429s (all methods)", String(tooMany)],
        ["Goal 0 429s", met(tooMany === 0)],
        ["Readers' window", `${seconds.toFixed(1)} s`],
        ["Replies' share", `${replyShare.toFixed(2)} messages/s`],
        ["Broadcast rate in the window", `${broadcastRate.toFixed(2)} messages/s`],
        ["BROADCAST_RATE − replies' share", `${expected.toFixed(2)} messages/s`],
        ["Broadcast ÷ (BROADCAST_RATE − share)", ratio.toFixed(3)],
        ["Goal ≥ 0.9", met(ratio >= GOAL_BROADCAST_SHARE)],
        ["Broadcast rate after the window (no readers), same run", Number.isNaN(alone) ? "–" : `${alone.toFixed(2)} messages/s`],
        ["Whole run", `${((end - start) / 1000).toFixed(1)} s`],
      ],
    );
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
