import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { FakeTelegram } from "../../src/sandbox/fake-telegram/index.js";
import { openStore } from "../../src/store/index.js";
import { FakeClock } from "../support/fake-clock.js";
import { addReaders, enqueueAlerts, tally, waitUntil } from "../support/outbox-fixtures.js";
import { makeTempDir } from "../support/temp-dir.js";
import { useAppBed } from "./start-app.js";

const RATE = 20;
const FOLLOWERS = 60;
const ASKERS = 30;
const FIRST_ASKER = 900_001;
const NO_CHANNEL = "CHANNEL_ID is not set: nothing will be posted to a channel; commands still work";

/** startApp hands one send budget to the engine and the bot: on real time, against a server limited to BROADCAST_RATE. */
describe("the app's send budget", () => {
  const bed = useAppBed();

  it("is shared by the broadcast and the replies: 30 readers' /latest during a broadcast meet no 429", async () => {
    const fake = await FakeTelegram.start({ rateLimit: { perSecond: RATE } });
    const dir = makeTempDir();
    try {
      const databaseUrl = `file:${join(dir.path, "news.db")}`;
      // The broadcast waits in the outbox when the app starts.
      const seed = openStore({ kind: "sqlite", path: join(dir.path, "news.db") }, systemClock);
      const followers = await addReaders(seed, fake, FOLLOWERS);
      await enqueueAlerts(seed, followers, new Date());
      await seed.close();

      const t = await bed.startApp(fake, { DATABASE_URL: databaseUrl, BROADCAST_RATE: String(RATE) });
      await waitUntil(() => fake.sent().length >= RATE, 10_000, "the broadcast to start");
      const askers = Array.from({ length: ASKERS }, (_, i) => FIRST_ASKER + i);
      for (const userId of askers) fake.pushMessage({ userId, text: "/latest" });

      await waitUntil(() => askers.every((id) => fake.sent(id).length > 0), 20_000, "every reader's answer");
      await waitUntil(() => tally(fake, followers).delivered === FOLLOWERS, 20_000, "every follower's alert");
      expect(fake.stats.tooManyRequests).toBe(0);
      expect(t.fatals).toEqual([]);
      await t.stop();
    } finally {
      await fake.close();
      dir.remove();
    }
  }, 30_000);

  it("a stop ends the replies still waiting for the budget: none is sent, and the stop does not wait for their turn", async () => {
    const fake = await FakeTelegram.start();
    try {
      // On a fake clock nobody moves, the bucket (one token at 1 a second) never refills: without the stop ending them,
      // the replies after the first would wait for ever, and so would the stop.
      const t = await bed.startApp(fake, { BROADCAST_RATE: "1" }, new FakeClock());
      const askers = Array.from({ length: 5 }, (_, i) => FIRST_ASKER + i);
      for (const userId of askers) fake.pushMessage({ userId, text: "/help" });
      await waitUntil(() => fake.sent().length >= 1, 10_000, "the first reply");
      await t.stop();
      expect(askers.map((id) => fake.sent(id).length).reduce((a, b) => a + b)).toBe(1);
      expect(t.fatals).toEqual([]);
      // A stop is no failure: the replies it ended are noted, not logged as errors, and no apology is tried.
      expect(t.logs.filter((line) => Number(line.level) >= 40 && line.msg !== NO_CHANNEL)).toEqual([]);
      expect(t.logs.filter((line) => line.msg === "reply not sent: the bot is stopping").length).toBeGreaterThan(0);
    } finally {
      await fake.close();
    }
  }, 20_000);
});
