import { join } from "node:path";
import { afterEach } from "vitest";
import { startApp, type RunningApp } from "../../src/app.js";
import type { FatalError } from "../../src/fatal-error.js";
import { systemClock, type Clock } from "../../src/clock.js";
import { loadConfig } from "../../src/config/index.js";
import { captureLogger } from "../support/capture-logger.js";
import { FakeTelegram } from "../../src/sandbox/fake-telegram/index.js";
import { makeTempDir } from "../support/temp-dir.js";

export interface AppUnderTest {
  app: RunningApp;
  /** What the app reported through its fatal path, in order. */
  fatals: FatalError[];
  /** Every log line, parsed. */
  logs: Record<string, unknown>[];
  /** Stops the app (once) and removes its directory. */
  stop(): Promise<void>;
}

/** The whole app (startApp) against the fake Telegram server, with a temp database, on `clock` (default: the real one). */
export async function startAppAgainst(
  fake: FakeTelegram,
  env: Record<string, string> = {},
  clock: Clock = systemClock,
): Promise<AppUnderTest> {
  const dir = makeTempDir();
  const config = loadConfig({
    BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATABASE_URL: `file:${join(dir.path, "news.db")}`,
    ...env,
  });
  const { logger, lines: logs } = captureLogger("info", [config.botToken]);
  const fatals: FatalError[] = [];
  const app = await startApp(config, logger, { clock, onFatal: (error) => fatals.push(error) }).catch((error: unknown) => {
    dir.remove();
    throw error;
  });
  let stopped: Promise<void> | undefined;
  return {
    app,
    fatals,
    logs,
    stop: () => (stopped ??= app.stop().finally(dir.remove)),
  };
}

export interface AppBed {
  /** A fake Telegram server, closed after the test. */
  fakeTelegram(): Promise<FakeTelegram>;
  /** startAppAgainst, stopped after the test (before the fake server closes). */
  startApp(...args: Parameters<typeof startAppAgainst>): Promise<AppUnderTest>;
}

/** Call in a describe: what a test starts through the bed is stopped after it, in reverse order. */
export function useAppBed(): AppBed {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    async fakeTelegram() {
      const fake = await FakeTelegram.start();
      cleanups.push(() => fake.close());
      return fake;
    },
    async startApp(...args) {
      const started = await startAppAgainst(...args);
      cleanups.push(() => started.stop());
      return started;
    },
  };
}
