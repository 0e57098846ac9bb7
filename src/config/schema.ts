import { isIP } from "node:net";
import { z } from "zod";
import { isValidCron, isValidTimeZone } from "./cron.js";
import { FETCH_DEFAULTS } from "./defaults.js";

/**
 * The operator contract: every environment variable, its default, and what to say when it is wrong.
 * Each message completes "VARIABLE: ..." and ends with how to fix it. Values are echoed only when
 * they are not secret.
 */

const emptyToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : typeof value === "string" ? value.trim() : value;

const optionalText = () => z.preprocess(emptyToUndefined, z.string().optional());

const wholeNumber = (name: string, min: number, max: number, fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .transform((raw, ctx) => {
        if (raw === undefined) return fallback;
        const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
        if (!Number.isSafeInteger(value) || value < min || value > max) {
          ctx.addIssue({
            code: "custom",
            message: `must be a whole number from ${min} to ${max}, got "${raw}". Set ${name}=${fallback} or remove it to use the default.`,
          });
          return z.NEVER;
        }
        return value;
      }),
  );

/** A node-cron expression; `example` is shown when it is wrong. */
const cron = (name: string, example: string) =>
  z.string().refine(isValidCron, {
    error: (issue) =>
      `"${String(issue.input)}" is not a cron expression. Use 5 fields (minute hour day month weekday) or 6 with seconds first, e.g. ${name}="${example}".`,
  });
const cronOr = (name: string, fallback: string) => z.preprocess(emptyToUndefined, cron(name, fallback).default(fallback));
const optionalCron = (name: string, example: string) => z.preprocess(emptyToUndefined, cron(name, example).optional());

const BOT_TOKEN_SHAPE = /^\d{3,}:[A-Za-z0-9_-]{10,}$/;

const botToken = z.preprocess(
  emptyToUndefined,
  z
    .string({
      error:
        "is missing. Talk to @BotFather in Telegram, send /newbot, and put the token it gives you in .env as BOT_TOKEN=123456:ABC... To try Newsdesk offline first, without a token, run: npm run sandbox",
    })
    // Never echo the token: not even a part of it.
    .regex(BOT_TOKEN_SHAPE, {
      error: "does not look like a bot token (digits, a colon, then letters). Copy it again from @BotFather (/mybots → API Token).",
    }),
);

const channelId = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .regex(/^(@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d{5,})$/, {
      error: (issue) => `"${String(issue.input)}" is not a channel. Use the channel's @username or its numeric id starting with -100.`,
    })
    .optional(),
);

/** A comma-separated list: each part is checked, and the first bad one is named in the message. */
const commaList = (isValid: (part: string) => boolean, explain: (bad: string) => string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .transform((raw, ctx) => {
        const parts = (raw ?? "")
          .split(",")
          .map((part) => part.trim())
          .filter(Boolean);
        const bad = parts.find((part) => !isValid(part));
        if (bad !== undefined) {
          ctx.addIssue({ code: "custom", message: explain(bad) });
          return z.NEVER;
        }
        return [...new Set(parts)];
      }),
  );

const adminIds = commaList(
  (part) => /^\d{1,15}$/.test(part),
  (bad) =>
    `"${bad}" is not a Telegram user id. List numeric ids separated by commas, e.g. ADMIN_IDS=12345678,87654321 (ask @userinfobot for yours).`,
).transform((ids) => ids.map(Number));

const databaseUrl = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = raw ?? "file:./data/newsdesk.db";
      const match = /^file:(.+)$/.exec(value);
      if (!match?.[1]) {
        ctx.addIssue({
          code: "custom",
          message: `"${value}" is not supported. Use file:PATH for SQLite, e.g. DATABASE_URL=file:./data/newsdesk.db (Postgres comes later).`,
        });
        return z.NEVER;
      }
      return { kind: "sqlite" as const, path: match[1] };
    }),
);

function isHttpUrl(value: string, protocols = ["http:", "https:"]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const feedList = commaList(
  (url) => isHttpUrl(url),
  (bad) =>
    `"${bad}" is not an http(s) URL. List feed URLs separated by commas, e.g. FEEDS=https://example.com/rss.xml,https://example.org/atom.xml`,
);

/** A URL with one of `protocols`; `example` is shown when it is wrong. */
const checkedUrl = (name: string, protocols: string[], example: string) =>
  z.string().refine((value) => isHttpUrl(value, protocols), {
    error: (issue) =>
      `"${String(issue.input)}" is not a ${protocols.map((p) => p.replace(":", "")).join(" or ")} URL. Example: ${name}=${example}`,
  });

const oneOf = <T extends string>(name: string, values: readonly [T, ...T[]], fallback: T) =>
  z.preprocess(
    (value) => (typeof value === "string" ? emptyToUndefined(value.toLowerCase()) : value),
    z.enum(values, { error: `must be one of ${values.join(", ")}. Example: ${name}=${fallback}` }).default(fallback),
  );

const booleanFlag = (name: string) =>
  z.preprocess(
    (value) => (typeof value === "string" ? emptyToUndefined(value.toLowerCase()) : value),
    z
      .enum(["true", "false", "1", "0", "yes", "no"], { error: `must be true or false. Example: ${name}=false` })
      .default("false")
      .transform((value) => ["true", "1", "yes"].includes(value)),
  );

const timeZone = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .default("UTC")
    .refine(isValidTimeZone, {
      error: (issue) => `"${String(issue.input)}" is not an IANA time zone. Use a name like TIMEZONE=Europe/London or TIMEZONE=UTC.`,
    }),
);

const webhookSecret = z.preprocess(
  emptyToUndefined,
  z
    .string()
    // Telegram's alphabet; at least 24 characters, so that it cannot be guessed.
    .regex(/^[A-Za-z0-9_-]{24,256}$/, {
      error:
        "must be 24 to 256 characters of A-Z, a-z, 0-9, _ and - (Telegram's alphabet), so that it cannot be guessed. Generate one with: openssl rand -hex 32",
    })
    .optional(),
);

/** A port that may be left unset (then the server it names does not start); `example` is shown when it is wrong. */
const optionalPort = (name: string, example: number) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d+$/, {
        error: (issue) => `must be a port number from 1 to 65535, got "${String(issue.input)}". Example: ${name}=${example}`,
      })
      .transform(Number)
      .refine((port) => port >= 1 && port <= 65535, { error: `must be a port number from 1 to 65535. Example: ${name}=${example}` })
      .optional(),
  );

/** The address a server listens on: an IP literal, so that a typo cannot resolve to some other interface. */
const listenHost = (name: string, fallback: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default(fallback)
      .refine((host) => isIP(host) !== 0, {
        error: (issue) =>
          `"${String(issue.input)}" is not an IP address. Use ${name}=127.0.0.1 (this machine only) or ${name}=0.0.0.0 (every interface, e.g. in a container).`,
      }),
  );

/** A daily window in TIMEZONE, as minutes after midnight; `from` after `to` spans midnight (23:00-07:00). */
export interface QuietHours {
  from: number;
  to: number;
}

const QUIET_HOURS = /^([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]):([0-5][0-9])$/;
const QUIET_HOURS_EXAMPLE = "Example: QUIET_HOURS=23:00-07:00 (in TIMEZONE), or leave it empty for none.";

const quietHours = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .regex(QUIET_HOURS, { error: `must be two 24-hour times HH:MM-HH:MM. ${QUIET_HOURS_EXAMPLE}` })
    .transform((text): QuietHours => {
      const [, fromH, fromM, toH, toM] = (QUIET_HOURS.exec(text) ?? []).map(Number);
      return { from: (fromH ?? 0) * 60 + (fromM ?? 0), to: (toH ?? 0) * 60 + (toM ?? 0) };
    })
    .refine((window) => window.from !== window.to, { error: `starts and ends at the same time. ${QUIET_HOURS_EXAMPLE}` })
    .optional(),
);

const TELEGRAM_API_ROOT = "https://api.telegram.org";

export const envSchema = z.object({
  BOT_TOKEN: botToken,
  TELEGRAM_API_ROOT: z.preprocess(
    emptyToUndefined,
    checkedUrl("TELEGRAM_API_ROOT", ["http:", "https:"], TELEGRAM_API_ROOT)
      .default(TELEGRAM_API_ROOT)
      .transform((root) => root.replace(/\/+$/, "")),
  ),
  CHANNEL_ID: channelId,
  ADMIN_IDS: adminIds,
  DATABASE_URL: databaseUrl,
  FEEDS: feedList,
  POLL_CRON: cronOr("POLL_CRON", "*/5 * * * *"),
  POST_CRON: cronOr("POST_CRON", "* * * * *"),
  DIGEST_CRON: optionalCron("DIGEST_CRON", "0 8 * * *"),
  TIMEZONE: timeZone,
  BROADCAST_RATE: wholeNumber("BROADCAST_RATE", 1, 1000, 25),
  PAID_BROADCAST: booleanFlag("PAID_BROADCAST"),
  POST_BATCH: wholeNumber("POST_BATCH", 1, 50, 3),
  DELIVERY_CONCURRENCY: wholeNumber("DELIVERY_CONCURRENCY", 1, 256, 32),
  MAX_ATTEMPTS: wholeNumber("MAX_ATTEMPTS", 1, 50, 5),
  BOT_MODE: oneOf("BOT_MODE", ["polling", "webhook"], "polling"),
  WEBHOOK_URL: z.preprocess(emptyToUndefined, checkedUrl("WEBHOOK_URL", ["https:"], "https://bot.example.com/telegram").optional()),
  WEBHOOK_SECRET: webhookSecret,
  PORT: wholeNumber("PORT", 1, 65535, 8080),
  // Every interface by default: the TLS proxy in front may be another container or machine, and a bot upgraded
  // from a version without WEBHOOK_HOST must not go deaf. A proxy on this machine lets it be 127.0.0.1.
  WEBHOOK_HOST: listenHost("WEBHOOK_HOST", "0.0.0.0"),
  LOG_LEVEL: oneOf("LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace", "silent"], "info"),
  FEED_TIMEOUT_MS: wholeNumber("FEED_TIMEOUT_MS", 1000, 120_000, FETCH_DEFAULTS.timeoutMs),
  FEED_MAX_BYTES: wholeNumber("FEED_MAX_BYTES", 10_000, 100_000_000, FETCH_DEFAULTS.maxBytes),
  FETCH_FULL_TEXT: oneOf("FETCH_FULL_TEXT", ["auto", "always", "never"], "auto"),
  SUMMARY_MAX_CHARS: wholeNumber("SUMMARY_MAX_CHARS", 80, 3000, 400),
  TOPICS_FILE: optionalText(),
  QUIET_HOURS: quietHours,
  ALLOW_PRIVATE_FEEDS: booleanFlag("ALLOW_PRIVATE_FEEDS"),
  FEED_ALERT_AFTER: wholeNumber("FEED_ALERT_AFTER", 1, 1000, 5),
  HEALTH_PORT: optionalPort("HEALTH_PORT", 9090),
  HEALTH_HOST: listenHost("HEALTH_HOST", "127.0.0.1"),
  UPDATES_CONCURRENCY: wholeNumber("UPDATES_CONCURRENCY", 1, 1000, 100),
});

export type Env = z.output<typeof envSchema>;
