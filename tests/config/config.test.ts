import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, loadToolConfig } from "../../src/config/index.js";
import { envSchema } from "../../src/config/schema.js";
import { FetchError, fetchResource } from "../../src/ingest/fetch.js";

const TOKEN = "123456:TEST-TOKEN-abcdef";
const base = { BOT_TOKEN: TOKEN };
const SECRET = "0123456789abcdef0123456789abcdef";

describe("loadConfig", () => {
  it("gives the documented defaults", () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({
      apiRoot: "https://api.telegram.org",
      channelId: undefined,
      adminIds: [],
      database: { kind: "sqlite", path: "./data/newsdesk.db" },
      feeds: [],
      schedule: { pollCron: "*/5 * * * *", postCron: "* * * * *", digestCron: undefined, timeZone: "UTC" },
      delivery: { broadcastRate: 25, paidBroadcast: false, postBatch: 3, concurrency: 32, maxAttempts: 5 },
      mode: { kind: "polling" },
      logLevel: "info",
      ingest: { timeoutMs: 15_000, maxBytes: 5_000_000, fullText: "auto", summaryMaxChars: 400 },
    });
  });

  it("keeps every default in the schema, so the config adds none of its own", () => {
    const parsed = envSchema.parse(base);
    const config = loadConfig(base);
    expect(parsed).toMatchObject({ TELEGRAM_API_ROOT: config.apiRoot, POLL_CRON: "*/5 * * * *", POST_CRON: "* * * * *" });
    expect(loadToolConfig({})).toEqual({
      database: config.database,
      schedule: config.schedule,
      delivery: config.delivery,
      ingest: config.ingest,
    });
  });

  it("gives a fetch without settings the config's size cap", async () => {
    // Between FEED_MAX_BYTES's default (5,000,000) and 5 MiB: a fetch's own default once let it through.
    const body = Buffer.alloc(5_100_000, "a");
    const server = createServer((_, res) => res.writeHead(200, { "content-length": body.length }).end(body));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/big`;
      // Loopback is a private address: allowed here, as this test is about the size cap.
      const error = await fetchResource(url, { allowPrivateAddresses: true }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(FetchError);
      expect((error as FetchError).reason).toBe("too-large");
      expect(loadConfig(base).ingest.maxBytes).toBe(5_000_000);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("types the webhook secret as required, as the config guarantees it", () => {
    const config = loadConfig({ ...base, BOT_MODE: "webhook", WEBHOOK_URL: "https://bot.example/hook", WEBHOOK_SECRET: SECRET });
    if (config.mode.kind !== "webhook") throw new Error("expected webhook mode");
    // A compile-time check as much as a runtime one: `string | undefined` does not assign to `string`.
    const secret: string = config.mode.secret;
    expect(secret).toBe(SECRET);
  });

  it("reads every variable", () => {
    const config = loadConfig({
      ...base,
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081/",
      CHANNEL_ID: "-1001234567890",
      ADMIN_IDS: " 42, 43 ,42",
      DATABASE_URL: "file:/tmp/x/news.db",
      FEEDS: "https://a.example/rss, https://b.example/atom.xml",
      POLL_CRON: "*/30 * * * * *",
      POST_CRON: "0 * * * *",
      DIGEST_CRON: "0 8 * * *",
      TIMEZONE: "Europe/London",
      BROADCAST_RATE: "500",
      PAID_BROADCAST: "true",
      POST_BATCH: "5",
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://bot.example.com/hook",
      WEBHOOK_SECRET: "s3cr3t_-0123456789abcdefgh",
      PORT: "9000",
      LOG_LEVEL: "DEBUG",
      FETCH_FULL_TEXT: "never",
      HEALTH_PORT: "9090",
    });
    expect(config.apiRoot).toBe("http://127.0.0.1:8081");
    expect(config.adminIds).toEqual([42, 43]);
    expect(config.database.path).toBe("/tmp/x/news.db");
    expect(config.feeds).toEqual(["https://a.example/rss", "https://b.example/atom.xml"]);
    expect(config.schedule).toEqual({
      pollCron: "*/30 * * * * *",
      postCron: "0 * * * *",
      digestCron: "0 8 * * *",
      timeZone: "Europe/London",
    });
    expect(config.delivery).toEqual({ broadcastRate: 500, paidBroadcast: true, postBatch: 5, concurrency: 32, maxAttempts: 5 });
    expect(config.mode).toEqual({
      kind: "webhook",
      url: "https://bot.example.com/hook",
      secret: "s3cr3t_-0123456789abcdefgh",
      host: "0.0.0.0",
      port: 9000,
    });
    // HEALTH_PORT serves polling mode only: webhook mode answers /healthz and /metrics on PORT.
    expect(config.healthServer).toBeUndefined();
    expect(config.logLevel).toBe("debug");
  });

  it("starts the health server in polling mode only when HEALTH_PORT is set, on 127.0.0.1 unless HEALTH_HOST says otherwise", () => {
    expect(loadConfig(base).healthServer).toBeUndefined();
    expect(loadConfig({ ...base, HEALTH_PORT: "9090" }).healthServer).toEqual({ host: "127.0.0.1", port: 9090 });
    expect(loadConfig({ ...base, HEALTH_PORT: "9090", HEALTH_HOST: "0.0.0.0" }).healthServer).toEqual({ host: "0.0.0.0", port: 9090 });
  });

  it("listens for the webhook on every interface unless WEBHOOK_HOST says otherwise", () => {
    const webhook = {
      ...base,
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://bot.example.com/hook",
      WEBHOOK_SECRET: "s3cr3t_-0123456789abcdefgh",
    };
    expect(loadConfig(webhook).mode).toMatchObject({ host: "0.0.0.0", port: 8080 });
    expect(loadConfig({ ...webhook, WEBHOOK_HOST: "127.0.0.1" }).mode).toMatchObject({ host: "127.0.0.1", port: 8080 });
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ ...base, CHANNEL_ID: "", DIGEST_CRON: " ", BROADCAST_RATE: "" })).toMatchObject({
      channelId: undefined,
      schedule: { digestCron: undefined },
      delivery: { broadcastRate: 25 },
    });
  });

  it.each([
    [{}, "BOT_TOKEN", /@BotFather/],
    [{ BOT_TOKEN: "  " }, "BOT_TOKEN", /missing.*@BotFather/],
    [{ BOT_TOKEN: "not-a-token" }, "BOT_TOKEN", /does not look like a bot token/],
    [{ ...base, TELEGRAM_API_ROOT: "ftp://x" }, "TELEGRAM_API_ROOT", /http or https URL/],
    [{ ...base, CHANNEL_ID: "news" }, "CHANNEL_ID", /@username or its numeric id/],
    [{ ...base, CHANNEL_ID: "12345" }, "CHANNEL_ID", /-100/],
    [{ ...base, ADMIN_IDS: "42,bob" }, "ADMIN_IDS", /"bob" is not a Telegram user id/],
    [{ ...base, DATABASE_URL: "postgres://db/news" }, "DATABASE_URL", /file:PATH/],
    [{ ...base, FEEDS: "https://ok.example/rss,notaurl" }, "FEEDS", /"notaurl" is not an http\(s\) URL/],
    [{ ...base, POLL_CRON: "every five minutes" }, "POLL_CRON", /not a cron expression/],
    [{ ...base, POST_CRON: "61 * * * *" }, "POST_CRON", /not a cron expression/],
    [{ ...base, DIGEST_CRON: "* * *" }, "DIGEST_CRON", /5 fields/],
    [{ ...base, TIMEZONE: "Mars/Olympus" }, "TIMEZONE", /IANA time zone/],
    [{ ...base, BROADCAST_RATE: "abc" }, "BROADCAST_RATE", /whole number from 1 to 1000, got "abc"/],
    [{ ...base, BROADCAST_RATE: "0" }, "BROADCAST_RATE", /whole number/],
    [{ ...base, BROADCAST_RATE: "2.5" }, "BROADCAST_RATE", /whole number/],
    [{ ...base, BROADCAST_RATE: "99999999999999999999" }, "BROADCAST_RATE", /whole number/],
    [{ ...base, BROADCAST_RATE: "100" }, "BROADCAST_RATE", /PAID_BROADCAST=true/],
    [{ ...base, PAID_BROADCAST: "maybe" }, "PAID_BROADCAST", /true or false/],
    [{ ...base, DELIVERY_CONCURRENCY: "0" }, "DELIVERY_CONCURRENCY", /1 to 256/],
    [{ ...base, MAX_ATTEMPTS: "many" }, "MAX_ATTEMPTS", /1 to 50/],
    [{ ...base, POST_BATCH: "-1" }, "POST_BATCH", /whole number from 1 to 50/],
    [{ ...base, BOT_MODE: "push" }, "BOT_MODE", /polling, webhook/],
    [{ ...base, BOT_MODE: "webhook" }, "WEBHOOK_URL", /required when BOT_MODE=webhook/],
    [{ ...base, BOT_MODE: "webhook", WEBHOOK_URL: "http://insecure.example" }, "WEBHOOK_URL", /https URL/],
    [{ ...base, BOT_MODE: "webhook", WEBHOOK_URL: "https://bot.example/hook" }, "WEBHOOK_SECRET", /required when BOT_MODE=webhook/],
    [{ ...base, WEBHOOK_SECRET: "has spaces in it, 24 chars or more" }, "WEBHOOK_SECRET", /A-Z, a-z, 0-9/],
    [{ ...base, WEBHOOK_SECRET: "s3cr3t_-0123456789abcde" }, "WEBHOOK_SECRET", /must be 24 to 256 characters .* openssl rand -hex 32/],
    [{ ...base, WEBHOOK_SECRET: "x".repeat(257) }, "WEBHOOK_SECRET", /must be 24 to 256 characters/],
    [{ ...base, HEALTH_PORT: "0" }, "HEALTH_PORT", /port number from 1 to 65535/],
    [{ ...base, HEALTH_PORT: "health" }, "HEALTH_PORT", /port number from 1 to 65535/],
    [{ ...base, HEALTH_HOST: "everywhere" }, "HEALTH_HOST", /not an IP address.*HEALTH_HOST=0\.0\.0\.0/],
    [{ ...base, WEBHOOK_HOST: "localhost" }, "WEBHOOK_HOST", /not an IP address.*WEBHOOK_HOST=127\.0\.0\.1/],
    [{ ...base, PORT: "70000" }, "PORT", /1 to 65535/],
    [{ ...base, LOG_LEVEL: "loud" }, "LOG_LEVEL", /one of fatal/],
    [{ ...base, FEED_TIMEOUT_MS: "5" }, "FEED_TIMEOUT_MS", /1000 to 120000/],
    [{ ...base, FETCH_FULL_TEXT: "sometimes" }, "FETCH_FULL_TEXT", /auto, always, never/],
    [{ ...base, SUMMARY_MAX_CHARS: "10" }, "SUMMARY_MAX_CHARS", /80 to 3000/],
  ])("rejects %j naming %s", (env, variable, message) => {
    let caught: unknown;
    try {
      loadConfig(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("\n");
  });

  it("never repeats the token in an error, whole or in part", () => {
    const secret = "123456:AAHsecretsecretsecret-butBroken!";
    expect(() => loadConfig({ BOT_TOKEN: secret })).toThrow(ConfigError);
    try {
      loadConfig({ BOT_TOKEN: secret });
    } catch (error) {
      expect((error as Error).message).not.toContain("AAHsecret");
      expect((error as Error).message).not.toContain("123456");
    }
  });
});
