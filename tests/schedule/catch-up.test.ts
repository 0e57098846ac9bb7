import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSchedule, type Job, type Schedule } from "../../src/schedule/index.js";
import type { JobRunStore } from "../../src/store/index.js";
import { captureLogger } from "../support/capture-logger.js";
import { FakeClock, settle } from "../support/fake-clock.js";
import { makeTempStore } from "../support/temp-store.js";

const START = "2026-11-30T12:00:00Z";
const HOUR = 3_600_000;

describe("catch-up at start", () => {
  let temp: ReturnType<typeof makeTempStore>;
  let clock: FakeClock;
  let logs: ReturnType<typeof captureLogger>;
  let schedule: Schedule | undefined;
  beforeEach(() => {
    temp = makeTempStore();
    clock = new FakeClock(START);
    logs = captureLogger();
    schedule = undefined;
  });
  afterEach(async () => {
    await schedule?.stop();
    await temp.dispose();
  });

  // Crons whose real ticks (node-cron's timers stay real) cannot come during a test.
  const job = (name: string, cron: string, runs: number[]): Job => ({
    name,
    cron,
    runAtStart: false,
    catchUp: true,
    run: async () => void runs.push(clock.now()),
  });
  const start = (jobs: Job[], runs: JobRunStore = temp.store.jobs) =>
    (schedule = startSchedule(jobs, { settings: { timeZone: "UTC" }, runs, logger: logs.logger, clock }));
  const lines = (msg: string) => logs.lines.filter((line) => line.msg === msg);

  it("runs once a job whose tick was due while stopped, at start, and not a job whose tick was not", async () => {
    const daily: number[] = [];
    const yearly: number[] = [];
    await temp.store.jobs.recordRun("daily", new Date(clock.now() - 26 * HOUR)); // today's 08:00 tick was missed
    await temp.store.jobs.recordRun("yearly", new Date(clock.now() - 26 * HOUR)); // next tick: 1 January
    start([job("daily", "0 8 * * *", daily), job("yearly", "0 0 1 1 *", yearly)]);
    await clock.runUntil(() => daily.length === 1);
    await settle();
    expect(daily).toEqual([Date.parse(START)]);
    expect(yearly).toEqual([]);
    expect(lines("catching up a run missed while stopped")).toEqual([
      expect.objectContaining({ job: "daily", missedTick: "2026-11-30T08:00:00.000Z" }),
    ]);
    await schedule!.stop();
    expect(daily).toHaveLength(1);
    expect(await temp.store.jobs.lastRun("daily")).toEqual(new Date(START)); // the run's start, on the clock
  });

  it("catches up a tick that fell more than a day before the start", async () => {
    const yearly: number[] = [];
    await temp.store.jobs.recordRun("yearly", new Date("2025-11-30T12:00:00Z")); // missed 1 January 2026
    start([job("yearly", "0 0 1 1 *", yearly)]);
    await clock.runUntil(() => yearly.length === 1);
    await schedule!.stop();
    expect(yearly).toEqual([Date.parse(START)]);
  });

  it("logs a store that fails while checking, retries on the clock, and still runs the missed job once", async () => {
    const daily: number[] = [];
    await temp.store.jobs.recordRun("daily", new Date(clock.now() - 26 * HOUR));
    let reads = 0;
    const flaky: JobRunStore = {
      lastRun: async (name) => {
        if (++reads <= 2) throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
        return temp.store.jobs.lastRun(name);
      },
      recordRun: (name, at) => temp.store.jobs.recordRun(name, at),
    };
    start([job("daily", "0 8 * * *", daily)], flaky);
    await clock.runUntil(() => daily.length === 1);
    await schedule!.stop();
    expect(reads).toBe(3);
    const retries = lines("could not read the job's last run for catch-up; retrying");
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
      recordRun: (name, at) => temp.store.jobs.recordRun(name, at),
    };
    start([job("daily", "0 8 * * *", daily)], broken);
    await settle();
    expect(clock.pending).toBe(1); // waiting to retry
    await schedule!.stop();
    await clock.advance(HOUR);
    expect([reads, daily.length, clock.pending]).toEqual([1, 0, 0]);
  });
});
