import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { FakeTelegram } from "./support/fake-telegram/index.js";
import { makeTempDir } from "./support/temp-dir.js";

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
// tsx's loader by absolute URL: the child runs in a temp directory that has no node_modules.
const TSX_LOADER = new URL("../node_modules/tsx/dist/loader.mjs", import.meta.url).href;

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

  it("without BOT_TOKEN exits 1 with one line that says how to get one", async () => {
    const dir = makeTempDir();
    cleanups.push(dir.remove);
    const run = startMain({}, dir.path);
    expect(await run.exited).toBe(1);
    const { stderr } = run.output();
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^Newsdesk cannot start: BOT_TOKEN: is missing\. Talk to @BotFather/);
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
});
