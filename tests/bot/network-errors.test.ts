import { afterEach, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/harness.js";

const USER = 1001;

describe("replies when the network fails", () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it("reports a reply that cannot reach Telegram at once, instead of auto-retry waiting, doubling up to an hour", async () => {
    t = await startTestBot();
    t.fake.injectFault({ method: "sendMessage", reset: true, times: 1 });
    t.fake.pushMessage({ userId: USER, text: "/help" });
    await expect.poll(() => t!.logs.find((line) => line.msg === "network error while talking to Telegram")).toBeDefined();
    expect(t.fake.sent(USER)).toEqual([]);

    // The next command is answered as usual.
    t.fake.pushMessage({ userId: USER, text: "/help" });
    const [reply] = await t.fake.waitForSent(USER, 1);
    expect(reply?.text).toMatch(/^Commands/);
  });
});
