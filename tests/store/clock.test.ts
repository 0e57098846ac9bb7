import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../support/fake-clock.js";
import { makeTempStore } from "../support/temp-store.js";

/** What the store stamps on its own, read from the file: the product never reads these columns back. */
function stamps(path: string): Record<string, number | undefined> {
  const db = new Database(path, { readonly: true });
  try {
    const one = (sql: string) => (db.prepare(sql).get() as { at: number } | undefined)?.at;
    return {
      migrated: one("SELECT MAX(applied_at) AS at FROM schema_version"),
      followed: one("SELECT created_at AS at FROM subscriptions"),
      feedAdded: one("SELECT added_at AS at FROM feeds"),
    };
  } finally {
    db.close();
  }
}

describe("the store's clock", () => {
  let clock: FakeClock;
  let temp: ReturnType<typeof makeTempStore>;
  beforeEach(() => {
    clock = new FakeClock("2026-11-30T12:00:00Z");
    temp = makeTempStore(clock);
  });
  afterEach(() => temp.dispose());

  it("stamps migrations, follows and added feeds with the time it was given, not the system's", async () => {
    const opened = clock.now();
    await clock.advance(1_000);
    await temp.store.chats.recordStart({ id: 7, kind: "private" });
    expect(await temp.store.subscriptions.follow(7, "harbour", 50)).toBe("added");
    await clock.advance(1_000);
    await temp.store.feeds.ensure(["https://news.example/rss"], "config");
    expect(stamps(temp.path)).toEqual({ migrated: opened, followed: opened + 1_000, feedAdded: opened + 2_000 });
  });
});
