import { ConfigError } from "./errors.js";
import { z } from "zod";
import { envSchema, type Env, type QuietHours } from "./schema.js";

export { ConfigError } from "./errors.js";
export type { QuietHours } from "./schema.js";

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
  delivery: {
    broadcastRate: number;
    paidBroadcast: boolean;
    postBatch: number;
    concurrency: number;
    maxAttempts: number;
    /** Channel posts and alerts sent inside this window go without a notification sound. */
    quietHours: QuietHours | undefined;
  };
  /** Webhook mode listens on host:port (WEBHOOK_HOST, PORT), and serves /healthz and /metrics there too. */
  mode: { kind: "polling" } | { kind: "webhook"; url: string; secret: string; host: string; port: number };
  /** Polling mode's server for /healthz and /metrics (HEALTH_PORT, HEALTH_HOST); webhook mode serves them on PORT. */
  healthServer: { host: string; port: number } | undefined;
  logLevel: Env["LOG_LEVEL"];
  ingest: {
    timeoutMs: number;
    maxBytes: number;
    fullText: Env["FETCH_FULL_TEXT"];
    summaryMaxChars: number;
    topicsFile: string | undefined;
    /** Fetch private addresses for admins' feeds and feed content too (intranet feeds, tests); FEEDS are always trusted. */
    allowPrivateFeeds: boolean;
    /** Failures in a row after which the admins are told about a feed. */
    alertAfter: number;
  };
  /** Chats handled at once (one chat's updates wait their turn in its line, holding one slot); more wait for a free slot. */
  updates: { concurrency: number };
}

/**
 * Parses the environment. Throws a ConfigError naming the first wrong variable; the message never
 * contains the bot token. Every default is the schema's.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseOrExplain(envSchema, env);
  return {
    botToken: e.BOT_TOKEN,
    apiRoot: e.TELEGRAM_API_ROOT,
    channelId: e.CHANNEL_ID,
    adminIds: e.ADMIN_IDS,
    database: e.DATABASE_URL,
    feeds: e.FEEDS,
    schedule: scheduleSettings(e),
    delivery: deliverySettings(e),
    mode: modeSettings(e),
    healthServer: e.BOT_MODE === "polling" && e.HEALTH_PORT !== undefined ? { host: e.HEALTH_HOST, port: e.HEALTH_PORT } : undefined,
    logLevel: e.LOG_LEVEL,
    ingest: ingestSettings(e),
    updates: { concurrency: e.UPDATES_CONCURRENCY },
  };
}

/** What the command-line tools need: the database, the schedule, delivery and ingest settings, but no bot token. */
export type ToolConfig = Pick<Config, "database" | "schedule" | "delivery" | "ingest">;

export function loadToolConfig(env: NodeJS.ProcessEnv = process.env): ToolConfig {
  const { BOT_TOKEN: _token, ...rest } = envSchema.shape;
  const e = parseOrExplain(z.object(rest), env);
  return { database: e.DATABASE_URL, schedule: scheduleSettings(e), delivery: deliverySettings(e), ingest: ingestSettings(e) };
}

/** Parses with a schema; the first problem becomes a ConfigError naming its variable. */
function parseOrExplain<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigError(String(issue?.path[0] ?? "environment"), issue?.message ?? "is not valid.");
}

function scheduleSettings(e: Pick<Env, "POLL_CRON" | "POST_CRON" | "DIGEST_CRON" | "TIMEZONE">): Config["schedule"] {
  return { pollCron: e.POLL_CRON, postCron: e.POST_CRON, digestCron: e.DIGEST_CRON, timeZone: e.TIMEZONE };
}

function deliverySettings(
  e: Pick<Env, "BROADCAST_RATE" | "PAID_BROADCAST" | "POST_BATCH" | "DELIVERY_CONCURRENCY" | "MAX_ATTEMPTS" | "QUIET_HOURS">,
): Config["delivery"] {
  if (e.BROADCAST_RATE > FREE_BROADCAST_LIMIT && !e.PAID_BROADCAST) {
    throw new ConfigError(
      "BROADCAST_RATE",
      `${e.BROADCAST_RATE} is over Telegram's free limit of ${FREE_BROADCAST_LIMIT} messages per second. Lower it, or set PAID_BROADCAST=true to pay Stars for up to 1000.`,
    );
  }
  return {
    broadcastRate: e.BROADCAST_RATE,
    paidBroadcast: e.PAID_BROADCAST,
    postBatch: e.POST_BATCH,
    concurrency: e.DELIVERY_CONCURRENCY,
    maxAttempts: e.MAX_ATTEMPTS,
    quietHours: e.QUIET_HOURS,
  };
}

/** Webhook mode needs its URL and secret: the type says so, so nothing downstream checks again. */
function modeSettings(e: Pick<Env, "BOT_MODE" | "WEBHOOK_URL" | "WEBHOOK_SECRET" | "WEBHOOK_HOST" | "PORT">): Config["mode"] {
  if (e.BOT_MODE === "polling") return { kind: "polling" };
  if (e.WEBHOOK_URL === undefined) {
    throw new ConfigError(
      "WEBHOOK_URL",
      "is required when BOT_MODE=webhook. Set the public https URL Telegram should call, e.g. WEBHOOK_URL=https://bot.example.com/telegram, or use BOT_MODE=polling.",
    );
  }
  if (e.WEBHOOK_SECRET === undefined) {
    throw new ConfigError(
      "WEBHOOK_SECRET",
      "is required when BOT_MODE=webhook, so that only Telegram can post updates. Generate one with: openssl rand -hex 32",
    );
  }
  return { kind: "webhook", url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET, host: e.WEBHOOK_HOST, port: e.PORT };
}

function ingestSettings(
  e: Pick<
    Env,
    | "FEED_TIMEOUT_MS"
    | "FEED_MAX_BYTES"
    | "FETCH_FULL_TEXT"
    | "SUMMARY_MAX_CHARS"
    | "TOPICS_FILE"
    | "ALLOW_PRIVATE_FEEDS"
    | "FEED_ALERT_AFTER"
  >,
): Config["ingest"] {
  return {
    timeoutMs: e.FEED_TIMEOUT_MS,
    maxBytes: e.FEED_MAX_BYTES,
    fullText: e.FETCH_FULL_TEXT,
    summaryMaxChars: e.SUMMARY_MAX_CHARS,
    topicsFile: e.TOPICS_FILE,
    allowPrivateFeeds: e.ALLOW_PRIVATE_FEEDS,
    alertAfter: e.FEED_ALERT_AFTER,
  };
}
