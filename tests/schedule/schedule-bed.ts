import { afterEach, beforeEach } from "vitest";
import { startSchedule, type Job, type Schedule } from "../../src/schedule/index.js";
import type { JobRunStore, Store } from "../../src/store/index.js";
import { captureLogger } from "../support/capture-logger.js";
import { FakeClock } from "../support/fake-clock.js";
import { makeTempStore } from "../support/temp-store.js";

/** Where each test's clock starts. */
export const SCHEDULE_START = "2026-11-30T12:00:00Z";

export interface ScheduleBed {
  readonly clock: FakeClock;
  /** A real SQLite store in a temp directory; its job runs are the schedule's unless a test passes its own. */
  readonly store: Store;
  /** The log lines with this message, parsed. */
  lines(msg: string): Record<string, unknown>[];
  /** Starts the jobs in UTC on the test's clock; the schedule is stopped after the test. */
  start(jobs: Job[], runs?: JobRunStore): Schedule;
}

interface Bed {
  temp: ReturnType<typeof makeTempStore>;
  clock: FakeClock;
  logs: ReturnType<typeof captureLogger>;
  schedule?: Schedule;
}

/** Call in a describe: each test gets a fresh store, clock and log, and what it started is stopped and removed after it. */
export function useScheduleBed(): ScheduleBed {
  let bed: Bed | undefined;
  const current = (): Bed => {
    if (!bed) throw new Error("useScheduleBed: use the bed inside a test, not while the file loads");
    return bed;
  };
  beforeEach(() => {
    bed = { temp: makeTempStore(), clock: new FakeClock(SCHEDULE_START), logs: captureLogger() };
  });
  afterEach(async () => {
    const { temp, schedule } = current();
    bed = undefined;
    await schedule?.stop();
    await temp.dispose();
  });
  return {
    get clock() {
      return current().clock;
    },
    get store() {
      return current().temp.store;
    },
    lines: (msg) => current().logs.lines.filter((line) => line.msg === msg),
    start(jobs, runs) {
      const b = current();
      const deps = { settings: { timeZone: "UTC" }, runs: runs ?? b.temp.store.jobs, logger: b.logs.logger, clock: b.clock };
      return (b.schedule = startSchedule(jobs, deps));
    },
  };
}
