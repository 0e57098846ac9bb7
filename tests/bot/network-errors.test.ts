import { afterEach, describe, expect, it } from "vitest";
import { apiHealth } from "../../src/bot/api-health.js";
import { captureLogger } from "../support/capture-logger.js";
import { FakeClock } from "../support/fake-clock.js";
import { startTestBot, type TestBot } from "../support/harness.js";

const USER = 1001;

/**
 * Replies when the network fails, on the bot's clock: a request that did not reach Telegram is tried again after
 * 1 s and 2 s, then the error boundary has it. The outage log sits under the retries, as in the app.
 */
describe("replies when the network fails", () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  async function start() {
    const clock = new FakeClock();
    const outage = captureLogger("info");
    t = await startTestBot({ clock, transformers: [apiHealth({ clock, logger: outage.logger })] });
    const outageLog = () => outage.lines.map((line) => line.msg);
    return { t, clock, outageLog, startedAt: clock.now() };
  }

  it("a connection reset once costs the reader a second, not the answer", async () => {
    const { t, clock, outageLog, startedAt } = await start();
    const blip = t.fake.injectFault({ method: "sendMessage", reset: true, times: 1 });
    t.fake.pushMessage({ userId: USER, text: "/help" });
    await clock.runUntil(() => t.fake.sent(USER).length === 1);

    expect(t.fake.sent(USER)[0]?.text).toMatch(/^Commands/);
    expect(blip.hits).toBe(1);
    expect(clock.now() - startedAt).toBe(1_000);
    expect(t.logs.filter((line) => line.msg === "network error while talking to Telegram")).toEqual([]);
    // The outage log saw the failed try under the retry, and the one that got through.
    expect(outageLog()).toEqual(["lost contact with the Bot API: ECONNRESET; retrying", "reached the Bot API again after 1 s"]);
  });

  it("a longer outage: 3 tries over 3 s, then the error boundary logs it; the next command is answered", async () => {
    const { t, clock, outageLog, startedAt } = await start();
    const outage = t.fake.injectFault({ method: "sendMessage", reset: true });
    t.fake.pushMessage({ userId: USER, text: "/help" });
    const reported = () => t.logs.filter((line) => line.msg === "network error while talking to Telegram");
    await clock.runUntil(() => reported().length === 1);

    expect(outage.hits).toBe(3);
    expect(clock.now() - startedAt).toBe(3_000);
    expect(reported()).toMatchObject([{ reason: "ECONNRESET" }]);
    expect(t.fake.sent(USER)).toEqual([]);
    expect(outageLog()).toEqual(["lost contact with the Bot API: ECONNRESET; retrying"]);

    outage.remove();
    t.fake.pushMessage({ userId: USER, text: "/help" });
    await clock.runUntil(() => t.fake.sent(USER).length === 1);
    expect(t.fake.sent(USER)[0]?.text).toMatch(/^Commands/);
    expect(outage.hits).toBe(3);
  });
});
