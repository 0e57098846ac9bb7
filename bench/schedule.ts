/**
 * npm run bench:schedule [-- --zone UTC --old-rounds 5 --new-rounds 20]
 *
 * The catch-up check at start for a daily job ("0 8 * * *") after a day down: its last run was yesterday's
 * 08:00 tick and the bot starts today at 09:00, so one tick was missed. In the same run:
 * - old: the removed code path, reproduced below: the store's lastRun, then a walk over every second since
 *   then (at most 24 hours), asking node-cron whether each one matches;
 * - new: the real startSchedule on a SQLite store, from the call until the missed run is launched.
 * Both are reported as event-loop time (performance.eventLoopUtilization's active time), medians.
 * Goal (issue 8): under 50 ms. Writes bench/results/schedule.md.
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import cron, { type ScheduledTask } from "node-cron";
import { systemClock, type Clock } from "../src/clock.js";
import { createLogger } from "../src/logger.js";
import { startSchedule } from "../src/schedule/index.js";
import type { JobRunStore } from "../src/store/index.js";
import { makeTempStore } from "../tests/support/temp-store.js";
import { median, writeResults } from "./support/measure.js";

const GOAL_MS = 50;
const CRON = "0 8 * * *";
const LAST_RUN = new Date("2026-11-29T08:00:00Z");
const START = new Date("2026-11-30T09:00:00Z");

const { values: args } = parseArgs({
  options: {
    zone: { type: "string", default: "UTC" },
    "old-rounds": { type: "string", default: "5" },
    "new-rounds": { type: "string", default: "20" },
  },
});
const ZONE = args.zone;
const OLD_ROUNDS = Number(args["old-rounds"]);
const NEW_ROUNDS = Number(args["new-rounds"]);

/** Event-loop time taken by `run`, in ms: time the loop spent working, not waiting. */
async function loopMs(run: () => Promise<unknown>): Promise<number> {
  const before = performance.eventLoopUtilization();
  await run();
  return performance.eventLoopUtilization(before).active;
}

// The old check, as it was in src/schedule/index.ts before issue 8.
const CATCH_UP_HORIZON_MS = 24 * 3_600_000;
function oldMissedTick(task: Pick<ScheduledTask, "match">, last: Date, now: Date): boolean {
  const from = Math.max(last.getTime() + 1000, now.getTime() - CATCH_UP_HORIZON_MS);
  for (let t = Math.ceil(from / 1000) * 1000; t < now.getTime() - 1000; t += 1000) {
    if (task.match(new Date(t))) return true;
  }
  return false;
}

async function oldCatchUp(runs: JobRunStore): Promise<boolean> {
  const task = cron.createTask(CRON, () => undefined, { timezone: ZONE });
  try {
    const last = await runs.lastRun("publish");
    return last !== undefined && oldMissedTick(task, last, START);
  } finally {
    await task.destroy();
  }
}

/** startSchedule with one catch-up job, until that job is launched; then the schedule is stopped. */
async function newCatchUp(runs: JobRunStore): Promise<boolean> {
  const clock: Clock = { now: () => START.getTime(), sleep: (ms, signal) => systemClock.sleep(ms, signal) };
  let launched: () => void = () => undefined;
  const ran = new Promise<void>((resolve) => (launched = resolve));
  const schedule = startSchedule([{ name: "publish", cron: CRON, runAtStart: false, catchUp: true, run: async () => launched() }], {
    settings: { timeZone: ZONE },
    runs,
    logger: createLogger({ level: "silent", secrets: [] }),
    clock,
  });
  await ran;
  await schedule.stop();
  return true;
}

async function main() {
  const temp = makeTempStore();
  try {
    // Neither way records a run here (the clock is fixed), so each round starts from the same last run.
    const runs: JobRunStore = { lastRun: (name) => temp.store.jobs.lastRun(name), recordRun: async () => undefined };
    await temp.store.jobs.recordRun("publish", LAST_RUN);
    if (!(await oldCatchUp(runs)) || !(await newCatchUp(runs))) throw new Error("both ways must find the missed tick");

    const old: number[] = [];
    for (let i = 0; i < OLD_ROUNDS; i++) old.push(await loopMs(() => oldCatchUp(runs)));
    const fresh: number[] = [];
    for (let i = 0; i < NEW_ROUNDS; i++) fresh.push(await loopMs(() => newCatchUp(runs)));

    const oldMs = median(old);
    const newMs = median(fresh);
    const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));
    const rows: [string, string][] = [
      ["Job", `\`${CRON}\` in ${ZONE}, last run ${LAST_RUN.toISOString()}, start ${START.toISOString()} (one tick missed)`],
      ["Old: lastRun + per-second walk (median of " + OLD_ROUNDS + ")", `${fmt(oldMs)} ms of loop time`],
      ["New: startSchedule's catch-up, to the launch (median of " + NEW_ROUNDS + ")", `**${fmt(newMs)} ms** of loop time`],
      ["Ratio old / new", `${Math.round(oldMs / newMs).toLocaleString("en")}×`],
      [`Goal new < ${GOAL_MS} ms`, newMs < GOAL_MS ? "met" : "**not met**"],
    ];
    writeResults(
      "schedule",
      "Schedule benchmark",
      `npm run bench:schedule -- --zone ${ZONE} --old-rounds ${OLD_ROUNDS} --new-rounds ${NEW_ROUNDS}`,
      rows,
    );
  } finally {
    await temp.dispose();
  }
}

await main();
