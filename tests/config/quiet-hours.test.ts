import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";

const TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi";

describe("QUIET_HOURS", () => {
  it("is validated at start with a message that shows the format", () => {
    const load = (value: string) => () => loadConfig({ BOT_TOKEN: TOKEN, QUIET_HOURS: value });
    expect(loadConfig({ BOT_TOKEN: TOKEN, QUIET_HOURS: "23:00-07:30" }).delivery.quietHours).toEqual({
      from: 23 * 60,
      to: 7 * 60 + 30,
    });
    expect(loadConfig({ BOT_TOKEN: TOKEN, QUIET_HOURS: "" }).delivery.quietHours).toBeUndefined();
    expect(load("11pm-7am")).toThrow("QUIET_HOURS: must be two 24-hour times HH:MM-HH:MM. Example: QUIET_HOURS=23:00-07:00 (in TIMEZONE)");
    expect(load("24:00-07:00")).toThrow(/QUIET_HOURS: must be two 24-hour times/);
    expect(load("07:00-07:00")).toThrow("QUIET_HOURS: starts and ends at the same time.");
  });
});
