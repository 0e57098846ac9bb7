import { systemClock } from "./clock.js";
import { Api, GrammyError, HttpError, webhookCallback, type Bot } from "grammy";
import { createServer, type Server } from "node:http";
import { commandMenu, createBot } from "./bot/create-bot.js";
import type { BotContext } from "./bot/context.js";
import { syncCommandMenu } from "./bot/command-sync.js";
import type { Config } from "./config/index.js";
import type { Logger } from "./logger.js";
import { publishDue } from "./delivery/channel-publisher.js";
import { queueDigest } from "./delivery/digest.js";
import { createDeliveryEngine, type DeliveryEngine, type EngineSettings } from "./delivery/engine.js";
import { createFeedPoller } from "./schedule/feed-poller.js";
import { startSchedule } from "./schedule/index.js";
import { openStore } from "./store/index.js";
import { loadAliases, loadTemplates } from "./texts.js";

export interface RunningApp {
  bot: Bot<BotContext>;
  engine: DeliveryEngine;
  /** Stops taking updates, lets handlers finish, closes the database. */
  stop(): Promise<void>;
}

/** Telegram rejected the token, or could not be reached at start. */
export class StartupError extends Error {
  override name = "StartupError";
}

/** Opens everything the bot needs, in the order that fails fastest, and starts taking updates. */
export async function startApp(config: Config, logger: Logger): Promise<RunningApp> {
  const templates = loadTemplates();
  const aliases = loadAliases(config.ingest.topicsFile);
  const store = openStore(config.database);
  const bot = createBot({ config, store, templates, aliases, logger });
  try {
    await bot.init();
  } catch (error) {
    await store.close();
    throw explainInitFailure(error, config);
  }
  logger.info({ bot: bot.botInfo.username, mode: config.mode.kind, schema: await store.schemaVersion() }, "bot ready");
  if (config.channelId === undefined) logger.warn("CHANNEL_ID is not set: nothing will be posted to a channel; commands still work");
  await syncCommandMenu(bot.api, commandMenu(templates), config.adminIds, logger).catch((error: unknown) =>
    logger.warn({ err: error }, "could not publish the command menu"),
  );

  const stopping = new AbortController();
  const poller = createFeedPoller(
    { store, logger, aliases, settings: config.ingest, signal: stopping.signal, clock: systemClock },
    config.feeds,
  );
  // The engine paces and retries by itself, so it talks to Telegram without auto-retry.
  // A request that hangs is given up after 8 s (and retried later), so that stopping stays within 10 s.
  const engineApi = new Api(config.botToken, { apiRoot: config.apiRoot, timeoutSeconds: 8 });
  const engine = createDeliveryEngine({ api: engineApi, store, logger, settings: engineSettings(config) });
  await engine.start();
  const schedule = startSchedule(
    [
      { name: "poll-feeds", cron: config.schedule.pollCron, run: () => poller.poll(), runAtStart: true },
      {
        name: "publish",
        cron: config.schedule.postCron,
        run: async () => {
          if ((await publishDue({ store, templates, aliases, config, logger })).released > 0) engine.notify();
        },
        runAtStart: false,
        catchUp: true,
      },
      ...(config.schedule.digestCron === undefined
        ? []
        : [
            {
              name: "digest",
              cron: config.schedule.digestCron,
              run: async () => {
                if (await queueDigest({ store, templates, config, logger })) engine.notify();
              },
              runAtStart: false,
              catchUp: true,
            },
          ]),
    ],
    { settings: config.schedule, runs: store.jobs, logger, clock: systemClock },
  );
  const stopUpdates = config.mode.kind === "webhook" ? await startWebhook(bot, config.mode, logger) : startPolling(bot, logger);
  return {
    bot,
    engine,
    async stop() {
      stopping.abort();
      await stopUpdates();
      await schedule.stop();
      await engine.stop();
      await store.close();
      logger.info("stopped");
    },
  };
}

function startPolling(bot: Bot<BotContext>, logger: Logger): () => Promise<void> {
  const running = bot.start({ drop_pending_updates: false, onStart: () => logger.info("polling for updates") });
  running.catch((error: unknown) => logger.fatal({ err: error }, "polling stopped"));
  return async () => {
    await bot.stop();
    // bot.stop() does not wait for the handlers of the last batch; the polling promise does.
    await running.catch(() => undefined);
  };
}

async function startWebhook(
  bot: Bot<BotContext>,
  mode: Extract<Config["mode"], { kind: "webhook" }>,
  logger: Logger,
): Promise<() => Promise<void>> {
  // "return": a slow handler must not make grammY reject (Telegram would resend the update anyway).
  const handle = webhookCallback(bot, "http", { onTimeout: "return", ...(mode.secret === undefined ? {} : { secretToken: mode.secret }) });
  const server: Server = createServer((req, res) => {
    if (req.method === "POST") {
      handle(req, res).catch((error: unknown) => {
        logger.error({ err: error }, "webhook update failed");
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    res.writeHead(req.url === "/health" ? 200 : 404).end(req.url === "/health" ? "ok" : "");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) => reject(new StartupError(`Cannot listen on PORT ${mode.port}: ${error.message}. Choose a free port.`)));
    server.listen(mode.port, resolve);
  });
  await bot.api.setWebhook(mode.url, mode.secret === undefined ? {} : { secret_token: mode.secret });
  logger.info({ port: mode.port }, "listening for webhook updates");
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

function explainInitFailure(error: unknown, config: Config): Error {
  if (error instanceof GrammyError && error.error_code === 401) {
    return new StartupError("Telegram rejected BOT_TOKEN (401 Unauthorized). Copy the token again from @BotFather (/mybots → API Token).");
  }
  if (error instanceof HttpError) {
    return new StartupError(`Could not reach the Bot API at ${config.apiRoot}. Check the network or TELEGRAM_API_ROOT.`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

export function engineSettings(config: Config): EngineSettings {
  return {
    rate: config.delivery.broadcastRate,
    concurrency: config.delivery.concurrency,
    maxAttempts: config.delivery.maxAttempts,
    paidBroadcast: config.delivery.paidBroadcast,
  };
}
