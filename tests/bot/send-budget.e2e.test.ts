import { afterEach, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/harness.js";
import { addReaders, enqueueAlerts, tally, waitUntil } from "../support/outbox-fixtures.js";

const RATE = 20;
const FOLLOWERS = 80;
const ASKERS = 30;
const FIRST_ASKER = 900_001;

/**
 * The real bot and its engine on the real clock, against a fake Telegram server that answers 429 over RATE messages a
 * second (a second's worth of burst, as Telegram tolerates): a broadcast and a crowd of readers' commands at once.
 */
describe("one send budget, readers first (real bot, rate-limited fake server)", () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it("a broadcast at BROADCAST_RATE and 30 readers' /latest at once meet no 429", async () => {
    t = await startTestBot({ deliver: true, env: { BROADCAST_RATE: String(RATE) }, fakeOptions: { rateLimit: { perSecond: RATE } } });
    const bot = t;
    const followers = await addReaders(bot.store, bot.fake, FOLLOWERS);
    await enqueueAlerts(bot.store, followers, new Date());
    bot.engine.notify();
    // The broadcast is under way (the bucket is in use) when the readers write.
    await waitUntil(() => bot.fake.sent().length >= RATE, 10_000, "the broadcast to start");
    const askers = Array.from({ length: ASKERS }, (_, i) => FIRST_ASKER + i);
    for (const userId of askers) bot.fake.pushMessage({ userId, text: "/latest" });

    await waitUntil(() => askers.every((id) => bot.fake.sent(id).length > 0), 20_000, "every reader's answer");
    await waitUntil(() => tally(bot.fake, followers).delivered === FOLLOWERS, 20_000, "every follower's alert");
    expect(bot.fake.stats.tooManyRequests).toBe(0);
    expect(tally(bot.fake, followers)).toMatchObject({ delivered: FOLLOWERS, lost: 0, duplicates: 0 });
  }, 30_000);
});
