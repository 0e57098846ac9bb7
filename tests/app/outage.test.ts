import { afterEach, describe, expect, it } from "vitest";
import { FakeTelegram } from "../support/fake-telegram/index.js";
import { startAppAgainst, type AppUnderTest } from "./start-app.js";

const USER = 5;

describe("a network outage while running", () => {
  let fake: FakeTelegram | undefined;
  let t: AppUnderTest | undefined;
  afterEach(async () => {
    await t?.stop();
    await fake?.close();
    t = fake = undefined;
  });

  it("is logged once, polling retries through it, and the recovery is logged once", async () => {
    fake = await FakeTelegram.start();
    t = await startAppAgainst(fake);
    await fake.waitFor(() => fake!.stats.byMethod.getUpdates === 1);
    const outage = fake.injectFault({ method: "getUpdates", reset: true });
    // The long poll in progress ends with this update; the getUpdates after it meet the outage.
    fake.pushMessage({ userId: USER, text: "/help" });
    await fake.waitForSent(USER, 1);
    // grammY tries getUpdates again every 3 s: two failed tries are one outage.
    await fake.waitFor(() => outage.hits >= 2, 10_000);
    outage.remove();
    fake.pushMessage({ userId: USER, text: "/help" });
    await fake.waitForSent(USER, 2, 10_000);

    const lost = t.logs.filter((line) => String(line.msg).startsWith("lost contact with the Bot API"));
    const back = t.logs.filter((line) => String(line.msg).startsWith("reached the Bot API again"));
    expect(lost.map((line) => line.msg)).toEqual(["lost contact with the Bot API: ECONNRESET; retrying"]);
    expect(back).toHaveLength(1);
    expect(back[0]?.msg).toMatch(/^reached the Bot API again after \d+ s$/);
    expect(t.fatals).toEqual([]);
  });
});
