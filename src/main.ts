import { config as loadDotenv } from "dotenv";
import { ConfigError, loadConfig, type Config } from "./config/index.js";
import { startApp } from "./app.js";
import { createLogger } from "./logger.js";

/**
 * The entry point: read config, then hand over to the app. Bad config ends here with one line and
 * exit code 1; the token is never printed.
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
  secrets: [config.botToken, config.mode.kind === "webhook" ? (config.mode.secret ?? "") : ""],
});

try {
  const app = await startApp(config, logger);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    // The 10-second promise to operators: whatever hangs, the process ends.
    setTimeout(() => {
      logger.error("shutdown took longer than 10 s; exiting anyway");
      process.exit(1);
    }, 9_000).unref();
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "error while stopping");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
} catch (error) {
  logger.fatal({ err: error }, error instanceof Error ? error.message : "could not start");
  process.exit(1);
}
