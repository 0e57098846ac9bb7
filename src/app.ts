import { Api, type Bot } from "grammy";
import { apiHealth } from "./bot/api-health.js";
import { connectToBotApi } from "./bot/connect.js";
import { commandMenu, createBot } from "./bot/create-bot.js";
import type { BotContext } from "./bot/context.js";
import { syncCommandMenu } from "./bot/command-sync.js";
import { FatalError } from "./fatal-error.js";
import { describeError } from "./telegram-errors.js";
import { startPolling, startWebhook } from "./bot/updates.js";
import type { Clock } from "./clock.js";
import type { Config } from "./config/index.js";
import type { Logger } from "./logger.js";
import { publishDue } from "./delivery/channel-publisher.js";
import { queueDigest } from "./delivery/digest.js";
import { createDeliveryEngine, type DeliveryEngine, type EngineSettings } from "./delivery/engine.js";
import { SendBudget } from "./delivery/send-budget.js";
import { createFeedPoller } from "./schedule/feed-poller.js";
import { startSchedule } from "./schedule/index.js";
import { openStore } from "./store/index.js";
import { checkHealth } from "./ops/health.js";
import { opsRoutes, startOpsServer } from "./ops/http.js";
import { createMetrics } from "./ops/metrics.js";
import { loadAliases, loadTemplates } from "./texts.js";

export interface RunningApp {
  bot: Bot<BotContext>;
  engine: DeliveryEngine;
  /** Runs a scheduled job ("poll-feeds", "publish", "digest") now and resolves when it has finished; the sandbox's /tick. */
  runJob(name: string): Promise<void>;
  /** Stops taking updates and sends, lets what is running finish (bounded), closes the database. */
  stop(): Promise<void>;
}

export interface AppHooks {
  clock: Clock;
  /**
   * A part cannot go on (polling ended with 401 or 409, the webhook server failed, the engine died): called once,
   * with the line that says why and what to do. The caller stops the app and exits 1, so that a supervisor restarts it.
   */
  onFatal: (error: FatalError) => void;
  /** Aborted during start (a stop signal), the start unwinds what it started and rejects. */
  signal?: AbortSignal;
}

/**
 * Starts what can fail first (templates, store, the Bot API connection, the webhook's port or polling's
 * deleteWebhook) and what sends last (engine, schedule), so that a failed start leaves no send half done. When a
 * step fails, or a stop signal comes during start, what was started is stopped and the store closed.
 */
export async function startApp(config: Config, logger: Logger, hooks: AppHooks): Promise<RunningApp> {
  const { clock, signal } = hooks;
  const templates = loadTemplates();
  const aliases = loadAliases(config.ingest.topicsFile);
  const store = openStore(config.database, clock);

  let stopRequested = false;
  let failed = false;
  /**
   * The one fatal path: the first part that cannot go on stops the whole process; a stop is not a failure.
   * A FatalError already says why and what to do; any other error is named after its part.
   */
  const fatal = (error: Error, part: string): void => {
    if (stopRequested || failed) return;
    failed = true;
    const message = `${part} cannot go on: ${describeError(error)}. Newsdesk exits so that its supervisor restarts it.`;
    hooks.onFatal(error instanceof FatalError ? error : new FatalError(message, { cause: error }));
  };
  // Started parts are all asked to stop at once and stop together, so that the slowest, not the sum, bounds the stop
  // (the engine's hanging send and the webhook's handlers wait at the same time); the store closes last.
  const started: { stop(): Promise<void> }[] = [];
  // Aborted first when the app stops: feed runs, progress messages and imports end, then the parts stop.
  const stopping = new AbortController();
  const stopAll = async (): Promise<void> => {
    stopRequested = true;
    stopping.abort();
    const stops = started.splice(0).map((part) => part.stop());
    for (const outcome of await Promise.allSettled(stops)) {
      if (outcome.status === "rejected") logger.error({ err: outcome.reason }, "error while stopping");
    }
    await store.close();
  };
  /** One step of the start, unless a stop signal came first; when it fails, what was started is stopped. */
  const step = async <T>(starting: () => Promise<T>): Promise<T> => {
    try {
      signal?.throwIfAborted();
      return await starting();
    } catch (error) {
      await stopAll();
      throw error;
    }
  };

  const health = apiHealth({ clock, logger });
  const metrics = createMetrics(store.outbox);
  const api = new Api(config.botToken, { apiRoot: config.apiRoot });
  const botInfo = await step(() => connectToBotApi({ api, apiRoot: config.apiRoot, clock, logger, signal }));
  // Built before the bot (whose desk wakes it and shows its progress), started last.
  // The engine paces and retries by itself, so it talks to Telegram without auto-retry.
  // A request that hangs is given up after 8 s (and retried later), so that stopping stays within 10 s.
  const engineApi = new Api(config.botToken, { apiRoot: config.apiRoot, timeoutSeconds: 8 });
  engineApi.config.use(health);
  // Telegram's limit is the bot's: the engine and the replies send by one budget, replies first.
  const sendBudget = new SendBudget(config.delivery.broadcastRate, clock);
  const engine = createDeliveryEngine({
    api: engineApi,
    store,
    logger,
    settings: engineSettings(config),
    clock,
    budget: sendBudget,
    onFatal: (error) => fatal(error, "Delivery"),
    observe: metrics.messageSent,
  });
  const bot = createBot(
    { config, store, clock, templates, aliases, logger, engine, sendBudget, stopping: stopping.signal },
    {
      botInfo,
      transformers: [health],
      observeUpdates: metrics.updateHandled,
      onReplyTooManyRequests: () => metrics.messageSent("reply", "429"),
    },
  );
  logger.info({ bot: bot.botInfo.username, mode: config.mode.kind, schema: await store.schemaVersion() }, "bot ready");
  if (config.channelId === undefined) logger.warn("CHANNEL_ID is not set: nothing will be posted to a channel; commands still work");
  // Not being able to publish the menu does not stop Newsdesk; a stop signal does.
  await step(() =>
    syncCommandMenu(bot.api, commandMenu(templates), config.adminIds, logger, signal).catch((error: unknown) => {
      signal?.throwIfAborted();
      logger.warn({ reason: describeError(error) }, "could not publish the command menu");
    }),
  );
  const source = config.mode.kind === "webhook" ? "The webhook server" : "Polling for updates";
  const updates = { bot, clock, logger, onFatal: (error: Error) => fatal(error, source), signal, concurrency: config.updates.concurrency };
  const ops = opsRoutes(
    () => checkHealth({ store, telegram: health, engineRunning: () => engine.isRunning(), clock }),
    metrics.registry,
    logger,
  );
  const { mode, healthServer } = config;
  if (healthServer) started.push(await step(() => startOpsServer(healthServer, ops, logger, (error) => fatal(error, "The health server"))));
  started.push(await step(() => (mode.kind === "webhook" ? startWebhook(updates, mode, ops) : startPolling(updates))));

  const poller = createFeedPoller(
    { store, logger, aliases, settings: config.ingest, signal: stopping.signal, clock, alerts: { adminIds: config.adminIds, templates } },
    config.feeds,
  );
  await step(() => engine.start());
  started.push(engine);
  const schedule = startSchedule(
    [
      { name: "poll-feeds", cron: config.schedule.pollCron, run: async () => metrics.feedsFetched(await poller.poll()), runAtStart: true },
      {
        name: "publish",
        cron: config.schedule.postCron,
        run: async () => {
          if ((await publishDue({ store, templates, aliases, config, logger, clock })).released > 0) engine.notify();
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
                if (await queueDigest({ store, templates, config, logger, clock })) engine.notify();
              },
              runAtStart: false,
              catchUp: true,
            },
          ]),
    ],
    { settings: config.schedule, runs: store.jobs, logger, clock },
  );
  started.push(schedule);
  return {
    bot,
    engine,
    runJob: (name) => schedule.runJob(name),
    async stop() {
      await stopAll();
      logger.info("stopped");
    },
  };
}

export function engineSettings(config: Config): EngineSettings {
  return {
    rate: config.delivery.broadcastRate,
    concurrency: config.delivery.concurrency,
    maxAttempts: config.delivery.maxAttempts,
    paidBroadcast: config.delivery.paidBroadcast,
    quiet: config.delivery.quietHours && { hours: config.delivery.quietHours, timeZone: config.schedule.timeZone },
  };
}
