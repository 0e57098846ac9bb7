import { ConfigError } from "./errors.js";
import { z } from "zod";
import { envSchema, type Env } from "./schema.js";

export { ConfigError } from "./errors.js";

/** Telegram's free limit is about 30 messages per second; more needs paid broadcasts. */
const FREE_BROADCAST_LIMIT = 30;

/** The one typed configuration, parsed once at start. */
export interface Config {
  botToken: string;
  apiRoot: string;
  channelId: string | undefined;
  adminIds: number[];
  database: { kind: "sqlite"; path: string };
  feeds: string[];
  schedule: { pollCron: string; postCron: string; digestCron: string | undefined; timeZone: string };
  delivery: { broadcastRate: number; paidBroadcast: boolean; postBatch: number; concurrency: number; maxAttempts: number };
  mode: { kind: "polling" } | { kind: "webhook"; url: string; secret: string | undefined; port: number };
  logLevel: Env["LOG_LEVEL"];
  ingest: {
    timeoutMs: number;
    maxBytes: number;
    fullText: Env["FETCH_FULL_TEXT"];
    summaryMaxChars: number;
    topicsFile: string | undefined;
  };
}

/**
 * Parses the environment. Throws a ConfigError naming the first wrong variable; the message never
 * contains the bot token.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseOrExplain(envSchema, env);
  if (e.BROADCAST_RATE > FREE_BROADCAST_LIMIT && !e.PAID_BROADCAST) {
    throw new ConfigError(
      "BROADCAST_RATE",
      `${e.BROADCAST_RATE} is over Telegram's free limit of ${FREE_BROADCAST_LIMIT} messages per second. Lower it, or set PAID_BROADCAST=true to pay Stars for up to 1000.`,
    );
  }
  if (e.BOT_MODE === "webhook" && e.WEBHOOK_SECRET === undefined && e.WEBHOOK_URL !== undefined) {
    throw new ConfigError(
      "WEBHOOK_SECRET",
      "is required when BOT_MODE=webhook, so that only Telegram can post updates. Generate one with: openssl rand -hex 32",
    );
  }
  if (e.BOT_MODE === "webhook" && e.WEBHOOK_URL === undefined) {
    throw new ConfigError(
      "WEBHOOK_URL",
      "is required when BOT_MODE=webhook. Set the public https URL Telegram should call, e.g. WEBHOOK_URL=https://bot.example.com/telegram, or use BOT_MODE=polling.",
    );
  }
  return {
    botToken: e.BOT_TOKEN,
    apiRoot: (e.TELEGRAM_API_ROOT ?? "https://api.telegram.org").replace(/\/+$/, ""),
    channelId: e.CHANNEL_ID,
    adminIds: e.ADMIN_IDS,
    database: e.DATABASE_URL,
    feeds: e.FEEDS,
    schedule: {
      pollCron: e.POLL_CRON ?? "*/5 * * * *",
      postCron: e.POST_CRON ?? "* * * * *",
      digestCron: e.DIGEST_CRON,
      timeZone: e.TIMEZONE,
    },
    delivery: {
      broadcastRate: e.BROADCAST_RATE,
      paidBroadcast: e.PAID_BROADCAST,
      postBatch: e.POST_BATCH,
      concurrency: e.DELIVERY_CONCURRENCY,
      maxAttempts: e.MAX_ATTEMPTS,
    },
    mode:
      e.BOT_MODE === "webhook" && e.WEBHOOK_URL !== undefined
        ? { kind: "webhook", url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET, port: e.PORT }
        : { kind: "polling" },
    logLevel: e.LOG_LEVEL,
    ingest: ingestSettings(e),
  };
}

/** What the command-line tools need: the database and the ingest settings, but no bot token. */
export type ToolConfig = Pick<Config, "database" | "ingest"> & { timeZone: string; broadcastRate: number };

export function loadToolConfig(env: NodeJS.ProcessEnv = process.env): ToolConfig {
  const { BOT_TOKEN: _token, ...rest } = envSchema.shape;
  const e = parseOrExplain(z.object(rest), env);
  return {
    database: e.DATABASE_URL,
    timeZone: e.TIMEZONE,
    broadcastRate: e.BROADCAST_RATE,
    ingest: ingestSettings(e),
  };
}

/** Parses with a schema; the first problem becomes a ConfigError naming its variable. */
function parseOrExplain<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigError(String(issue?.path[0] ?? "environment"), issue?.message ?? "is not valid.");
}

function ingestSettings(
  e: Pick<Env, "FEED_TIMEOUT_MS" | "FEED_MAX_BYTES" | "FETCH_FULL_TEXT" | "SUMMARY_MAX_CHARS" | "TOPICS_FILE">,
): Config["ingest"] {
  return {
    timeoutMs: e.FEED_TIMEOUT_MS,
    maxBytes: e.FEED_MAX_BYTES,
    fullText: e.FETCH_FULL_TEXT,
    summaryMaxChars: e.SUMMARY_MAX_CHARS,
    topicsFile: e.TOPICS_FILE,
  };
}
