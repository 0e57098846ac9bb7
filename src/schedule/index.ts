import { backoffMs } from "../backoff.js";
import cron, { type ScheduledTask } from "node-cron";
import type { Clock } from "../clock.js";
import type { Config } from "../config/index.js";
import type { Logger } from "../logger.js";
import type { JobRunStore } from "../store/index.js";
import { nextTick } from "./next-tick.js";

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

export interface ScheduleDeps {
  settings: Pick<Config["schedule"], "timeZone">;
  runs: JobRunStore;
  logger: Logger;
  /** Timestamps runs, tells "now" for catch-up, and times its retries. node-cron's own timers stay real. */
  clock: Clock;
}

export interface Schedule {
  /** Runs the named job now (joining its run if one is going) and resolves when it has finished. */
  runJob(name: string): Promise<void>;
  /** Stops the timers and catch-up retries, and waits for running jobs to finish. */
  stop(): Promise<void>;
}

/** A store that fails while checking for a missed run is asked again after 1, 2, 4 … seconds, at most a minute. */
const CATCH_UP_RETRY = { firstMs: 1_000, maxMs: 60_000 };

/**
 * Starts the cron jobs in the configured time zone. A job runs once at a time, whether its tick, the start or a
 * catch-up launched it: a launch while it runs joins that run, so a slow poll cannot pile up.
 */
export function startSchedule(jobs: readonly Job[], { settings, runs, logger, clock }: ScheduleDeps): Schedule {
  const startedAt = clock.now();
  const stopping = new AbortController();
  const running = new Map<string, Promise<unknown>>();
  const launch = (job: Job): Promise<unknown> => {
    const current = running.get(job.name);
    if (current) {
      logger.info({ job: job.name }, "job still running: not started again");
      return current;
    }
    const runStartedAt = new Date(clock.now());
    const run = job
      .run()
      .then(() => runs.recordRun(job.name, runStartedAt))
      .catch((error: unknown) => logger.error({ err: error, job: job.name }, "scheduled job failed"))
      .finally(() => running.delete(job.name));
    running.set(job.name, run);
    return run;
  };

  /** The job's last run, asking again while the store fails; undefined for a job that never ran or when stopping. */
  const lastRunOf = async (job: Job): Promise<Date | undefined> => {
    for (let attempt = 1; !stopping.signal.aborted; attempt++) {
      try {
        return await runs.lastRun(job.name);
      } catch (error) {
        const retryInMs = backoffMs(attempt, CATCH_UP_RETRY);
        logger.warn({ err: error, job: job.name, attempt, retryInMs }, "could not read the job's last run for catch-up; retrying");
        await clock.sleep(retryInMs, stopping.signal);
      }
    }
    return undefined;
  };

  /** Runs the job once if one of its ticks fell between its last run and the start (later ticks are node-cron's). */
  const catchUp = async (job: Job): Promise<void> => {
    const last = await lastRunOf(job);
    const due = last && nextTick(job.cron, settings.timeZone, last);
    if (!last || !due || due.getTime() > startedAt || stopping.signal.aborted) return;
    logger.info({ job: job.name, lastRun: last.toISOString(), missedTick: due.toISOString() }, "catching up a run missed while stopped");
    void launch(job);
  };

  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(job.cron, () => launch(job), { name: job.name, timezone: settings.timeZone }),
  );
  const catchUps: Promise<void>[] = [];
  for (const job of jobs) {
    if (job.runAtStart) {
      void launch(job);
    } else if (job.catchUp) {
      catchUps.push(catchUp(job).catch((error: unknown) => logger.error({ err: error, job: job.name }, "catch-up failed")));
    }
  }
  logger.info(
    { jobs: jobs.map(({ name, cron: expression }) => ({ name, cron: expression })), timeZone: settings.timeZone },
    "schedule started",
  );
  return {
    async runJob(name) {
      const job = jobs.find((candidate) => candidate.name === name);
      if (!job) throw new Error(`No job named "${name}": the jobs are ${jobs.map((j) => j.name).join(", ")}.`);
      await launch(job);
    },
    async stop() {
      stopping.abort();
      await Promise.all(tasks.map(async (task) => task.destroy()));
      await Promise.all(catchUps);
      await Promise.allSettled([...running.values()]);
    },
  };
}
