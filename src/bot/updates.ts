import { BotError, webhookCallback, type Bot } from "grammy";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { raceSleep, type Clock } from "../clock.js";
import type { Config } from "../config/index.js";
import type { Logger } from "../logger.js";
import type { BotContext } from "./context.js";
import { FatalError } from "../fatal-error.js";
import { describeError, explainTelegramRefusal } from "../telegram-errors.js";
import { pathOf, refuseUnserved, type OpsRoutes } from "../ops/http.js";
import { BodyTooLargeError, limitedHttpAdapter, MAX_WEBHOOK_BODY_BYTES, refuseTooLarge } from "./webhook-request.js";

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
/** Telegram gets its answer after this even if the handler is still running; within the stop budget. */
const WEBHOOK_ANSWER_TIMEOUT_MS = 5_000;

/**
 * Long polling. Resolves once deleteWebhook has succeeded and getUpdates is about to run. Rejects when polling cannot
 * start: Telegram refused deleteWebhook, no deleteWebhook got through within POLLING_START_MS (grammY retries it on
 * network errors without end), or a stop signal came first. Afterwards, polling that ends with an error (grammY
 * rethrows 401 and 409) is fatal.
 */
export async function startPolling({ bot, clock, logger, onFatal, signal }: UpdateDeps): Promise<UpdateSource> {
  let running = false;
  let stopping = false;
  let failedToStart: unknown;
  let startedOrFailed!: () => void;
  const settled = new Promise<void>((resolve) => (startedOrFailed = resolve));
  const polling = bot.start({
    drop_pending_updates: false,
    onStart: () => {
      running = true;
      startedOrFailed();
    },
  });
  void polling.catch((error: unknown) => {
    if (stopping) return;
    if (running) onFatal(explainTelegramRefusal(error) ?? (error instanceof Error ? error : new Error(String(error))));
    else {
      failedToStart = error;
      startedOrFailed();
    }
  });
  const source: UpdateSource = {
    async stop() {
      stopping = true;
      // bot.stop() confirms the last offset with one more getUpdates; the polling promise waits for the last batch's handlers.
      const stopped = bot
        .stop()
        .catch((error: unknown) =>
          logger.warn({ err: error }, "could not confirm the last update; it may be handled again after a restart"),
        )
        .then(() => polling.catch(() => undefined));
      if (!(await raceSleep(clock, HANDLERS_STOP_BUDGET_MS, stopped))) {
        logger.warn("update handlers still running at stop; stopping anyway");
      }
    },
  };

  const inTime = await raceSleep(clock, POLLING_START_MS, settled, signal);
  if (running) {
    logger.info("polling for updates");
    return source;
  }
  await source.stop();
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error("stopped during start");
  if (!inTime) {
    throw new FatalError(
      `Polling could not start: the Bot API did not take deleteWebhook within ${POLLING_START_MS / 1000} s. Check the network or TELEGRAM_API_ROOT.`,
    );
  }
  throw (
    explainTelegramRefusal(failedToStart) ??
    new FatalError(`Polling could not start: Telegram refused deleteWebhook (${describeError(failedToStart)}). Check TELEGRAM_API_ROOT.`, {
      cause: failedToStart,
    })
  );
}

type WebhookMode = Extract<Config["mode"], { kind: "webhook" }>;

/**
 * The webhook server. Resolves once it listens on PORT and Telegram has the URL; rejects (with nothing left
 * listening) when either fails, or when a stop signal comes during setWebhook. Afterwards, a server error is fatal.
 * It takes only POST on WEBHOOK_URL's path (other paths 404, other methods 405), with the secret (else 401) and a body
 * of at most 1 MB (else 413, unread); `ops` answers GET /healthz and /metrics.
 */
export async function startWebhook(
  { bot, clock, logger, onFatal, signal }: UpdateDeps,
  mode: WebhookMode,
  ops: OpsRoutes,
): Promise<UpdateSource> {
  const handlers = handleLikePolling(bot);
  // "return": a slow handler must not make grammY reject (Telegram would resend the update anyway).
  // grammY types the callback's result after the adapter's handlerReturn, which node:http has none of: it is a Promise<void>.
  const handle = webhookCallback(bot, limitedHttpAdapter, {
    onTimeout: "return",
    timeoutMilliseconds: WEBHOOK_ANSWER_TIMEOUT_MS,
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
      logger.error({ err: error }, "webhook update failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) =>
      reject(new FatalError(`Cannot listen on PORT ${mode.port}: ${error.message}. Choose a free port.`, { cause: error })),
    );
    server.listen(mode.port, resolve);
  });
  let stopping = false;
  server.on("error", (error) => {
    if (!stopping) onFatal(error);
  });
  const source: UpdateSource = {
    async stop() {
      stopping = true;
      // close() waits for requests in progress, each answered within WEBHOOK_ANSWER_TIMEOUT_MS; handlers may run on after that.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if (!(await raceSleep(clock, HANDLERS_STOP_BUDGET_MS, Promise.all([closed, handlers.idle()])))) {
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
  logger.info({ port: mode.port }, "listening for webhook updates");
  return source;
}

/**
 * In webhook mode grammY neither hands handler errors to bot.catch (only polling does) nor keeps count of the
 * handlers that outlive their answer (webhookCallback answers after its timeout, and a later failure there is an
 * unhandled rejection, which ends the process). So each update is handled as polling does: errors go to the one
 * error boundary, and the handlers still running are counted, so that a stop can wait for them before the store closes.
 */
function handleLikePolling(bot: Bot<BotContext>): { idle(): Promise<void> } {
  const running = new Set<Promise<void>>();
  const handleUpdate = bot.handleUpdate.bind(bot);
  bot.handleUpdate = (update, webhookReplyEnvelope) => {
    const handling = handleUpdate(update, webhookReplyEnvelope).catch(async (error: unknown) => {
      if (!(error instanceof BotError)) throw error;
      await bot.errorHandler(error as BotError<BotContext>);
    });
    const tracked = handling.catch(() => undefined).finally(() => running.delete(tracked));
    running.add(tracked);
    return handling;
  };
  return {
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
