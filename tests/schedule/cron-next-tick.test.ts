import cron from "node-cron";
import { describe, expect, it } from "vitest";
import { nextCronTick } from "../../src/schedule/cron-next-tick.js";

const at = (iso: string) => Date.parse(iso);
const next = (expression: string, after: string, timeZone: string) => {
  const tick = nextCronTick(expression, at(after), timeZone);
  return tick === undefined ? undefined : new Date(tick).toISOString();
};

describe("nextCronTick", () => {
  it.each([
    ["* * * * *", "2026-11-30T12:00:30Z", "UTC", "2026-11-30T12:01:00.000Z"],
    ["* * * * *", "2026-11-30T12:00:00Z", "UTC", "2026-11-30T12:01:00.000Z"],
    ["*/5 * * * *", "2026-11-30T23:58:00Z", "UTC", "2026-12-01T00:00:00.000Z"],
    ["*/20 * * * * *", "2026-11-30T12:00:41Z", "UTC", "2026-11-30T12:01:00.000Z"],
    // Friday after 8:00 in London → Monday 8:00 (GMT in November)
    ["0 8 * * 1-5", "2026-11-27T09:00:00Z", "Europe/London", "2026-11-30T08:00:00.000Z"],
    ["0 8 * * *", "2026-07-01T12:00:00Z", "Asia/Kolkata", "2026-07-02T02:30:00.000Z"],
    // 01:30 does not exist in London on 29 March 2026 (01:00 GMT → 02:00 BST): the next one is on the 30th, in BST.
    ["30 1 * * *", "2026-03-29T00:00:00Z", "Europe/London", "2026-03-30T00:30:00.000Z"],
    // 01:30 happens twice on 25 October 2026: first in BST, then in GMT.
    ["30 1 * * *", "2026-10-25T00:00:00Z", "Europe/London", "2026-10-25T00:30:00.000Z"],
    ["30 1 * * *", "2026-10-25T00:30:00Z", "Europe/London", "2026-10-25T01:30:00.000Z"],
    ["0 0 L * *", "2027-02-10T00:00:00Z", "UTC", "2027-02-28T00:00:00.000Z"],
    ["0 9 * * 1#1", "2026-12-01T00:00:00Z", "UTC", "2026-12-07T09:00:00.000Z"],
    ["0 9 * * 5L", "2026-12-01T00:00:00Z", "UTC", "2026-12-25T09:00:00.000Z"],
    ["0 9 LW * *", "2026-10-01T00:00:00Z", "UTC", "2026-10-30T09:00:00.000Z"],
    ["0 0 29 2 *", "2026-03-01T00:00:00Z", "UTC", "2028-02-29T00:00:00.000Z"],
  ])("%s after %s in %s → %s", (expression, after, timeZone, expected) => {
    expect(next(expression, after, timeZone)).toBe(expected);
  });

  it.each(["* * * * *", "*/5 * * * *", "0 8 * * 1-5", "15 3,15 1,15 * *", "0 0 L * *", "0 9 * * 5L", "0 12 LW * *", "0 0 * * 0#2"])(
    "agrees with node-cron's own next runs for %s",
    (expression) => {
      for (const timeZone of ["UTC", "Europe/London", "America/New_York", "Asia/Kathmandu"]) {
        const task = cron.createTask(expression, () => undefined, { timezone: timeZone });
        try {
          const from = Date.now();
          const theirs = task.getNextRuns(5).map((d) => d.getTime());
          const ours: number[] = [];
          for (let t = from; ours.length < 5;) ours.push((t = nextCronTick(expression, t, timeZone) ?? Number.NaN));
          expect(ours, timeZone).toEqual(theirs);
        } finally {
          void task.destroy();
        }
      }
    },
  );
});
