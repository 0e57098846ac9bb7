import { config as loadDotenv } from "dotenv";
import { ConfigError, loadConfig, type Config } from "./config/index.js";
import { startApp, type RunningApp } from "./app.js";
import { systemClock } from "./clock.js";
import { createLogger } from "./logger.js";

/**
 * The entry point: read config, then hand over to the app. Bad config ends here with one line and
 * exit code 1; the token is never printed. A part that cannot go on, at start or later, ends the process with
 * exit 1 after one line that says why (a supervisor restarts it); SIGTERM and SIGINT end it with 0.
 */
loadDotenv({ quiet: true });

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`Newsdesk cannot start: ${error.message}\n`);
  process.exit(1);
}

const logger = createLogger({
  level: config.logLevel,
  secrets: [config.botToken, config.mode.kind === "webhook" ? config.mode.secret : ""],
});

const stopping = new AbortController();
let exitCode = 0;
/** Asks everything to stop, once; the 10-second promise to operators: whatever hangs, the process ends. */
function requestStop(code: number): void {
  if (stopping.signal.aborted) return;
  exitCode = code;
  stopping.abort();
  setTimeout(() => {
    logger.error("shutdown took longer than 10 s; exiting anyway");
    process.exit(1);
  }, 9_000).unref();
}
// Before start: a signal while starting stops what was started, too.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    logger.info({ signal }, "stopping");
    requestStop(0);
  });
}

let app: RunningApp;
try {
  app = await startApp(config, logger, {
    clock: systemClock,
    signal: stopping.signal,
    onFatal: (error) => {
      if (stopping.signal.aborted) return; // already stopping: the stop's own errors are not the reason
      logger.fatal({ err: error }, error.message);
      requestStop(1);
    },
  });
} catch (error) {
  if (stopping.signal.aborted) {
    logger.info("stopped");
    process.exit(exitCode);
  }
  logger.fatal({ err: error }, error instanceof Error ? error.message : "could not start");
  process.exit(1);
}

if (!stopping.signal.aborted) await new Promise((resolve) => stopping.signal.addEventListener("abort", resolve, { once: true }));
try {
  await app.stop();
} catch (error) {
  logger.error({ err: error }, "error while stopping");
  process.exit(1);
}
process.exit(exitCode);
