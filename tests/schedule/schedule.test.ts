import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSchedule, type Schedule } from "../../src/schedule/index.js";
import { captureLogger } from "../support/capture-logger.js";
import { makeTempStore } from "../support/temp-store.js";

const HOUR = 3_600_000;

describe("startSchedule", () => {
  let temp: ReturnType<typeof makeTempStore>;
  let schedule: Schedule | undefined;
  beforeEach(() => (temp = makeTempStore()));
  afterEach(async () => {
    await schedule?.stop();
    await temp.dispose();
  });

  const job = (name: string, cron: string, options: { runAtStart?: boolean; catchUp?: boolean }, runs: number[]) => ({
    name,
    cron,
    runAtStart: options.runAtStart ?? false,
    catchUp: options.catchUp ?? false,
    run: async () => void runs.push(Date.now()),
  });

  it("catches up once a run that was due while stopped, and records each run", async () => {
    const missed: number[] = [];
    const onTime: number[] = [];
    await temp.store.jobs.recordRun("hourly", new Date(Date.now() - 2 * HOUR)); // an hourly tick was missed
    await temp.store.jobs.recordRun("yearly", new Date(Date.now() - 2 * HOUR)); // nothing was due since
    schedule = startSchedule(
      [job("hourly", "0 * * * *", { catchUp: true }, missed), job("yearly", "0 0 1 1 *", { catchUp: true }, onTime)],
      { timeZone: "UTC" },
      temp.store.jobs,
      captureLogger().logger,
    );
    await expect.poll(() => missed.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(missed).toHaveLength(1);
    expect(onTime).toHaveLength(0);
    await expect.poll(async () => (await temp.store.jobs.lastRun("hourly"))!.getTime()).toBeGreaterThan(Date.now() - 5_000);
  });

  it("runs a job at start when asked, and on its cron, never twice at once", async () => {
    const runs: number[] = [];
    let running = 0;
    let overlapped = false;
    schedule = startSchedule(
      [
        {
          name: "every-second",
          cron: "* * * * * *",
          runAtStart: true,
          run: async () => {
            running++;
            overlapped ||= running > 1;
            runs.push(Date.now());
            await new Promise((resolve) => setTimeout(resolve, 1_500)); // longer than the interval
            running--;
          },
        },
      ],
      { timeZone: "UTC" },
      temp.store.jobs,
      captureLogger().logger,
    );
    await expect.poll(() => runs.length, { timeout: 6_000 }).toBeGreaterThanOrEqual(2);
    expect(overlapped).toBe(false);
  });
});
