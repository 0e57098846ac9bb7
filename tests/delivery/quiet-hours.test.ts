import { Api } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { createDeliveryEngine } from "../../src/delivery/engine.js";
import { captureLogger } from "../support/capture-logger.js";
import { FakeClock } from "../support/fake-clock.js";
import { FakeTelegram } from "../../src/sandbox/fake-telegram/index.js";
import { addReaders, message } from "../support/outbox-fixtures.js";
import { makeTempStore } from "../support/temp-store.js";

const ZONE = "Asia/Singapore"; // UTC+8, no DST: 23:00 there is 15:00 UTC
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("QUIET_HOURS", () => {
  it("sends channel posts and alerts with disable_notification inside the window (in TIMEZONE), and not outside", async () => {
    const clock = new FakeClock("2026-11-30T14:59:00Z"); // 22:59 in Singapore
    const temp = makeTempStore(clock);
    cleanups.push(() => temp.dispose());
    const fake = await FakeTelegram.start();
    cleanups.push(() => fake.close());
    const channel = -1001234567890;
    fake.addChat({ id: channel, type: "channel", title: "News" });
    const readers = await addReaders(temp.store, fake, 3);
    const { logger } = captureLogger("silent", [fake.token]);
    const config = loadConfig({ BOT_TOKEN: fake.token, QUIET_HOURS: "23:00-07:00", TIMEZONE: ZONE });
    const quiet = { hours: config.delivery.quietHours!, timeZone: config.schedule.timeZone };

    /** Sends one message at the clock's time, through an engine that stops afterwards (so the clock can jump). */
    const sendAt = async (iso: string, kind: "post" | "alert", chatId: number) => {
      await clock.advance(Date.parse(iso) - clock.now());
      const api = new Api(fake.token, { apiRoot: fake.apiRoot });
      const settings = { rate: 30, concurrency: 2, maxAttempts: 3, paidBroadcast: false, quiet };
      const engine = createDeliveryEngine({
        api,
        store: temp.store,
        logger,
        settings,
        clock,
        onFatal: (error) => expect.fail(error.message),
      });
      await temp.store.outbox.enqueue([message(kind, chatId, { articleId: undefined })], new Date(clock.now()));
      await engine.start();
      await clock.runUntil(() => fake.sent(chatId).length > 0);
      await engine.stop();
      return fake.sent(chatId)[0]?.params.disable_notification;
    };

    expect(await sendAt("2026-11-30T14:59:00Z", "alert", readers[0]!)).toBeUndefined(); // 22:59
    expect(await sendAt("2026-11-30T15:00:00Z", "post", channel)).toBe(true); // 23:00
    expect(await sendAt("2026-11-30T22:59:00Z", "alert", readers[1]!)).toBe(true); // 06:59
    expect(await sendAt("2026-11-30T23:00:00Z", "alert", readers[2]!)).toBeUndefined(); // 07:00
  });
});
