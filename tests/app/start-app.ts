import { join } from "node:path";
import { startApp, type RunningApp } from "../../src/app.js";
import type { FatalError } from "../../src/fatal-error.js";
import { systemClock } from "../../src/clock.js";
import { loadConfig } from "../../src/config/index.js";
import { captureLogger } from "../support/capture-logger.js";
import type { FakeTelegram } from "../support/fake-telegram/index.js";
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

/** The whole app (startApp) against the fake Telegram server, with a temp database and the real clock. */
export async function startAppAgainst(fake: FakeTelegram, env: Record<string, string> = {}): Promise<AppUnderTest> {
  const dir = makeTempDir();
  const config = loadConfig({
    BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATABASE_URL: `file:${join(dir.path, "news.db")}`,
    ...env,
  });
  const { logger, lines: logs } = captureLogger("info", [config.botToken]);
  const fatals: FatalError[] = [];
  const app = await startApp(config, logger, { clock: systemClock, onFatal: (error) => fatals.push(error) }).catch((error: unknown) => {
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
