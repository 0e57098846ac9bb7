import Database from "better-sqlite3";
import { join } from "node:path";
import { systemClock } from "../../src/clock.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SchemaTooNewError, openStore } from "../../src/store/index.js";
import { migrate } from "../../src/store/sqlite/migrate.js";
import { migrations } from "../../src/store/sqlite/migrations/index.js";
import { makeTempDir } from "../support/temp-dir.js";

const newest = Math.max(...migrations.map((m) => m.version));

describe("migrations", () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => dir.remove());

  it("are numbered 1, 2, 3… without gaps", () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it("build the schema from an empty database, creating its directory, in WAL mode", async () => {
    const path = join(dir.path, "nested", "dir", "news.db");
    const store = openStore({ kind: "sqlite", path }, systemClock);
    expect(await store.schemaVersion()).toBe(newest);
    await store.close();
    const db = new Database(path);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["chats", "schema_version"]));
    db.close();
  });

  it("change nothing when run twice, or on a second open", async () => {
    const path = join(dir.path, "news.db");
    const db = new Database(path);
    expect(migrate(db, migrations, systemClock)).toBe(newest);
    const schema = () => db.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name").all();
    const before = schema();
    const rows = db.prepare("SELECT COUNT(*) AS n FROM schema_version").get();
    expect(migrate(db, migrations, systemClock)).toBe(newest);
    expect(schema()).toEqual(before);
    expect(db.prepare("SELECT COUNT(*) AS n FROM schema_version").get()).toEqual(rows);
    db.close();

    const reopened = openStore({ kind: "sqlite", path }, systemClock);
    expect(await reopened.schemaVersion()).toBe(newest);
    await reopened.close();
  });

  it("keep data across reopening", async () => {
    const path = join(dir.path, "news.db");
    const first = openStore({ kind: "sqlite", path }, systemClock);
    await first.chats.recordStart({ id: 7, kind: "private", title: "Ann" });
    await first.close();
    const second = openStore({ kind: "sqlite", path }, systemClock);
    expect((await second.chats.get(7))?.title).toBe("Ann");
    await second.close();
  });

  it("refuse a database written by a newer version, with a clear message", () => {
    const path = join(dir.path, "news.db");
    const db = new Database(path);
    migrate(db, migrations, systemClock);
    db.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'from the future', 0)").run(newest + 1);
    db.close();
    expect(() => openStore({ kind: "sqlite", path }, systemClock)).toThrow(SchemaTooNewError);
    expect(() => openStore({ kind: "sqlite", path }, systemClock)).toThrow(/upgrade Newsdesk/);
  });

  it("bring a database at version 7 with outbox rows to corrections and retractions, keeping every row", async () => {
    const path = join(dir.path, "news.db");
    const db = new Database(path);
    db.pragma("foreign_keys = ON");
    expect(migrate(db, migrations.slice(0, 7), systemClock)).toBe(7);
    db.prepare(
      `INSERT INTO articles (id, dedup_key, headline, headline_key, summary, body, source, published_at, first_seen_at, released_at)
                VALUES (1, 'k1', 'Storm closes ports', 'storm closes ports', 'A storm.', 'A storm.', 'news', 1, 1, 5)`,
    ).run();
    const insert = db.prepare(`INSERT INTO outbox (kind, priority, article_id, chat_id, topic, payload, state, attempts, next_attempt_at,
                                                   message_id, created_at, sent_at) VALUES (?, ?, ?, ?, ?, '{"text":"t"}', ?, 0, 5, ?, 5, ?)`);
    insert.run("post", 1, 1, "@newsroom", null, "sent", 11, 6);
    insert.run("alert", 2, 1, "42", "storms", "pending", null, null);
    insert.run("digest", 3, null, "@newsroom", null, "failed", null, null);
    insert.run("push", 0, null, "@newsroom", null, "blocked", null, null);
    const indexes = () =>
      (
        db
          .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND sql IS NOT NULL ORDER BY name")
          .all() as {
          name: string;
        }[]
      ).map((row) => row.name);
    const before = indexes();
    db.close();

    const store = openStore({ kind: "sqlite", path }, systemClock);
    expect(await store.schemaVersion()).toBe(newest);
    expect(await store.outbox.channelMessageId(1)).toBe(11);
    expect(await store.outbox.counts()).toEqual({ pending: 1, sending: 0, sent: 1, failed: 1, blocked: 1, cancelled: 0 });
    expect((await store.articles.get(1))?.retractedAt).toBeUndefined();
    await store.close();

    const after = new Database(path);
    const rows = after.prepare("SELECT kind, priority, revision, target_id FROM outbox ORDER BY id").all();
    expect(rows).toEqual([
      { kind: "post", priority: 2, revision: 0, target_id: null },
      { kind: "alert", priority: 3, revision: 0, target_id: null },
      { kind: "digest", priority: 4, revision: 0, target_id: null },
      { kind: "push", priority: 0, revision: 0, target_id: null },
    ]);
    const indexesAfter = (
      after
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND sql IS NOT NULL ORDER BY name")
        .all() as {
        name: string;
      }[]
    ).map((row) => row.name);
    expect(indexesAfter).toEqual([...before, "outbox_target"].sort());
    expect(after.pragma("foreign_key_check")).toEqual([]);
    after.close();
  });

  it("roll back a migration that fails, leaving the version where it was", () => {
    const db = new Database(join(dir.path, "news.db"));
    const broken = [...migrations, { version: newest + 1, name: "broken", sql: "CREATE TABLE ok (x); SELECT * FROM nope;" }];
    expect(() => migrate(db, broken, systemClock)).toThrow(/no such table/);
    expect(migrate(db, migrations, systemClock)).toBe(newest);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'ok'").get()).toBeUndefined();
    db.close();
  });
});
