import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { startApp, type RunningApp } from "../app.js";
import { systemClock } from "../clock.js";
import { loadConfig } from "../config/index.js";
import type { FatalError } from "../fatal-error.js";
import { createLogger } from "../logger.js";
import { FakeTelegram } from "./fake-telegram/index.js";
import { startSampleFeed, type SampleFeed } from "./sample-feed.js";

/** The people at the sandbox's keyboard: a reader, and an editor listed in ADMIN_IDS. */
export const READER = { id: 700_001, firstName: "Reader" };
export const EDITOR = { id: 700_002, firstName: "Editor" };
export const CHANNEL = { id: -1_001_700_000_001, username: "newsdesk_sandbox", title: "Newsdesk Sandbox" };
const BOT = { token: "7000000000:SANDBOX-offline-not-a-real-token", username: "newsdesk_sandbox_bot", firstName: "Newsdesk" };

/** Everything the sandbox runs: the fake Telegram server, the sample feed, the real app on a temporary database. */
export interface SandboxWorld {
  fake: FakeTelegram;
  feed: SampleFeed;
  app: RunningApp;
  /** The temporary folder with the database and the log, removed by stop(). */
  dir: string;
  logFile: string;
  /** Stops the app, then the servers, and removes the temporary folder. */
  stop(): Promise<void>;
}

/**
 * Starts the sandbox's world and waits for the first feed poll (backfill: stored and searchable, not posted), so
 * that /topic finds the sample stories from the first line typed. What was started is stopped again if a step fails.
 */
export async function startSandboxWorld(hooks: { onFatal: (error: FatalError) => void; signal: AbortSignal }): Promise<SandboxWorld> {
  const dir = mkdtempSync(join(tmpdir(), "newsdesk-sandbox-"));
  const logFile = join(dir, "newsdesk.log");
  const stops: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  const stop = async (): Promise<void> => {
    for (const step of stops.splice(0).reverse()) await step();
  };
  try {
    const fake = await FakeTelegram.start({ token: BOT.token, username: BOT.username, firstName: BOT.firstName });
    stops.push(() => fake.close());
    fake.addChat({ id: CHANNEL.id, type: "channel", title: CHANNEL.title, username: CHANNEL.username });
    fake.setMember(CHANNEL.id, fake.botInfo.id, "administrator");
    const feed = await startSampleFeed(() => systemClock.now());
    stops.push(() => feed.close());

    // The same schema as `npm start`, from these values only: the sandbox never reads .env.
    const config = loadConfig({
      BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      CHANNEL_ID: `@${CHANNEL.username}`,
      ADMIN_IDS: String(EDITOR.id),
      DATABASE_URL: `file:${join(dir, "news.db")}`,
      FEEDS: feed.url,
      ALLOW_PRIVATE_FEEDS: "true",
      // The sample stories link to real sites, which the sandbox does not reach: their feed text is the story.
      FETCH_FULL_TEXT: "never",
      LOG_LEVEL: "warn",
    });
    const destination = pino.destination({ dest: logFile, sync: true });
    stops.push(() => destination.end());
    const logger = createLogger({ level: config.logLevel, secrets: [config.botToken], destination });
    const app = await startApp(config, logger, { clock: systemClock, ...hooks });
    stops.push(() => app.stop());
    await app.runJob("poll-feeds");
    return { fake, feed, app, dir, logFile, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
