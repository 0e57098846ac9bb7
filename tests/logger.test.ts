import { describe, expect, it } from "vitest";
import { captureLogger } from "./support/capture-logger.js";

describe("the logger", () => {
  it("writes dates as ISO strings, not as empty objects", () => {
    const { logger, lines } = captureLogger("info");
    logger.info({ lastRun: new Date("2026-11-29T08:00:00Z"), nested: { at: new Date(0) } }, "dated");
    expect(lines[0]).toMatchObject({ lastRun: "2026-11-29T08:00:00.000Z", nested: { at: "1970-01-01T00:00:00.000Z" } });
  });

  it("scrubs a secret from messages, fields and errors with their causes", () => {
    const secret = "123456:SECRET-TOKEN";
    const { logger, lines } = captureLogger("info", [secret]);
    const error = new Error(`fetch failed for /bot${secret}/getMe`, { cause: new Error(`cause ${secret}`) });
    logger.error({ err: error, url: `https://api.example/bot${secret}/x` }, `token ${secret}`);
    const text = JSON.stringify(lines);
    expect(text).not.toContain("SECRET-TOKEN");
    expect(text.match(/\[secret\]/g)?.length).toBeGreaterThanOrEqual(4);
    expect(lines[0]?.err).toMatchObject({ type: "Error", message: expect.stringContaining("fetch failed") as unknown });
  });
});
