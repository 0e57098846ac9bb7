import { describe, expect, it } from "vitest";
import { useScheduleBed } from "./schedule-bed.js";

describe("startSchedule", () => {
  const bed = useScheduleBed();

  it("runs a job at start and on its cron, never twice at once: a tick while it runs joins the run in progress", async () => {
    let runs = 0;
    let finishFirst: () => void = () => undefined;
    bed.start([
      {
        name: "every-second",
        cron: "* * * * * *", // node-cron's timers are real: its next tick comes within a second
        runAtStart: true,
        run: async () => {
          if (++runs === 1) await new Promise<void>((resolve) => (finishFirst = resolve));
        },
      },
    ]);
    await expect.poll(() => bed.lines("job still running: not started again").length > 0, { timeout: 5_000 }).toBe(true);
    expect(runs).toBe(1);
    finishFirst();
    await expect.poll(() => runs, { timeout: 5_000 }).toBeGreaterThan(1);
  });

  it("records a run at its start, on the clock", async () => {
    const startedAt = bed.clock.now();
    bed.start([{ name: "slow", cron: "0 0 1 1 *", runAtStart: true, run: () => bed.clock.sleep(90_000) }]);
    await bed.clock.advance(90_000);
    await expect.poll(() => bed.store.jobs.lastRun("slow")).toEqual(new Date(startedAt));
  });

  it("runs a named job now on runJob, resolving when it has finished; a second call joins the run; an unknown name is refused", async () => {
    let runs = 0;
    let finish: () => void = () => undefined;
    const schedule = bed.start([
      { name: "idle", cron: "0 0 1 1 *", runAtStart: false, run: async () => undefined },
      {
        name: "publish",
        cron: "0 0 1 1 *",
        runAtStart: false,
        run: async () => {
          runs++;
          await new Promise<void>((resolve) => (finish = resolve));
        },
      },
    ]);
    let done = false;
    const first = schedule.runJob("publish").then(() => (done = true));
    const second = schedule.runJob("publish");
    await expect.poll(() => runs).toBe(1);
    expect(done).toBe(false);
    finish();
    await Promise.all([first, second]);
    expect(runs).toBe(1);
    await expect.poll(() => bed.store.jobs.lastRun("publish")).toEqual(new Date(bed.clock.now()));
    await expect(schedule.runJob("publsh")).rejects.toThrow('No job named "publsh": the jobs are idle, publish.');
  });
});
