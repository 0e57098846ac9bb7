import type Database from "better-sqlite3";
import type { Clock } from "../../clock.js";
import { SchemaTooNewError } from "../errors.js";
import type { Migration } from "./migrations/index.js";

/**
 * Applies the migrations the database has not seen yet. Running it again changes nothing.
 * Refuses a database whose version is newer than the newest migration we know.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], clock: Clock): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const known = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const current = currentVersion(db);
  if (current > known) throw new SchemaTooNewError(current, known);

  const record = db.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)");
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, clock.now());
    })();
  }
  return currentVersion(db);
}

export function currentVersion(db: Database.Database): number {
  const row = db.prepare("SELECT MAX(version) AS version FROM schema_version").get() as { version: number | null };
  return row.version ?? 0;
}
