import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSchedule, type Job, type Schedule } from "../../src/schedule/index.js";
import { captureLogger } from "../support/capture-logger.js";
import { FakeClock } from "../support/fake-clock.js";
import { makeTempStore } from "../support/temp-store.js";

describe("startSchedule", () => {
  let temp: ReturnType<typeof makeTempStore>;
  let clock: FakeClock;
  let logs: ReturnType<typeof captureLogger>;
  let schedule: Schedule | undefined;
  beforeEach(() => {
    temp = makeTempStore();
    clock = new FakeClock("2026-11-30T12:00:00Z");
    logs = captureLogger();
    schedule = undefined;
  });
  afterEach(async () => {
    await schedule?.stop();
    await temp.dispose();
  });

  const start = (jobs: Job[]) =>
    (schedule = startSchedule(jobs, { settings: { timeZone: "UTC" }, runs: temp.store.jobs, logger: logs.logger, clock }));

  it("runs a job at start and on its cron, never twice at once: a tick while it runs joins the run in progress", async () => {
    let runs = 0;
    let finishFirst: () => void = () => undefined;
    start([
      {
        name: "every-second",
        cron: "* * * * * *", // node-cron's timers are real: its next tick comes within a second
        runAtStart: true,
        run: async () => {
          if (++runs === 1) await new Promise<void>((resolve) => (finishFirst = resolve));
        },
      },
    ]);
    await expect.poll(() => logs.lines.some((line) => line.msg === "job still running: not started again"), { timeout: 5_000 }).toBe(true);
    expect(runs).toBe(1);
    finishFirst();
    await expect.poll(() => runs, { timeout: 5_000 }).toBeGreaterThan(1);
  });

  it("records a run at its start, on the clock", async () => {
    const startedAt = clock.now();
    start([{ name: "slow", cron: "0 0 1 1 *", runAtStart: true, run: () => clock.sleep(90_000) }]);
    await clock.advance(90_000);
    await expect.poll(() => temp.store.jobs.lastRun("slow")).toEqual(new Date(startedAt));
  });
});
