import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";

/** What a backup wrote: the file, its size, and what it holds. */
export interface BackupReport {
  file: string;
  bytes: number;
  schemaVersion: number;
  rows: { articles: number; chats: number; follows: number; feeds: number };
}

/** A backup that cannot be made; the message says what to do instead. */
export class BackupError extends Error {
  override name = "BackupError";
}

/**
 * Every page in one step. In WAL mode that step reads one snapshot while the bot goes on writing; in small steps
 * (better-sqlite3's default is 100 pages), a write between two steps would restart the copy, forever on a busy bot.
 */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the SQLite database at `source` to `target` with SQLite's online backup, safe while the bot runs. The copy
 * is written beside `target` and renamed into place once it passed `PRAGMA integrity_check`, so `target` is never
 * a half-written file. It is one self-contained file (journal_mode DELETE): it can be moved or copied on its own.
 */
export async function backupSqlite(source: string, target: string, { overwrite }: { overwrite: boolean }): Promise<BackupReport> {
  if (!existsSync(source))
    throw new BackupError(`There is no database at ${source}. Check DATABASE_URL: it must name the bot's database file.`);
  if (isSameFile(source, target)) throw new BackupError(`${target} is the database itself. Name another file for the backup.`);
  if (existsSync(target) && !overwrite) throw new BackupError(`${target} exists already. Name a new file, or add --force to replace it.`);

  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  mkdirSync(dirname(target), { recursive: true });
  try {
    await copyOnline(source, partial);
    const report = checkCopy(partial);
    // A stale -wal beside the old file would be replayed into the new one the next time it is opened.
    for (const suffix of ["-wal", "-shm"]) rmSync(`${target}${suffix}`, { force: true });
    renameSync(partial, target);
    return { file: resolve(target), bytes: statSync(target).size, ...report };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/**
 * By device and inode, not by path: a symlink to the database, a path through a symlinked folder or a hard link names
 * the database too, and --force would then delete its -wal and replace it.
 */
function isSameFile(source: string, target: string): boolean {
  const targetStat = statSync(target, { throwIfNoEntry: false });
  if (targetStat === undefined) return false;
  const sourceStat = statSync(source);
  return targetStat.dev === sourceStat.dev && targetStat.ino === sourceStat.ino;
}

async function copyOnline(source: string, partial: string): Promise<void> {
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const isNewsdesk = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
    if (isNewsdesk === undefined) throw new BackupError(`${source} is not a Newsdesk database. Check DATABASE_URL.`);
    await db.backup(partial, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
}

function checkCopy(file: string): Omit<BackupReport, "file" | "bytes"> {
  const db = new Database(file, { fileMustExist: true });
  try {
    const problems = db.pragma("integrity_check", { simple: false }) as { integrity_check: string }[];
    const verdict = problems.map((row) => row.integrity_check).join("; ");
    if (verdict !== "ok")
      throw new BackupError(`The copy failed its integrity check (${verdict}). Check the database with sqlite3 and try again.`);
    db.pragma("journal_mode = DELETE");
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    const version = db.prepare("SELECT MAX(version) AS version FROM schema_version").get() as { version: number | null };
    return {
      schemaVersion: version.version ?? 0,
      rows: { articles: count("articles"), chats: count("chats"), follows: count("subscriptions"), feeds: count("feeds") },
    };
  } finally {
    db.close();
  }
}
