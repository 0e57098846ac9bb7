import type { Store } from "../types.js";
import { sqliteArticles } from "./articles.js";
import { sqliteChats } from "./chats.js";
import { sqliteJobs } from "./jobs.js";
import { sqliteOutbox } from "./outbox.js";
import { sqliteSubscriptions } from "./subscriptions.js";
import { sqliteFeeds } from "./feeds.js";
import { currentVersion, migrate } from "./migrate.js";
import { migrations } from "./migrations/index.js";
import { openDatabase } from "./open.js";

/** Opens the SQLite store and brings its schema up to date. */
export function openSqliteStore(path: string): Store {
  const db = openDatabase(path);
  try {
    migrate(db, migrations);
  } catch (error) {
    db.close();
    throw error;
  }
  const articles = sqliteArticles(db);
  return {
    chats: sqliteChats(db),
    feeds: sqliteFeeds(db),
    articles,
    subscriptions: sqliteSubscriptions(db),
    outbox: sqliteOutbox(db),
    jobs: sqliteJobs(db),
    async schemaVersion() {
      return currentVersion(db);
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
