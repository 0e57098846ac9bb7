import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import { FakeTelegram } from "../../src/sandbox/fake-telegram/index.js";
import {
  addReaders,
  deliveriesByChat,
  enqueueAlerts,
  outboxCounts,
  readOutbox,
  sleep,
  tally,
  waitUntil,
} from "../support/outbox-fixtures.js";
import { makeTempDir } from "../support/temp-dir.js";
import { systemClock } from "../../src/clock.js";

/**
 * The real bot process (src/main.ts under tsx), a 2,000-follower broadcast from a prepared outbox, and
 * the fake Telegram server over HTTP: kill -9 in the middle, restart, count what every chat got.
 */

const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
// tsx's loader by absolute URL: the child runs in a temp directory that has no node_modules.
const TSX_LOADER = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;
const FOLLOWERS = 2_000;
const CONCURRENCY = 16;

interface BotProcess {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): { stdout: string; stderr: string };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fake Telegram server with 2,000 private chats, and a database holding one pending alert for each. */
async function prepareBroadcast(): Promise<{ fake: FakeTelegram; dir: string; dbPath: string; readers: number[] }> {
  const dir = makeTempDir();
  cleanups.push(dir.remove);
  const fake = await FakeTelegram.start({ latencyMs: 20 });
  cleanups.push(() => fake.close());
  const dbPath = join(dir.path, "data", "news.db");
  const store = openStore({ kind: "sqlite", path: dbPath }, systemClock);
  try {
    const readers = await addReaders(store, fake, FOLLOWERS);
    expect(await enqueueAlerts(store, readers, new Date())).toBe(FOLLOWERS);
    return { fake, dir: dir.path, dbPath, readers };
  } finally {
    await store.close();
  }
}

/** `node --import tsx src/main.ts`, as `npm start` runs it, in a directory without .env. */
function startBot(fake: FakeTelegram, dbPath: string, cwd: string, logLevel = "warn"): BotProcess {
  const child = spawn(process.execPath, ["--import", TSX_LOADER, MAIN], {
    cwd,
    env: {
      PATH: process.env.PATH ?? "",
      BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATABASE_URL: `file:${dbPath}`,
      // Over Telegram's free 30/s: the config insists on paid broadcasts for that.
      BROADCAST_RATE: "200",
      PAID_BROADCAST: "true",
      DELIVERY_CONCURRENCY: String(CONCURRENCY),
      LOG_LEVEL: logLevel,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr?.on("data", (chunk) => (stderr += String(chunk)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
  });
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** Waits for `what`, but fails at once (with the child's stderr) if the process exits first. */
async function whileRunning<T>(bot: BotProcess, what: Promise<T>): Promise<T> {
  const died = bot.exited.then(({ code, signal }) => {
    throw new Error(`the bot exited early (code ${code}, signal ${signal}): ${bot.output().stderr || bot.output().stdout}`);
  });
  return Promise.race([what, died]);
}

const logLines = (stdout: string) =>
  stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("a real bot process mid-broadcast (2,000 followers, DELIVERY_CONCURRENCY=16)", () => {
  it("kill -9, then a restart: nothing lost, duplicates only from rows in flight at the crash (≤ 16)", async () => {
    const { fake, dir, dbPath, readers } = await prepareBroadcast();

    const first = startBot(fake, dbPath, dir);
    await whileRunning(first, untilSent(fake, 500));
    first.child.kill("SIGKILL");
    expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
    // Requests the fake was still holding (its 20 ms latency) belong to a dead client: let them settle.
    // Real time, not a clock: the fake server learns of the dead process's closed connections through its own I/O.
    await sleep(200);

    const deliveredBeforeCrash = fake.sent().length;
    const atCrash = outboxCounts(dbPath);
    expect(deliveredBeforeCrash).toBeGreaterThanOrEqual(500);
    expect(deliveredBeforeCrash).toBeLessThan(FOLLOWERS);
    expect(tally(fake, readers)).toMatchObject({ duplicates: 0, strays: 0 });
    expect(atCrash.failed + atCrash.blocked).toBe(0);
    expect(atCrash.sending).toBeLessThanOrEqual(CONCURRENCY);
    expect(atCrash.pending + atCrash.sending + atCrash.sent).toBe(FOLLOWERS);
    // The outbox is written before the send: whatever Telegram got is 'sent', or 'sending' when the
    // crash came between Telegram's answer and the database write.
    const got = deliveriesByChat(fake);
    const rowsAtCrash = readOutbox(dbPath);
    for (const row of rowsAtCrash) {
      if (row.state === "sent") expect(got.get(Number(row.chatId))).toBe(1);
      if (row.state === "pending") expect(got.get(Number(row.chatId))).toBeUndefined();
    }
    // So the messages Telegram got beyond the 'sent' rows are exactly those of 'sending' rows whose chat got one.
    const deliveredButNotRecorded = deliveredBeforeCrash - atCrash.sent;
    const sendingButArrived = rowsAtCrash.filter((row) => row.state === "sending" && got.has(Number(row.chatId))).length;
    expect(deliveredButNotRecorded).toBe(sendingButArrived);

    const second = startBot(fake, dbPath, dir);
    await whileRunning(
      second,
      waitUntil(
        () => deliveriesByChat(fake).size >= FOLLOWERS,
        40_000,
        "every follower to get the alert",
        () => deliveriesByChat(fake).size,
      ),
    );
    second.child.kill("SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });

    const result = tally(fake, readers);
    expect(result.lost).toBe(0);
    expect(result.strays).toBe(0);
    // Exactly the rows in flight at the crash whose message had already arrived were sent twice.
    expect(result.duplicates).toBe(deliveredButNotRecorded);
    expect(result.duplicates).toBeLessThanOrEqual(CONCURRENCY);
    expect(fake.sent()).toHaveLength(FOLLOWERS + result.duplicates);
    expect(outboxCounts(dbPath)).toEqual({ pending: 0, sending: 0, sent: FOLLOWERS, failed: 0, blocked: 0, cancelled: 0 });
    const recovered = logLines(second.output().stdout).filter((line) => line.msg === "recovered messages a stop left in flight");
    expect(recovered).toEqual(atCrash.sending > 0 ? [expect.objectContaining({ requeued: atCrash.sending, abandoned: 0 })] : []);
    expect(fake.stats.errors).toEqual([]);
    expect(fake.sent().every((m) => m.params.allow_paid_broadcast === true)).toBe(true);
    expect(second.output().stderr).toBe("");
  }, 60_000);

  it("SIGTERM mid-broadcast exits 0: in-flight sends finish as 'sent', the rest stay pending, nothing 'sending'", async () => {
    const { fake, dir, dbPath, readers } = await prepareBroadcast();

    const bot = startBot(fake, dbPath, dir, "info");
    await whileRunning(bot, untilSent(fake, 300));
    const stoppedAt = Date.now();
    bot.child.kill("SIGTERM");
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    // Real time, not a clock: anything the exited process left on the wire reaches the fake server by its own I/O.
    await sleep(300);

    const delivered = fake.sent().length;
    expect(delivered).toBeLessThan(FOLLOWERS);
    expect(tally(fake, readers)).toMatchObject({ duplicates: 0, strays: 0 });
    // Every message Telegram got was recorded: the sends in flight at SIGTERM finished before the exit.
    expect(outboxCounts(dbPath)).toEqual({
      pending: FOLLOWERS - delivered,
      sending: 0,
      sent: delivered,
      failed: 0,
      blocked: 0,
      cancelled: 0,
    });
    const got = deliveriesByChat(fake);
    for (const row of readOutbox(dbPath)) expect(got.get(Number(row.chatId)) ?? 0).toBe(row.state === "sent" ? 1 : 0);
    const lines = logLines(bot.output().stdout);
    expect(lines.some((line) => line.msg === "stopping" && line.signal === "SIGTERM")).toBe(true);
    expect(lines.at(-1)?.msg).toBe("stopped");
    expect(lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
  }, 60_000);

  it("SIGTERM while every send hangs still exits 0 within 10 s; the hung rows go back to pending", async () => {
    const { fake, dir, dbPath, readers } = await prepareBroadcast();

    const bot = startBot(fake, dbPath, dir, "info");
    await whileRunning(bot, untilSent(fake, 100));
    const hang = fake.injectFault({ method: "sendMessage", status: 500, description: "never answered", hang: true });
    await fake.waitFor(() => hang.hits >= CONCURRENCY, 5_000);
    const delivered = fake.sent().length;
    const stoppedAt = Date.now();
    bot.child.kill("SIGTERM");
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);

    expect(hang.hits).toBe(CONCURRENCY);
    expect(fake.sent()).toHaveLength(delivered);
    expect(tally(fake, readers)).toMatchObject({ delivered, duplicates: 0, strays: 0 });
    expect(outboxCounts(dbPath)).toEqual({
      pending: FOLLOWERS - delivered,
      sending: 0,
      sent: delivered,
      failed: 0,
      blocked: 0,
      cancelled: 0,
    });
    // The requests given up on count as one attempt each, and wait for the next start.
    const retried = readOutbox(dbPath).filter((row) => row.attempts > 0);
    expect(retried).toHaveLength(CONCURRENCY);
    expect(retried.every((row) => row.state === "pending" && row.lastError === "no answer within 8 s")).toBe(true);
    expect(logLines(bot.output().stdout).at(-1)?.msg).toBe("stopped");
  }, 60_000);
});

/** Resolves once the fake server has taken `count` messages (at most 30 s), saying how many it got otherwise. */
function untilSent(fake: FakeTelegram, count: number): Promise<unknown> {
  return fake.waitFor(
    () => fake.sent().length >= count,
    30_000,
    () => `only ${fake.sent().length} sent`,
  );
}
