import type Database from "better-sqlite3";
import type { ChannelStore, StoredArticle } from "../types.js";

export function sqliteChannel(db: Database.Database, toArticles: (ids: number[]) => StoredArticle[]): ChannelStore {
  const due = db.prepare<[number], { id: number }>(`
    SELECT a.id FROM articles a LEFT JOIN channel_posts p ON p.article_id = a.id
    WHERE a.queued_at IS NOT NULL AND p.article_id IS NULL
    ORDER BY a.queued_at, a.published_at, a.id LIMIT ?`);
  const claim = db.prepare<[number, string, number]>(
    "INSERT OR IGNORE INTO channel_posts (article_id, channel, state, claimed_at) VALUES (?, ?, 'sending', ?)",
  );
  const sent = db.prepare<[number, number, number]>("UPDATE channel_posts SET state = 'sent', message_id = ?, posted_at = ? WHERE article_id = ?");
  const skipped = db.prepare<[number]>("UPDATE channel_posts SET state = 'skipped' WHERE article_id = ?");
  const failed = db.prepare<[string, number]>("UPDATE channel_posts SET state = 'failed', error = ? WHERE article_id = ?");
  const release = db.prepare<[number]>("DELETE FROM channel_posts WHERE article_id = ? AND state = 'sending'");
  const messageId = db.prepare<[number], { message_id: number | null }>("SELECT message_id FROM channel_posts WHERE article_id = ?");

  return {
    async due(limit) {
      return toArticles(due.all(limit).map((row) => row.id));
    },
    async claim(articleId, channel, at) {
      return claim.run(articleId, channel, at.getTime()).changes === 1;
    },
    async markSent(articleId, id, at) {
      sent.run(id, at.getTime(), articleId);
    },
    async markSkipped(articleId) {
      skipped.run(articleId);
    },
    async markFailed(articleId, error) {
      failed.run(error.slice(0, 1000), articleId);
    },
    async release(articleId) {
      release.run(articleId);
    },
    async messageIdOf(articleId) {
      return messageId.get(articleId)?.message_id ?? undefined;
    },
  };
}
