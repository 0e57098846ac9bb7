import cron, { type ScheduledTask } from "node-cron";
import type { Config } from "../config/index.js";
import type { Logger } from "../logger.js";
import type { JobRunStore } from "../store/index.js";

export interface Job {
  name: string;
  cron: string;
  /** Never throws into the scheduler: jobs log their own failures. */
  run: () => Promise<unknown>;
  /** Run once right away at start, as well as on schedule. */
  runAtStart: boolean;
  /** If a run was due while the bot was down, run once at start (not once per missed tick). */
  catchUp?: boolean;
}

export interface Schedule {
  /** Stops the timers and waits for running jobs to finish. */
  stop(): Promise<void>;
}

/**
 * Starts the cron jobs in the configured time zone. A job still running when its next tick comes
 * is not started twice (noOverlap), so a slow poll cannot pile up.
 */
export function startSchedule(
  jobs: readonly Job[],
  settings: Pick<Config["schedule"], "timeZone">,
  runs: JobRunStore,
  logger: Logger,
): Schedule {
  // One run per job at a time, whether the cron, the start or a catch-up started it.
  const running = new Map<string, Promise<unknown>>();
  const launch = (job: Job) => {
    const current = running.get(job.name);
    if (current) return current;
    const startedAt = new Date();
    const run = job
      .run()
      .then(() => runs.recordRun(job.name, startedAt))
      .catch((error: unknown) => logger.error({ err: error, job: job.name }, "scheduled job failed"))
      .finally(() => running.delete(job.name));
    running.set(job.name, run);
    return run;
  };
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(job.cron, () => launch(job), { name: job.name, timezone: settings.timeZone, noOverlap: true }),
  );
  jobs.forEach((job, index) => {
    if (job.runAtStart) return void launch(job);
    if (!job.catchUp) return;
    void runs.lastRun(job.name).then((last) => {
      const task = tasks[index];
      if (last && task && missedTick(task, last, new Date())) {
        logger.info({ job: job.name, lastRun: last }, "catching up a run missed while stopped");
        void launch(job);
      }
    });
  });
  logger.info(
    { jobs: jobs.map(({ name, cron: expression }) => ({ name, cron: expression })), timeZone: settings.timeZone },
    "schedule started",
  );
  return {
    async stop() {
      await Promise.all(tasks.map(async (task) => task.destroy()));
      await Promise.allSettled([...running.values()]);
    },
  };
}

/** Looking further back than this for a missed tick is not worth it: one catch-up run covers it all. */
const CATCH_UP_HORIZON_MS = 24 * 3_600_000;

/** Whether the cron expression had a tick after `last` and before `now` (checked per second, bounded). */
export function missedTick(task: Pick<ScheduledTask, "match">, last: Date, now: Date): boolean {
  const from = Math.max(last.getTime() + 1000, now.getTime() - CATCH_UP_HORIZON_MS);
  for (let t = Math.ceil(from / 1000) * 1000; t < now.getTime() - 1000; t += 1000) {
    if (task.match(new Date(t))) return true;
  }
  return false;
}
