import cron from "node-cron";
import { describe, expect, it } from "vitest";
import { missedTick } from "../../src/schedule/index.js";

const task = (expression: string) => cron.createTask(expression, () => undefined, { timezone: "UTC" });
const at = (iso: string) => new Date(iso);

describe("missedTick (catch-up after downtime)", () => {
  it.each([
    ["* * * * *", "2026-11-29T10:00:30Z", "2026-11-29T10:03:00Z", true],
    ["* * * * *", "2026-11-29T10:00:00Z", "2026-11-29T10:00:50Z", false],
    ["0 8 * * *", "2026-11-29T07:00:00Z", "2026-11-29T09:00:00Z", true],
    ["0 8 * * *", "2026-11-29T08:30:00Z", "2026-11-29T20:00:00Z", false],
    ["*/10 * * * * *", "2026-11-29T10:00:01Z", "2026-11-29T10:00:15Z", true],
  ])("%s, last run %s, now %s → %s", (expression, last, now, expected) => {
    expect(missedTick(task(expression), at(last), at(now))).toBe(expected);
  });
});
