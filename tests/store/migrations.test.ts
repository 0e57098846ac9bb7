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
                                                   message_id, last_error, created_at, sent_at)
                               VALUES (@kind, @priority, @article_id, @chat_id, @topic, @payload, @state, @attempts, @next_attempt_at,
                                       @message_id, @last_error, @created_at, @sent_at)`);
    // Every column differs from row to row, so that a column copied into the wrong place shows.
    const original = [
      { kind: "post", priority: 1, article_id: 1, chat_id: "@newsroom", topic: null, payload: '{"text":"post"}', state: "sent" },
      {
        kind: "alert",
        priority: 2,
        article_id: 1,
        chat_id: "42",
        topic: "storms",
        payload: '{"text":"alert","silent":true}',
        state: "pending",
      },
      { kind: "digest", priority: 3, article_id: null, chat_id: "@newsroom", topic: null, payload: '{"text":"digest"}', state: "failed" },
      { kind: "push", priority: 0, article_id: null, chat_id: "@newsroom", topic: null, payload: '{"text":"push"}', state: "blocked" },
    ].map((row, i) => ({
      ...row,
      id: i + 1,
      attempts: i,
      next_attempt_at: 100 + i,
      message_id: row.state === "sent" ? 11 : null,
      last_error: row.state === "failed" || row.state === "blocked" ? `error ${i}` : null,
      created_at: 200 + i,
      sent_at: row.state === "sent" ? 300 + i : null,
    }));
    for (const { id: _id, ...row } of original) insert.run(row);
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
    const rows = after.prepare("SELECT * FROM outbox ORDER BY id").all();
    // Each row as it was, with the new priorities, revision 0 and no target.
    const priorities: Record<string, number> = { post: 2, alert: 3, digest: 4, push: 0 };
    expect(rows).toEqual(original.map((row) => ({ ...row, priority: priorities[row.kind], revision: 0, target_id: null })));
    // UNIQUE per kind, article, chat and revision: the same alert again is refused, a later revision of it is not.
    const again = after.prepare(
      "INSERT INTO outbox (kind, priority, article_id, chat_id, payload, state, next_attempt_at, created_at, revision) VALUES ('alert', 3, 1, '42', '{}', 'pending', 0, 0, ?)",
    );
    expect(() => again.run(0)).toThrow(/UNIQUE constraint failed: outbox.kind, outbox.article_id, outbox.chat_id, outbox.revision/);
    expect(again.run(1).changes).toBe(1);
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
