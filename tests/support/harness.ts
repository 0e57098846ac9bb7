import { join } from "node:path";
import { Api, type Bot } from "grammy";
import { systemClock, type Clock } from "../../src/clock.js";
import { createBot, type CreateBotOptions } from "../../src/bot/create-bot.js";
import type { BotContext } from "../../src/bot/context.js";
import { engineSettings } from "../../src/app.js";
import { createDeliveryEngine, type DeliveryEngine } from "../../src/delivery/engine.js";
import { SendBudget } from "../../src/delivery/send-budget.js";
import { loadConfig, type Config } from "../../src/config/index.js";
import type { Templates } from "../../src/format/templates.js";
import { loadTemplates } from "../../src/texts.js";
import type { Logger } from "../../src/logger.js";
import { captureLogger } from "./capture-logger.js";
import { openStore, type Store } from "../../src/store/index.js";
import { loadAliasMap } from "../../src/topics/index.js";
import { FakeTelegram } from "../../src/sandbox/fake-telegram/index.js";
import { makeTempDir } from "./temp-dir.js";

export interface TestBot {
  fake: FakeTelegram;
  bot: Bot<BotContext>;
  store: Store;
  clock: Clock;
  config: Config;
  logger: Logger;
  /** Every log line the bot wrote, parsed. */
  logs: Record<string, unknown>[];
  /** The bot's delivery engine: started only with `deliver`. */
  engine: DeliveryEngine;
  /** A restart: this bot stops (polling, engine, database closed) and a new one starts on the same fake server and database. */
  restart(): Promise<TestBot>;
  stop(): Promise<void>;
}

export interface TestBotOptions {
  env?: Record<string, string>;
  fakeOptions?: Parameters<typeof FakeTelegram.start>[0];
  /** Start long polling (default true). */
  poll?: boolean;
  /** A registry of the test's own (with the templates that describe its commands). */
  commands?: CreateBotOptions["commands"];
  templates?: Templates;
  /** The bot's and the store's clock (default: the system's). */
  clock?: Clock;
  /** API transformers under the bot's retries, as the app installs its outage log. */
  transformers?: CreateBotOptions["transformers"];
  /** Start the delivery engine on the fake server, as the app does (default false). */
  deliver?: boolean;
}

/**
 * The real bot, built by createBot with a temp database, talking HTTP to the fake Telegram server.
 * Nothing of grammY is mocked.
 */
export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  return startOn(await FakeTelegram.start(options.fakeOptions), makeTempDir(), options);
}

async function startOn(fake: FakeTelegram, dir: ReturnType<typeof makeTempDir>, options: TestBotOptions): Promise<TestBot> {
  const config = loadConfig({
    BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATABASE_URL: `file:${join(dir.path, "news.db")}`,
    LOG_LEVEL: "debug",
    ...options.env,
  });
  const { logger, lines: logs } = captureLogger(config.logLevel, [config.botToken]);
  const clock = options.clock ?? systemClock;
  const store = openStore(config.database, clock);
  // As the app does: the bot's messages and the engine's share one budget, replies first. Not on a fake clock: a dialog
  // waits on real HTTP while nobody moves that clock, so the replies' budget runs on real time and the engine keeps its
  // own on the fake clock (tests/delivery/send-budget.test.ts tests the shared budget on a fake clock).
  const sendBudget = new SendBudget(config.delivery.broadcastRate, systemClock);
  const engine = createDeliveryEngine({
    api: new Api(config.botToken, { apiRoot: config.apiRoot }),
    store,
    logger,
    settings: engineSettings(config),
    clock,
    ...(clock === systemClock ? { budget: sendBudget } : {}),
    onFatal: (error) => logger.fatal({ err: error }, "test engine died"),
  });
  if (options.deliver) await engine.start();
  const stopping = new AbortController();
  const bot = createBot(
    {
      config,
      store,
      clock,
      templates: options.templates ?? loadTemplates(),
      aliases: loadAliasMap(),
      logger,
      engine,
      sendBudget,
      stopping: stopping.signal,
    },
    {
      // As the app hands over what its bounded getMe answered, so that grammY never calls getMe itself.
      botInfo: fake.botInfo,
      retry: { maxRetryAttempts: 5, maxDelaySeconds: 5 },
      ...(options.commands ? { commands: options.commands } : {}),
      ...(options.transformers ? { transformers: options.transformers } : {}),
    },
  );
  const polling = options.poll === false ? undefined : bot.start({ timeout: 1 });
  return {
    fake,
    bot,
    store,
    clock,
    config,
    logger,
    logs,
    engine,
    async restart() {
      await stopBot();
      return startOn(fake, dir, options);
    },
    async stop() {
      await stopBot();
      await fake.close();
      dir.remove();
    },
  };
  async function stopBot(): Promise<void> {
    stopping.abort();
    if (options.deliver) await engine.stop();
    if (polling) {
      // Caught before the stop: a stop right after the start aborts grammY's setup, and start() rejects at once.
      const ended = polling.catch(() => undefined);
      await bot.stop();
      await ended;
    }
    await store.close();
  }
}
