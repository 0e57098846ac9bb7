import type Database from "better-sqlite3";
import type { Clock } from "../../clock.js";
import type { ChatKind, ChatRecord, ChatStore, ChatUpsert } from "../types.js";

interface ChatRow {
  id: number;
  kind: ChatKind;
  title: string | null;
  username: string | null;
  language: string | null;
  started_at: number;
  blocked_at: number | null;
}

const toRecord = (row: ChatRow): ChatRecord => ({
  id: row.id,
  kind: row.kind,
  title: row.title ?? undefined,
  username: row.username ?? undefined,
  language: row.language ?? undefined,
  startedAt: new Date(row.started_at),
  blockedAt: row.blocked_at === null ? undefined : new Date(row.blocked_at),
});

/** /stats' readers: each count reads its own partial index, chats_active (migration 001) and chats_blocked (007). */
export const READER_COUNTS_SQL = `
  SELECT (SELECT COUNT(*) FROM chats WHERE kind = 'private' AND blocked_at IS NULL) AS active,
         (SELECT COUNT(*) FROM chats WHERE kind = 'private' AND blocked_at IS NOT NULL) AS blocked`;

export function sqliteChats(db: Database.Database, clock: Clock): ChatStore {
  const upsert = db.prepare<[number, ChatKind, string | null, string | null, string | null, number]>(`
    INSERT INTO chats (id, kind, title, username, language, started_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET
      kind = excluded.kind,
      title = excluded.title,
      username = excluded.username,
      language = COALESCE(excluded.language, chats.language),
      blocked_at = NULL`);
  const byId = db.prepare<[number], ChatRow>("SELECT * FROM chats WHERE id = ?");
  const block = db.prepare<[number, number]>("UPDATE chats SET blocked_at = ? WHERE id = ?");
  const readers = db.prepare<[], { active: number; blocked: number }>(READER_COUNTS_SQL);

  return {
    async recordStart(chat: ChatUpsert) {
      upsert.run(chat.id, chat.kind, chat.title ?? null, chat.username ?? null, chat.language ?? null, clock.now());
      const row = byId.get(chat.id);
      if (!row) throw new Error(`chat ${chat.id} vanished right after it was saved`);
      return toRecord(row);
    },
    async get(id) {
      const row = byId.get(id);
      return row ? toRecord(row) : undefined;
    },
    async markBlocked(id) {
      block.run(clock.now(), id);
    },
    async readerCounts() {
      return readers.get() ?? { active: 0, blocked: 0 };
    },
  };
}
