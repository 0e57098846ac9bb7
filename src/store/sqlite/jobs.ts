import type Database from "better-sqlite3";
import type { JobRunStore } from "../types.js";

export function sqliteJobs(db: Database.Database): JobRunStore {
  const get = db.prepare<[string], { last_run_at: number }>("SELECT last_run_at FROM job_runs WHERE name = ?");
  const set = db.prepare<[string, number]>(
    "INSERT INTO job_runs (name, last_run_at) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET last_run_at = excluded.last_run_at",
  );
  return {
    async lastRun(name) {
      const row = get.get(name);
      return row ? new Date(row.last_run_at) : undefined;
    },
    async recordRun(name, at) {
      set.run(name, at.getTime());
    },
  };
}
