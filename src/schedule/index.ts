import cron, { type ScheduledTask } from "node-cron";
import type { Config } from "../config/index.js";
import type { Logger } from "../logger.js";

export interface Job {
  name: string;
  cron: string;
  /** Never throws into the scheduler: jobs log their own failures. */
  run: () => Promise<unknown>;
  /** Run once right away at start, as well as on schedule. */
  runAtStart: boolean;
}

export interface Schedule {
  /** Stops the timers and waits for running jobs to finish. */
  stop(): Promise<void>;
}

/**
 * Starts the cron jobs in the configured time zone. A job still running when its next tick comes
 * is not started twice (noOverlap), so a slow poll cannot pile up.
 */
export function startSchedule(jobs: readonly Job[], settings: Pick<Config["schedule"], "timeZone">, logger: Logger): Schedule {
  const running = new Set<Promise<unknown>>();
  const launch = (job: Job) => {
    const run = job.run().catch((error: unknown) => logger.error({ err: error, job: job.name }, "scheduled job failed"));
    running.add(run);
    void run.finally(() => running.delete(run));
    return run;
  };
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(job.cron, () => launch(job), { name: job.name, timezone: settings.timeZone, noOverlap: true }),
  );
  for (const job of jobs) if (job.runAtStart) void launch(job);
  logger.info({ jobs: jobs.map(({ name, cron: expression }) => ({ name, cron: expression })), timeZone: settings.timeZone }, "schedule started");
  return {
    async stop() {
      await Promise.all(tasks.map((task) => task.destroy()));
      await Promise.allSettled([...running]);
    },
  };
}
