import type { Migration } from "./migration.js";

/**
 * Feeds with their health, articles with their dedup keys and sources, and the FTS5 search index.
 * item_keys holds every key an article was seen under (guid, canonical URL), so an item seen again
 * from any feed, in any later run, maps to the article it already is.
 */
export const feedsArticlesMigration: Migration = {
  version: 2,
  name: "feeds, articles, search index",
  sql: `
    CREATE TABLE feeds (
      id               INTEGER PRIMARY KEY,
      url              TEXT    NOT NULL UNIQUE,
      title            TEXT,
      origin           TEXT    NOT NULL CHECK (origin IN ('config', 'admin')),
      enabled          INTEGER NOT NULL DEFAULT 1,
      etag             TEXT,
      last_modified    TEXT,
      added_at         INTEGER NOT NULL,
      first_fetched_at INTEGER,
      last_fetched_at  INTEGER,
      last_success_at  INTEGER,
      failures         INTEGER NOT NULL DEFAULT 0,
      total_failures   INTEGER NOT NULL DEFAULT 0,
      last_error       TEXT,
      next_fetch_at    INTEGER
    );

    CREATE TABLE articles (
      id            INTEGER PRIMARY KEY,
      dedup_key     TEXT    NOT NULL UNIQUE,
      url           TEXT,
      headline      TEXT    NOT NULL,
      headline_key  TEXT    NOT NULL,
      summary       TEXT    NOT NULL,
      body          TEXT    NOT NULL,
      source        TEXT    NOT NULL,
      dateline      TEXT,
      image_url     TEXT,
      tags          TEXT    NOT NULL DEFAULT '',
      published_at  INTEGER NOT NULL,
      first_seen_at INTEGER NOT NULL,
      -- NULL for backfill; set when the article is news waiting for the channel.
      queued_at     INTEGER
    );
    CREATE INDEX articles_published ON articles (published_at DESC);
    CREATE INDEX articles_headline_key ON articles (headline_key, first_seen_at);
    CREATE INDEX articles_queued ON articles (queued_at) WHERE queued_at IS NOT NULL;

    CREATE TABLE item_keys (
      key        TEXT    PRIMARY KEY,
      article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
    ) WITHOUT ROWID;

    CREATE TABLE article_sources (
      article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
      source     TEXT    NOT NULL,
      feed_id    INTEGER REFERENCES feeds (id) ON DELETE SET NULL,
      link       TEXT,
      seen_at    INTEGER NOT NULL,
      UNIQUE (article_id, source)
    );

    CREATE TABLE article_tags (
      article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
      tag        TEXT    NOT NULL,
      PRIMARY KEY (tag, article_id)
    ) WITHOUT ROWID;

    CREATE VIRTUAL TABLE articles_fts USING fts5 (
      headline, summary, body, tags,
      content = 'articles', content_rowid = 'id',
      tokenize = 'porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
      INSERT INTO articles_fts (rowid, headline, summary, body, tags)
      VALUES (new.id, new.headline, new.summary, new.body, new.tags);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
      INSERT INTO articles_fts (articles_fts, rowid, headline, summary, body, tags)
      VALUES ('delete', old.id, old.headline, old.summary, old.body, old.tags);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF headline, summary, body, tags ON articles BEGIN
      INSERT INTO articles_fts (articles_fts, rowid, headline, summary, body, tags)
      VALUES ('delete', old.id, old.headline, old.summary, old.body, old.tags);
      INSERT INTO articles_fts (rowid, headline, summary, body, tags)
      VALUES (new.id, new.headline, new.summary, new.body, new.tags);
    END;
  `,
};
