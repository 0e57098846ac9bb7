import type { Clock } from "../../clock.js";
import type { Store } from "../types.js";
import { sqliteArticles } from "./articles.js";
import { sqliteChats } from "./chats.js";
import { sqliteDialogs } from "./dialogs.js";
import { sqliteJobs } from "./jobs.js";
import { sqliteOutbox } from "./outbox.js";
import { sqliteSubscriptions } from "./subscriptions.js";
import { sqliteFeeds } from "./feeds.js";
import { currentVersion, migrate } from "./migrate.js";
import { migrations } from "./migrations/index.js";
import { openDatabase } from "./open.js";

/** Opens the SQLite store and brings its schema up to date. What it stamps on its own, it stamps with `clock`. */
export function openSqliteStore(path: string, clock: Clock): Store {
  const db = openDatabase(path);
  try {
    migrate(db, migrations, clock);
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    chats: sqliteChats(db, clock),
    feeds: sqliteFeeds(db, clock),
    articles: sqliteArticles(db, clock),
    subscriptions: sqliteSubscriptions(db, clock),
    outbox: sqliteOutbox(db),
    jobs: sqliteJobs(db),
    dialogs: sqliteDialogs(db, clock),
    async schemaVersion() {
      return currentVersion(db);
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
