import { afterEach, describe, expect, it } from "vitest";
import { startPolling, type UpdateSource } from "../../src/bot/updates.js";
import { FatalError } from "../../src/fatal-error.js";
import { FakeClock, settle } from "../support/fake-clock.js";
import { startTestBot, type TestBot } from "../support/harness.js";

/** Starting long polling (startPolling) with the real bot against the fake server, on a fake clock. */
describe("startPolling", () => {
  let t: TestBot | undefined;
  let source: UpdateSource | undefined;
  afterEach(async () => {
    await source?.stop();
    await t?.stop();
    t = source = undefined;
  });

  async function start(signal?: AbortSignal) {
    const clock = new FakeClock();
    t = await startTestBot({ clock, poll: false });
    const fatals: Error[] = [];
    let outcome: { source?: UpdateSource; error?: unknown } | undefined;
    void startPolling({ bot: t.bot, clock, logger: t.logger, onFatal: (error) => fatals.push(error), signal, concurrency: 10 }).then(
      (started) => (outcome = { source: (source = started) }),
      (error: unknown) => (outcome = { error }),
    );
    return { t, clock, fatals, outcome: () => outcome };
  }

  it("gives up after 30 s on the clock when deleteWebhook never gets through, instead of grammY retrying it forever", async () => {
    const { t, clock, outcome } = await start();
    const outage = t.fake.injectFault({ method: "deleteWebhook", reset: true });
    await t.fake.waitFor(() => outage.hits >= 1);
    await clock.advance(29_999);
    await settle();
    expect(outcome()).toBeUndefined();

    await clock.advance(1);
    await expect.poll(outcome).toBeDefined();
    expect(outcome()?.error).toBeInstanceOf(FatalError);
    expect((outcome()?.error as Error).message).toBe(
      "Polling could not start: the Bot API did not take deleteWebhook within 30 s. Check the network or TELEGRAM_API_ROOT.",
    );
  });

  it("fails at once, saying so, when Telegram refuses deleteWebhook", async () => {
    const { t, outcome } = await start();
    t.fake.injectFault({ method: "deleteWebhook", status: 404, description: "Not Found" });
    await expect.poll(outcome).toBeDefined();
    expect((outcome()?.error as Error).message).toBe(
      "Polling could not start: Telegram refused deleteWebhook (404 Not Found). Check TELEGRAM_API_ROOT.",
    );
  });

  it("stops at once when a stop signal comes while deleteWebhook hangs", async () => {
    const stop = new AbortController();
    const { t, outcome } = await start(stop.signal);
    const hang = t.fake.injectFault({ method: "deleteWebhook", status: 0, description: "", hang: true });
    await t.fake.waitFor(() => hang.hits === 1);
    stop.abort(new Error("SIGTERM"));
    await expect.poll(outcome).toBeDefined();
    expect((outcome()?.error as Error).message).toBe("SIGTERM");
    expect(hang.hits).toBe(1);
  });

  it("once started, reports a refusal of getUpdates (409) as the line that stops Newsdesk", async () => {
    const { t, fatals, outcome } = await start();
    await expect.poll(outcome).toBeDefined();
    expect(outcome()?.source).toBeDefined();
    t.fake.injectFault({ method: "getUpdates", status: 409, description: "Conflict: terminated by other getUpdates request" });
    t.fake.pushMessage({ userId: 5, text: "/help" });
    await expect.poll(() => fatals.length).toBe(1);
    expect(fatals[0]).toBeInstanceOf(FatalError);
    expect(fatals[0]?.message).toMatch(/^Another process is polling Telegram with this BOT_TOKEN \(409 Conflict\)/);
  });
});
