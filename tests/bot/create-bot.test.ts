import { afterEach, describe, expect, it } from "vitest";
import type { CreateBotOptions } from "../../src/bot/create-bot.js";
import { startTestBot, type TestBot } from "../support/harness.js";

const USER = 1001;

describe("createBot", () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it("runs on the botInfo it is given: grammY never calls getMe, which it would retry forever", async () => {
    t = await startTestBot();
    t.fake.pushMessage({ userId: USER, text: "/help" });
    await t.fake.waitForSent(USER, 1);
    expect(t.bot.botInfo).toEqual(t.fake.botInfo);
    expect(t.fake.stats.byMethod.getMe ?? 0).toBe(0);
  });

  it("does not compile without botInfo (tsc checks the line below)", () => {
    // @ts-expect-error botInfo is required: without it, bot.start() runs grammY's endless getMe.
    const options: CreateBotOptions = { commands: [] };
    expect(options.botInfo).toBeUndefined();
  });
});
