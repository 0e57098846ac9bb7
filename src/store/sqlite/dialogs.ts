import type Database from "better-sqlite3";
import type { Clock } from "../../clock.js";
import type { DialogStore } from "../types.js";

export function sqliteDialogs(db: Database.Database, clock: Clock): DialogStore {
  const read = db.prepare<[string], { state: string }>("SELECT state FROM dialogs WHERE key = ?");
  const write = db.prepare<[string, string, number]>(
    "INSERT INTO dialogs (key, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
  );
  const remove = db.prepare<[string]>("DELETE FROM dialogs WHERE key = ?");
  return {
    async read(key) {
      return read.get(key)?.state;
    },
    async write(key, state) {
      write.run(key, state, clock.now());
    },
    async delete(key) {
      remove.run(key);
    },
  };
}
