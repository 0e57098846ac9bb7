import cron from "node-cron";
import { afterEach, describe, expect, it, vi } from "vitest";
import { nextTick } from "../../src/schedule/next-tick.js";

describe("nextTick: the first tick strictly after a date, in the job's time zone", () => {
  it.each([
    // 5 and 6 fields
    ["0 8 * * *", "UTC", "2026-11-29T07:00:00Z", "2026-11-29T08:00:00Z"],
    ["0 8 * * *", "UTC", "2026-11-29T08:00:00Z", "2026-11-30T08:00:00Z"],
    ["0 8 * * *", "UTC", "2026-11-29T08:00:00.500Z", "2026-11-30T08:00:00Z"],
    ["*/10 * * * * *", "UTC", "2026-11-29T10:00:01Z", "2026-11-29T10:00:10Z"],
    ["30 15 * * * *", "UTC", "2026-11-29T10:20:00Z", "2026-11-29T11:15:30Z"],
    ["0 9 * * MON-FRI", "UTC", "2026-11-27T10:00:00Z", "2026-11-30T09:00:00Z"],
    ["0 8 * * 1#2", "UTC", "2026-12-01T00:00:00Z", "2026-12-14T08:00:00Z"],
    // time zones
    ["0 8 * * *", "Europe/Berlin", "2026-11-29T08:00:00Z", "2026-11-30T07:00:00Z"],
    ["0 8 * * *", "Europe/Berlin", "2026-07-01T05:00:00Z", "2026-07-01T06:00:00Z"],
    ["0 0 * * *", "America/New_York", "2026-06-01T12:00:00Z", "2026-06-02T04:00:00Z"],
    ["0 9 * * 1", "Asia/Kolkata", "2026-11-30T12:00:00Z", "2026-12-07T03:30:00Z"],
    ["0 0 * * *", "Pacific/Kiritimati", "2026-11-29T12:00:00Z", "2026-11-30T10:00:00Z"],
    // DST: a skipped local time does not fire; a repeated one fires once, where node-cron fires it
    ["30 2 * * *", "Europe/Berlin", "2026-03-28T01:30:00Z", "2026-03-30T00:30:00Z"],
    ["*/15 * * * *", "Europe/Berlin", "2026-03-29T00:50:00Z", "2026-03-29T01:00:00Z"],
    ["0 2 * * *", "America/New_York", "2026-03-07T12:00:00Z", "2026-03-09T06:00:00Z"],
    ["30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", "2026-10-25T01:30:00Z"],
    ["30 2 * * *", "Europe/Berlin", "2026-10-25T01:30:00Z", "2026-10-26T01:30:00Z"],
    ["30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z", "2026-11-01T05:30:00Z"],
    // month and year ends
    ["0 0 31 * *", "UTC", "2026-04-15T00:00:00Z", "2026-05-31T00:00:00Z"],
    ["0 0 L * *", "UTC", "2027-02-01T00:00:00Z", "2027-02-28T00:00:00Z"],
    ["0 0 L * *", "UTC", "2028-02-01T00:00:00Z", "2028-02-29T00:00:00Z"],
    ["0 0 1 1 *", "UTC", "2026-12-31T23:00:00Z", "2027-01-01T00:00:00Z"],
    ["59 59 23 31 12 *", "UTC", "2026-12-31T23:59:59Z", "2027-12-31T23:59:59Z"],
    // leap day
    ["0 12 29 2 *", "UTC", "2026-03-01T00:00:00Z", "2028-02-29T12:00:00Z"],
    ["0 0 29 2 1", "UTC", "2026-01-01T00:00:00Z", "2044-02-29T00:00:00Z"],
  ])("%s in %s after %s → %s", (expression, timeZone, after, expected) => {
    expect(nextTick(expression, timeZone, new Date(after))?.toISOString()).toBe(new Date(expected).toISOString());
  });
});

describe("nextTick against node-cron", () => {
  // node-cron's getNextRuns() counts from its own `new Date()`. Date is pinned so that both count from the same
  // instant: read twice, the two reads could fall on either side of a minute boundary.
  const instants = [
    "2026-11-30T11:59:59.999Z", // 1 ms before a minute boundary
    "2026-12-31T23:59:59.999Z", // the year's last millisecond
    "2026-03-08T06:30:00Z", // New York springs forward at 07:00 UTC
    "2026-03-29T00:30:00Z", // London springs forward at 01:00 UTC
    "2026-10-25T00:59:59.999Z", // London falls back at 01:00 UTC
    "2026-10-31T12:00:00Z", // New York falls back the next morning
  ];
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    "* * * * *",
    "*/5 * * * *",
    "0 8 * * 1-5",
    "15 3,15 1,15 * *",
    "0 0 L * *",
    "0 9 * * 5L",
    "0 12 LW * *",
    "0 0 * * 0#2",
    "30 1 * * *",
    "30 2 * * *",
  ])("agrees with node-cron's own next runs for %s", (expression) => {
    vi.useFakeTimers({ toFake: ["Date"] });
    for (const instant of instants) {
      vi.setSystemTime(new Date(instant));
      for (const timeZone of ["UTC", "Europe/London", "America/New_York", "Asia/Kathmandu"]) {
        const task = cron.createTask(expression, () => undefined, { timezone: timeZone });
        try {
          const theirs = task.getNextRuns(5).map((d) => d.getTime());
          const ours: number[] = [];
          for (let t = Date.parse(instant); ours.length < 5;)
            ours.push((t = nextTick(expression, timeZone, new Date(t))?.getTime() ?? Number.NaN));
          expect(ours, `${timeZone} from ${instant}`).toEqual(theirs);
        } finally {
          void task.destroy();
        }
      }
    }
  });
});
