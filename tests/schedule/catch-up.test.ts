import { describe, expect, it } from "vitest";
import type { Job } from "../../src/schedule/index.js";
import type { JobRunStore } from "../../src/store/index.js";
import { settle } from "../support/fake-clock.js";
import { SCHEDULE_START as START, useScheduleBed } from "./schedule-bed.js";

const HOUR = 3_600_000;

describe("catch-up at start", () => {
  const bed = useScheduleBed();

  // Crons whose real ticks (node-cron's timers stay real) cannot come during a test.
  const job = (name: string, cron: string, runs: number[]): Job => ({
    name,
    cron,
    runAtStart: false,
    catchUp: true,
    run: async () => void runs.push(bed.clock.now()),
  });

  it("runs once a job whose tick was due while stopped, at start, and not a job whose tick was not", async () => {
    const daily: number[] = [];
    const yearly: number[] = [];
    await bed.store.jobs.recordRun("daily", new Date(bed.clock.now() - 26 * HOUR)); // today's 08:00 tick was missed
    await bed.store.jobs.recordRun("yearly", new Date(bed.clock.now() - 26 * HOUR)); // next tick: 1 January
    const schedule = bed.start([job("daily", "0 8 * * *", daily), job("yearly", "0 0 1 1 *", yearly)]);
    await bed.clock.runUntil(() => daily.length === 1);
    await settle();
    expect(daily).toEqual([Date.parse(START)]);
    expect(yearly).toEqual([]);
    expect(bed.lines("catching up a run missed while stopped")).toEqual([
      expect.objectContaining({ job: "daily", missedTick: "2026-11-30T08:00:00.000Z" }),
    ]);
    await schedule.stop();
    expect(daily).toHaveLength(1);
    expect(await bed.store.jobs.lastRun("daily")).toEqual(new Date(START)); // the run's start, on the clock
  });

  it("catches up a tick that fell more than a day before the start", async () => {
    const yearly: number[] = [];
    await bed.store.jobs.recordRun("yearly", new Date("2025-11-30T12:00:00Z")); // missed 1 January 2026
    const schedule = bed.start([job("yearly", "0 0 1 1 *", yearly)]);
    await bed.clock.runUntil(() => yearly.length === 1);
    await schedule.stop();
    expect(yearly).toEqual([Date.parse(START)]);
  });

  it("logs a store that fails while checking, retries on the clock, and still runs the missed job once", async () => {
    const daily: number[] = [];
    await bed.store.jobs.recordRun("daily", new Date(bed.clock.now() - 26 * HOUR));
    let reads = 0;
    const flaky: JobRunStore = {
      lastRun: async (name) => {
        if (++reads <= 2) throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
        return bed.store.jobs.lastRun(name);
      },
      recordRun: (name, at) => bed.store.jobs.recordRun(name, at),
    };
    const schedule = bed.start([job("daily", "0 8 * * *", daily)], flaky);
    await bed.clock.runUntil(() => daily.length === 1);
    await schedule.stop();
    expect(reads).toBe(3);
    const retries = bed.lines("could not read the job's last run for catch-up; retrying");
    expect(retries.map(({ level, job, attempt, retryInMs }) => ({ level, job, attempt, retryInMs }))).toEqual([
      { level: 40, job: "daily", attempt: 1, retryInMs: 1_000 },
      { level: 40, job: "daily", attempt: 2, retryInMs: 2_000 },
    ]);
    expect(retries[0]?.err).toMatchObject({ code: "SQLITE_BUSY", message: "database is locked" });
    expect(daily).toEqual([Date.parse(START) + 3_000]); // after waiting 1 s and 2 s on the clock
  });

  it("stops retrying when the schedule stops, without running the job", async () => {
    const daily: number[] = [];
    let reads = 0;
    const broken: JobRunStore = {
      lastRun: async () => {
        reads++;
        throw new Error("The database connection is not open");
      },
      recordRun: (name, at) => bed.store.jobs.recordRun(name, at),
    };
    const schedule = bed.start([job("daily", "0 8 * * *", daily)], broken);
    await settle();
    expect(bed.clock.pending).toBe(1); // waiting to retry
    await schedule.stop();
    await bed.clock.advance(HOUR);
    expect([reads, daily.length, bed.clock.pending]).toEqual([1, 0, 0]);
  });
});
