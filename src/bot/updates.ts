import { createRunner, createSource, createUpdateFetcher } from "@grammyjs/runner";
import { webhookCallback, type Bot } from "grammy";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { raceSleep, type Clock } from "../clock.js";
import type { Config } from "../config/index.js";
import type { Logger } from "../logger.js";
import type { BotContext } from "./context.js";
import { FatalError } from "../fatal-error.js";
import { classifySendError, describeError, explainTelegramRefusal } from "../telegram-errors.js";
import { pathOf, refuseUnserved, type OpsRoutes } from "../ops/http.js";
import { BodyTooLargeError, limitedHttpAdapter, MAX_WEBHOOK_BODY_BYTES, refuseTooLarge } from "./webhook-request.js";
import { createUpdatePool, UpdateNotStartedError, type UpdatePool } from "./update-pool.js";

/** Where updates come from (long polling or the webhook server), once it has started. */
export interface UpdateSource {
  /** Stops taking updates and waits (bounded) for the handlers still running, so they finish before the store closes. */
  stop(): Promise<void>;
}

export interface UpdateDeps {
  bot: Bot<BotContext>;
  clock: Clock;
  logger: Logger;
  /**
   * The source ended while running and cannot go on: the app stops. A FatalError says why and what to do; any other
   * error the app names after the source. Not called for a stop or during start.
   */
  onFatal: (error: Error) => void;
  /** A stop signal during start. */
  signal?: AbortSignal | undefined;
  /** The most updates handled at once (UPDATES_CONCURRENCY). */
  concurrency: number;
}

/**
 * The stop budget: the process promises to end within 10 s (a timer forces exit 1 after 9 s), and the engine may
 * need 8 s for a hanging send, at the same time. Handlers still running after this are left to the store's closing.
 */
const HANDLERS_STOP_BUDGET_MS = 7_000;
/**
 * The most a start of polling may take: deleteWebhook first, which grammY retries on network errors without end
 * (each try bounded by the bot's request timeout and its network retries).
 */
const POLLING_START_MS = 30_000;
/**
 * Telegram gets 200 once its update has started, and an error if it has not started after this (its chat's update before
 * it still running, or every slot taken) or at a stop: Telegram then sends it again, and a crash loses only what started.
 */
const WEBHOOK_ANSWER_TIMEOUT_MS = 5_000;

/** Between tries of deleteWebhook at start, after the bot's own quick retries gave up: as grammY's bot.start() waits. */
const DELETE_WEBHOOK_RETRY_MS = 3_000;
/** Between tries of getUpdates while Telegram cannot be reached (the outage log says so once): as grammY's bot.start(). */
const GET_UPDATES_RETRY_MS = 3_000;

/**
 * Long polling with the runner: updates of different chats are handled at once, at most `concurrency` chats, each
 * chat's in order (the pool). Resolves once deleteWebhook has succeeded and getUpdates is about to run. Rejects when
 * polling cannot start: Telegram refused deleteWebhook, no deleteWebhook got through within POLLING_START_MS (network
 * and server errors are tried again), or a stop signal came first. Afterwards, polling that ends with an error (the
 * runner rethrows 401 and 409) is fatal.
 */
export async function startPolling({ bot, clock, logger, onFatal, signal, concurrency }: UpdateDeps): Promise<UpdateSource> {
  const giveUp = new AbortController();
  const deleted = deleteWebhook(bot, clock, signal ? AbortSignal.any([signal, giveUp.signal]) : giveUp.signal);
  const inTime = await raceSleep(clock, POLLING_START_MS, deleted, signal);
  const outcome =
    inTime && !signal?.aborted
      ? await deleted.then(
          () => "deleted" as const,
          (error: unknown) => ({ error }),
        )
      : undefined;
  if (outcome !== "deleted") {
    giveUp.abort();
    void deleted.catch(() => undefined);
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error("stopped during start");
    if (outcome === undefined) {
      throw new FatalError(
        `Polling could not start: the Bot API did not take deleteWebhook within ${POLLING_START_MS / 1000} s. Check the network or TELEGRAM_API_ROOT.`,
      );
    }
    throw (
      explainTelegramRefusal(outcome.error) ??
      new FatalError(
        `Polling could not start: Telegram refused deleteWebhook (${describeError(outcome.error)}). Check TELEGRAM_API_ROOT.`,
        {
          cause: outcome.error,
        },
      )
    );
  }

  const pool = createUpdatePool(bot, { concurrency, clock, logger });
  // The runner's own retries of getUpdates, without end as bot.start() does; the outage log (an API transformer) speaks.
  const fetchUpdates = createUpdateFetcher(bot, { retryInterval: GET_UPDATES_RETRY_MS, maxRetryTime: Infinity, silent: true });
  let lastUpdateId: number | undefined;
  const source = createSource({
    // Never more than there is room for, the first batch too (the runner would start with 100).
    async supply(room, fetchSignal) {
      const updates = await fetchUpdates(Math.min(room, concurrency), fetchSignal);
      lastUpdateId = updates.at(-1)?.update_id ?? lastUpdateId;
      return updates;
    },
  });
  const runner = createRunner(source, pool.sink);
  let stopping = false;
  let ended = false;
  runner.start();
  void runner.task()?.catch((error: unknown) => {
    ended = true;
    if (!stopping) onFatal(explainTelegramRefusal(error) ?? (error instanceof Error ? error : new Error(String(error))));
  });
  logger.info({ concurrency }, "polling for updates");
  return {
    async stop() {
      stopping = true;
      void runner.stop();
      // As bot.stop() does: one more getUpdates confirms the updates taken, so that a restart does not handle them again.
      const confirmed =
        ended || lastUpdateId === undefined
          ? Promise.resolve()
          : bot.api
              .getUpdates({ offset: lastUpdateId + 1, limit: 1, timeout: 0 })
              .catch((error: unknown) =>
                logger.warn({ err: error }, "could not confirm the last update; it may be handled again after a restart"),
              );
      if (!(await raceSleep(clock, HANDLERS_STOP_BUDGET_MS, Promise.all([confirmed, pool.idle()])))) {
        logger.warn("update handlers still running at stop; stopping anyway");
      }
    },
  };
}

/** deleteWebhook, tried again while Telegram cannot be reached or has a server error, until `signal` aborts. */
async function deleteWebhook(bot: Bot<BotContext>, clock: Clock, signal: AbortSignal): Promise<void> {
  for (;;) {
    try {
      // grammY types its signal with the abort-controller polyfill; the runtime object is the same.
      await bot.api.deleteWebhook({ drop_pending_updates: false }, signal as Parameters<typeof bot.api.deleteWebhook>[1]);
      return;
    } catch (error) {
      if (signal.aborted || classifySendError(error) !== "transient") throw error;
      await clock.sleep(DELETE_WEBHOOK_RETRY_MS, signal);
    }
  }
}

type WebhookMode = Extract<Config["mode"], { kind: "webhook" }>;

/**
 * The webhook server. Resolves once it listens on PORT and Telegram has the URL; rejects (with nothing left
 * listening) when either fails, or when a stop signal comes during setWebhook. Afterwards, a server error is fatal.
 * It takes only POST on WEBHOOK_URL's path (other paths 404, other methods 405), with the secret (else 401) and a body
 * of at most 1 MB (else 413, unread); `ops` answers GET /healthz and /metrics.
 */
export async function startWebhook(
  { bot, clock, logger, onFatal, signal, concurrency }: UpdateDeps,
  mode: WebhookMode,
  ops: OpsRoutes,
): Promise<UpdateSource> {
  const handlers = handleInPool(bot, concurrency, clock, logger);
  // No timeout of grammY's own (it is not on the Clock, and on timeout it would answer while the update may still
  // start): the pool settles every update within WEBHOOK_ANSWER_TIMEOUT_MS, started (200) or refused (500).
  // grammY types the callback's result after the adapter's handlerReturn, which node:http has none of: it is a Promise<void>.
  const handle = webhookCallback(bot, limitedHttpAdapter, {
    timeoutMilliseconds: Infinity,
    secretToken: mode.secret,
  }) as (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  const updatePath = new URL(mode.url).pathname;
  const server = createServer((req, res) => {
    if (ops(req, res)) return;
    if (pathOf(req) !== updatePath) return refuseUnserved(req, res);
    if (req.method !== "POST") return void res.writeHead(405, { allow: "POST" }).end();
    if (Number(req.headers["content-length"] ?? 0) > MAX_WEBHOOK_BODY_BYTES) {
      logger.warn(new BodyTooLargeError().message);
      return refuseTooLarge(req, res);
    }
    handle(req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) return void logger.warn(error.message);
      if (error instanceof UpdateNotStartedError) logger.warn(error.message);
      else logger.error({ err: error }, "webhook update failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) =>
      reject(new FatalError(`Cannot listen on PORT ${mode.port}: ${error.message}. Choose a free port.`, { cause: error })),
    );
    server.listen(mode.port, mode.host, resolve);
  });
  let stopping = false;
  server.on("error", (error) => {
    if (!stopping) onFatal(error);
  });
  const source: UpdateSource = {
    async stop() {
      stopping = true;
      // Updates not started yet get an error answer now, and come again after the restart; the ones running finish.
      handlers.close();
      // close() waits for requests in progress, each answered by now or once its update starts.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Once idle every update has its answer: the connections left are keep-alive ones, which close() would wait out.
      const idle = handlers.idle().then(() => server.closeIdleConnections());
      if (!(await raceSleep(clock, HANDLERS_STOP_BUDGET_MS, Promise.all([closed, idle])))) {
        logger.warn("webhook handlers still running at stop; stopping anyway");
      }
      server.closeAllConnections();
    },
  };
  try {
    // grammY types its signal with the abort-controller polyfill; the runtime object is the same.
    await bot.api.setWebhook(mode.url, { secret_token: mode.secret }, signal as Parameters<typeof bot.api.setWebhook>[2]);
  } catch (error) {
    await source.stop();
    signal?.throwIfAborted();
    throw (
      explainTelegramRefusal(error) ??
      new FatalError(`Telegram did not take WEBHOOK_URL: ${describeError(error)}. Check that it is a public https URL.`, { cause: error })
    );
  }
  logger.info({ host: mode.host, port: mode.port }, "listening for webhook updates");
  return source;
}

/**
 * In webhook mode grammY's webhookCallback calls bot.handleUpdate and answers Telegram when it settles. Here it
 * resolves once the update has started in the same bounded pool as polling's, so that a slow handler (an OPML import,
 * a pasted link's fetch) never keeps Telegram waiting, errors go to the one error boundary (grammY hands them to
 * bot.catch only when polling), and a stop can wait for the handlers before the store closes. It rejects when the
 * update has not started in time or the bot stops: Telegram then gets an error and sends the update again.
 */
function handleInPool(bot: Bot<BotContext>, concurrency: number, clock: Clock, logger: Logger): Pick<UpdatePool, "close" | "idle"> {
  const handleUpdate = bot.handleUpdate.bind(bot);
  const pool = createUpdatePool(
    {
      handleUpdate: (update) => handleUpdate(update),
      errorHandler: (error) => bot.errorHandler(error),
      api: bot.api,
      botInfo: bot.botInfo,
    },
    { concurrency, clock, logger },
  );
  bot.handleUpdate = (update) => pool.admit(update, WEBHOOK_ANSWER_TIMEOUT_MS);
  return pool;
}
