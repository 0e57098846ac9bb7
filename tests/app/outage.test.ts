import { describe, expect, it } from "vitest";
import { useAppBed } from "./start-app.js";

const USER = 5;
const GROUP = -4001;

describe("a network outage while running", () => {
  const bed = useAppBed();

  it("is logged once, polling retries through it, and the recovery is logged once", async () => {
    const fake = await bed.fakeTelegram();
    const t = await bed.startApp(fake);
    // The reply goes out before the outage: updates are handled while the next getUpdates runs, and a reply that got
    // through in the middle of the outage would end it.
    fake.pushMessage({ userId: USER, text: "/help" });
    await fake.waitForSent(USER, 1);
    await fake.waitFor(() => (fake.stats.byMethod.getUpdates ?? 0) >= 2);
    const outage = fake.injectFault({ method: "getUpdates", reset: true });
    // The long poll in progress ends with this update, which needs no answer (talk in a group); the getUpdates after it meet the outage.
    fake.pushMessage({ userId: USER, chatId: GROUP, chatType: "group", text: "good morning" });
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
