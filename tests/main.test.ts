import { spawn } from "node:child_process";
import { createServer, type AddressInfo, type Server } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../src/clock.js";
import { openStore, type Store } from "../src/store/index.js";
import { FakeTelegram } from "../src/sandbox/fake-telegram/index.js";
import { addArticle, message } from "./support/outbox-fixtures.js";
import { makeTempDir } from "./support/temp-dir.js";

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
// tsx's loader by absolute URL: the child runs in a temp directory that has no node_modules.
const TSX_LOADER = new URL("../node_modules/tsx/dist/loader.mjs", import.meta.url).href;
const CHANNEL = -1009876543210;

/** Runs `npm start`'s entry point as a real process, in an empty directory (no stray .env). */
function startMain(env: Record<string, string>, cwd: string) {
  const child = spawn(process.execPath, ["--import", TSX_LOADER, MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function waitUntil(check: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("npm start (src/main.ts)", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it("without BOT_TOKEN exits 1 with one line that says how to get one, and how to try the offline sandbox", async () => {
    const dir = makeTempDir();
    cleanups.push(dir.remove);
    const run = startMain({}, dir.path);
    expect(await run.exited).toBe(1);
    const { stderr } = run.output();
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^Newsdesk cannot start: BOT_TOKEN: is missing\. Talk to @BotFather.* run: npm run sandbox\n$/);
  });

  it("in webhook mode with a weak WEBHOOK_SECRET exits 1 with one line naming it and how to make one", async () => {
    const dir = makeTempDir();
    cleanups.push(dir.remove);
    const run = startMain(
      {
        BOT_TOKEN: "123456:SECRET-TOKEN-VALUE",
        BOT_MODE: "webhook",
        WEBHOOK_URL: "https://bot.example/telegram",
        WEBHOOK_SECRET: "hunter2",
      },
      dir.path,
    );
    expect(await run.exited).toBe(1);
    const { stdout, stderr } = run.output();
    expect(stderr.trim().split("\n")).toEqual([
      "Newsdesk cannot start: WEBHOOK_SECRET: must be 24 to 256 characters of A-Z, a-z, 0-9, _ and - (Telegram's alphabet), so that it cannot be guessed. Generate one with: openssl rand -hex 32",
    ]);
    expect(stdout + stderr).not.toContain("hunter2");
  });

  it("with a bad value exits 1 and never prints the token", async () => {
    const dir = makeTempDir();
    cleanups.push(dir.remove);
    const run = startMain({ BOT_TOKEN: "123456:SECRET-TOKEN-VALUE", BROADCAST_RATE: "lots" }, dir.path);
    expect(await run.exited).toBe(1);
    const { stdout, stderr } = run.output();
    expect(stderr).toMatch(/BROADCAST_RATE: must be a whole number/);
    expect(stdout + stderr).not.toContain("SECRET-TOKEN");
  });

  it("runs against a Bot API root, answers /start, and exits 0 on SIGTERM within 10 s", async () => {
    const fake = await FakeTelegram.start();
    const dir = makeTempDir();
    cleanups.push(() => fake.close(), dir.remove);
    const run = startMain(
      { BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_URL: "file:./data/news.db", LOG_LEVEL: "info" },
      dir.path,
    );
    cleanups.push(() => void run.child.kill("SIGKILL"));
    await waitUntil(() => run.output().stdout.includes("polling for updates"), 15_000, "the bot to start polling");
    expect(run.output().stdout).toContain("CHANNEL_ID is not set");

    fake.pushMessage({ userId: 5, text: "/start" });
    const [reply] = await fake.waitForSent(5, 1, 10_000);
    expect(reply?.text).toMatch(/^Hello/);

    const stoppedAt = Date.now();
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(run.output().stdout).toContain('"msg":"stopped"');
    expect(run.output().stdout).not.toContain(fake.token);
  });

  it("exits 1 with a clear message when Telegram rejects the token", async () => {
    const fake = await FakeTelegram.start();
    const dir = makeTempDir();
    cleanups.push(() => fake.close(), dir.remove);
    const run = startMain({ BOT_TOKEN: "999999:WRONG-TOKEN-abc", TELEGRAM_API_ROOT: fake.apiRoot }, dir.path);
    expect(await run.exited).toBe(1);
    expect(run.output().stdout).toMatch(/Telegram rejected BOT_TOKEN \(401 Unauthorized\)/);
    expect(run.output().stdout).not.toContain("WRONG-TOKEN");
  });

  it("exits 1 with one line that says what to do when another process polls with the same token (409)", async () => {
    const fake = await FakeTelegram.start();
    const dir = makeTempDir();
    cleanups.push(() => fake.close(), dir.remove);
    fake.injectFault({
      method: "getUpdates",
      status: 409,
      description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    });
    const run = startMain({ BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_URL: "file:./data/news.db" }, dir.path);
    cleanups.push(() => void run.child.kill("SIGKILL"));
    expect(await exitWithin(run, 10_000)).toBe(1);
    const lines = logLines(run.output().stdout);
    const fatal = lines.filter((line) => line.level === 60);
    expect(fatal.map((line) => line.msg)).toEqual([
      "Another process is polling Telegram with this BOT_TOKEN (409 Conflict). Run one instance, or use BOT_MODE=webhook.",
    ]);
    expect(lines.at(-1)?.msg).toBe("stopped");
  });

  it("a port clash at start exits 1 before anything is sent: a pending channel post stays pending", async () => {
    const fake = await FakeTelegram.start();
    fake.addChat({ id: CHANNEL, type: "channel", title: "City News" });
    const dir = makeTempDir();
    const taken = await listenOnFreePort();
    cleanups.push(
      () => fake.close(),
      dir.remove,
      () => new Promise<void>((resolve) => taken.server.close(() => resolve())),
    );
    const database = join(dir.path, "news.db");
    const articleId = await withStore(database, async (store) => {
      const id = await addArticle(store, 1);
      await store.outbox.enqueue([message("post", CHANNEL, { articleId: id })], new Date());
      return id;
    });

    const run = startMain(
      {
        BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        DATABASE_URL: `file:${database}`,
        CHANNEL_ID: String(CHANNEL),
        BOT_MODE: "webhook",
        WEBHOOK_URL: "https://bot.example/telegram",
        WEBHOOK_SECRET: "webhook-secret-0123456789abcdef",
        PORT: String(taken.port),
      },
      dir.path,
    );
    cleanups.push(() => void run.child.kill("SIGKILL"));
    expect(await exitWithin(run, 10_000)).toBe(1);
    const fatal = logLines(run.output().stdout).filter((line) => line.level === 60);
    expect(fatal.map((line) => line.msg)).toEqual([
      expect.stringMatching(new RegExp(`^Cannot listen on PORT ${taken.port}: .*EADDRINUSE.*Choose a free port\\.$`)),
    ]);
    expect(fake.sent()).toEqual([]);
    expect(fake.stats.byMethod.sendMessage).toBeUndefined();
    const counts = await withStore(database, (store) => store.outbox.counts(articleId));
    expect(counts).toMatchObject({ pending: 1, sending: 0, failed: 0 });
  });

  it("with the Bot API unreachable, logs each of 3 tries and exits 1 with where it looked", async () => {
    const { apiRoot, run } = await startAgainstClosedPort(cleanups);
    expect(await exitWithin(run, 20_000)).toBe(1);
    const lines = logLines(run.output().stdout);
    expect(lines.filter((line) => line.level === 40).map((line) => line.msg)).toEqual([
      "could not reach the Bot API (try 1 of 3): ECONNREFUSED; trying again in 5 s",
      "could not reach the Bot API (try 2 of 3): ECONNREFUSED; trying again in 5 s",
      "could not reach the Bot API (try 3 of 3): ECONNREFUSED",
    ]);
    expect(lines.filter((line) => line.level === 60).map((line) => line.msg)).toEqual([
      `Could not reach the Bot API at ${apiRoot}. Check the network or TELEGRAM_API_ROOT.`,
    ]);
  });

  it("a SIGTERM while starting stops at once and exits 0", async () => {
    const { run } = await startAgainstClosedPort(cleanups);
    await waitUntil(() => run.output().stdout.includes("(try 1 of 3)"), 10_000, "the first try to fail");
    run.child.kill("SIGTERM");
    expect(await exitWithin(run, 5_000)).toBe(0);
    const messages = logLines(run.output().stdout).map((line) => line.msg);
    expect(messages.slice(-2)).toEqual(["stopping", "stopped"]);
    expect(messages.join("\n")).not.toContain("try 2 of 3");
  });

  // The old start waited for these up to grammY's 500 s request timeout, until the 9 s forced exit 1.
  it.each([
    ["the command menu is being published", "setMyCommands", "polling"],
    ["Telegram does not answer setWebhook", "setWebhook", "webhook"],
  ])("a SIGTERM while %s stops at once and exits 0, before updates are taken", async (_when, method, mode) => {
    const env =
      mode === "webhook"
        ? {
            BOT_MODE: mode,
            WEBHOOK_URL: "https://bot.example/telegram",
            WEBHOOK_SECRET: "webhook-secret-0123456789abcdef",
            PORT: String(await closedPort()),
          }
        : {};
    const fake = await FakeTelegram.start();
    const dir = makeTempDir();
    cleanups.push(() => fake.close(), dir.remove);
    const hang = fake.injectFault({ method, status: 0, description: "", hang: true });
    const run = startMain(
      { BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_URL: "file:./data/news.db", ...env },
      dir.path,
    );
    cleanups.push(() => void run.child.kill("SIGKILL"));
    await fake.waitFor(() => hang.hits === 1, 15_000);
    run.child.kill("SIGTERM");
    expect(await exitWithin(run, 5_000)).toBe(0);
    expect(
      logLines(run.output().stdout)
        .map((line) => line.msg)
        .slice(-2),
    ).toEqual(["stopping", "stopped"]);
    expect(fake.stats.byMethod.deleteWebhook).toBeUndefined();
    expect(fake.stats.byMethod.getUpdates).toBeUndefined();
  });
});

/** The process's exit code, or a failure when it has not ended within `ms` (the old code never ended). */
async function exitWithin(run: ReturnType<typeof startMain>, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms)));
  try {
    return await Promise.race([run.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function logLines(stdout: string): { level: number; msg: string }[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { level: number; msg: string });
}

async function withStore<T>(path: string, use: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore({ kind: "sqlite", path }, systemClock);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

function listenOnFreePort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}

/** A port nothing listens on: connections to it are refused at once. */
/** The real process with TELEGRAM_API_ROOT at a port nobody listens on, in a temp directory (both cleaned up). */
async function startAgainstClosedPort(cleanups: (() => Promise<void> | void)[]) {
  const dir = makeTempDir();
  cleanups.push(dir.remove);
  const apiRoot = `http://127.0.0.1:${await closedPort()}`;
  const run = startMain({ BOT_TOKEN: "123456:TEST-TOKEN", TELEGRAM_API_ROOT: apiRoot, DATABASE_URL: "file:./data/news.db" }, dir.path);
  cleanups.push(() => void run.child.kill("SIGKILL"));
  return { apiRoot, run };
}

async function closedPort(): Promise<number> {
  const { server, port } = await listenOnFreePort();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
