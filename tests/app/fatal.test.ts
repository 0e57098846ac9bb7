import { describe, expect, it } from "vitest";
import { FatalError } from "../../src/fatal-error.js";
import { useAppBed } from "./start-app.js";

describe("a part that cannot go on stops the app (startApp's fatal path)", () => {
  const bed = useAppBed();

  it("reports polling's 409 once, with what to do; the stop that follows reports nothing more", async () => {
    const fake = await bed.fakeTelegram();
    const conflict = fake.injectFault({
      method: "getUpdates",
      status: 409,
      description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    });
    const t = await bed.startApp(fake);
    await expect.poll(() => t.fatals.length).toBe(1);
    expect(t.fatals[0]).toBeInstanceOf(FatalError);
    expect(t.fatals[0]?.message).toBe(
      "Another process is polling Telegram with this BOT_TOKEN (409 Conflict). Run one instance, or use BOT_MODE=webhook.",
    );
    expect(conflict.hits).toBe(1);

    await t.stop();
    expect(t.fatals).toHaveLength(1);
    expect(t.logs.map((line) => line.msg)).toContain("stopped");
  });

  it("reports a token revoked while running (401 on getUpdates)", async () => {
    const fake = await bed.fakeTelegram();
    const t = await bed.startApp(fake);
    fake.injectFault({ method: "getUpdates", status: 401, description: "Unauthorized" });
    // The long poll in progress ends with this update; the next getUpdates meets the revoked token.
    fake.pushMessage({ userId: 5, text: "/help" });
    await expect.poll(() => t.fatals.length).toBe(1);
    expect(t.fatals[0]?.message).toMatch(/^Telegram rejected BOT_TOKEN \(401 Unauthorized\): it is wrong or was revoked\. Copy/);
  });
});
