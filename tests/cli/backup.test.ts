import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { backupStore, openStore, type Store } from "../../src/store/index.js";
import { addArticle } from "../support/outbox-fixtures.js";
import { makeTempDir } from "../support/temp-dir.js";

const CLI = fileURLToPath(new URL("../../src/cli/backup.ts", import.meta.url));
const TSX_LOADER = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;

/** `npm run backup` as a real process, asynchronous so that this process can go on writing meanwhile. */
function runBackup(cwd: string, database: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", TSX_LOADER, CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", DATABASE_URL: `file:${database}` },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

function articleIds(file: string): number[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT id FROM articles ORDER BY id").all() as { id: number }[]).map((row) => row.id);
  } finally {
    db.close();
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("npm run backup", () => {
  let dir: ReturnType<typeof makeTempDir>;
  let database: string;
  let store: Store;
  beforeEach(() => {
    dir = makeTempDir();
    database = join(dir.path, "data", "news.db");
    store = openStore({ kind: "sqlite", path: database }, systemClock);
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it("copies the database while a store keeps writing to it: the copy passes integrity_check and has the rows", async () => {
    const before: number[] = [];
    for (let n = 0; n < 300; n++) before.push(await addArticle(store, n));
    // The bot's part: one article after another on the open store, for as long as the backup runs.
    let writing = true;
    const written: number[] = [];
    const writer = (async () => {
      while (writing) {
        written.push(await addArticle(store, 1000 + written.length));
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();

    const result = await runBackup(dir.path, database, ["backups/news-copy.db"]);
    const writtenWhileRunning = written.length;
    writing = false;
    await writer;

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(writtenWhileRunning).toBeGreaterThan(0);
    const copy = join(dir.path, "backups", "news-copy.db");
    const db = new Database(copy, { readonly: true });
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    // One file on its own: nothing of it lives in a -wal beside it.
    expect(db.pragma("journal_mode", { simple: true })).toBe("delete");
    db.close();
    const ids = articleIds(copy);
    expect(ids.slice(0, before.length)).toEqual(before);
    // A snapshot of one moment: every row up to some write of the store's, and none after it.
    expect(ids.slice(before.length)).toEqual(written.slice(0, ids.length - before.length));
    const version = await store.schemaVersion();
    expect(result.stdout).toMatch(
      new RegExp(
        `^Backed up ${escape(database)} to ${escape(copy)}: [\\d.]+ (KB|MB), schema version ${version}, integrity ok; ` +
          `${ids.length} articles, 0 chats, 0 follows, 0 feeds\\.\\n$`,
      ),
    );
    // The copy is a database the bot can run on: DATABASE_URL=file:<copy>.
    const restored = openStore({ kind: "sqlite", path: copy }, systemClock);
    expect(await restored.schemaVersion()).toBe(version);
    expect((await restored.articles.get(before[0]!))?.headline).toBe("Harbour reopens, part 0");
    await restored.close();
    // The store goes on as before.
    expect(await addArticle(store, 9999)).toBeGreaterThan(written.at(-1) ?? 0);
  });

  it("ends while the store writes between its steps, with every row up to one moment", async () => {
    // Over 100 pages: better-sqlite3's default step. SQLite restarts an online backup whenever another connection
    // writes between two steps, and here the store writes between every two turns of the event loop.
    for (let n = 0; n < 3000; n++) await addArticle(store, n);
    let writing = true;
    const written: number[] = [];
    const writer = (async () => {
      while (writing) {
        written.push(await addArticle(store, 5000 + written.length));
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const target = join(dir.path, "copy.db");
    const report = await backupStore({ kind: "sqlite", path: database }, target, { overwrite: false });
    writing = false;
    await writer;

    const ids = articleIds(target);
    expect(report.rows.articles).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(3000);
    expect(ids.slice(3000)).toEqual(written.slice(0, ids.length - 3000));
    // The writer's first article went in before the call; the others while the backup was on its way.
    expect(written.length).toBeGreaterThan(1);
  });

  it("keeps an existing file unless --force says to replace it", async () => {
    const ids = [await addArticle(store, 1), await addArticle(store, 2)];
    const target = join(dir.path, "news-copy.db");
    writeFileSync(target, "yesterday's backup");
    // A -wal left beside the old file would be replayed into the new one when it is opened.
    writeFileSync(`${target}-wal`, "stale");

    const refused = await runBackup(dir.path, database, [target]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`Backup not made: ${target} exists already. Name a new file, or add --force to replace it.\n`);
    expect(readFileSync(target, "utf8")).toBe("yesterday's backup");

    const forced = await runBackup(dir.path, database, [target, "--force"]);
    expect(forced.code).toBe(0);
    expect(existsSync(`${target}-wal`)).toBe(false);
    expect(articleIds(target)).toEqual(ids);
  });

  it("says how to call it, and refuses a database that is not there or a FILE that is the database", async () => {
    const usage = await runBackup(dir.path, database, []);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^Usage: npm run backup -- FILE \[--force\]/);

    const missing = join(dir.path, "nowhere.db");
    const none = await runBackup(dir.path, missing, ["copy.db"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      `Backup not made: There is no database at ${missing}. Check DATABASE_URL: it must name the bot's database file.\n`,
    );
    expect(existsSync(missing)).toBe(false);

    const itself = await runBackup(dir.path, database, [database, "--force"]);
    expect(itself.code).toBe(1);
    expect(itself.stderr).toBe(`Backup not made: ${database} is the database itself. Name another file for the backup.\n`);
    expect(await store.schemaVersion()).toBeGreaterThan(0);
  });

  it("refuses a FILE that is the database by another path (a symlink to it, a path through a symlinked folder), even with --force", async () => {
    await addArticle(store, 1);
    const link = join(dir.path, "news-link.db");
    symlinkSync(database, link);
    const folder = join(dir.path, "elsewhere");
    mkdirSync(folder);
    symlinkSync(join(dir.path, "data"), join(folder, "data"));
    const throughFolder = join(folder, "data", "news.db");

    for (const target of [link, throughFolder]) {
      const refused = await runBackup(dir.path, database, [target, "--force"]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(`Backup not made: ${target} is the database itself. Name another file for the backup.\n`);
    }
    expect(existsSync(`${database}-wal`)).toBe(true);
    expect(articleIds(database)).toHaveLength(1);
  });
});
