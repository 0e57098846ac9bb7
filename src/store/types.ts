/**
 * The data access contract. Commands, delivery and schedule talk to this interface only, so that a
 * Postgres implementation can stand beside the SQLite one later. Methods are async for that reason,
 * even though better-sqlite3 itself is synchronous.
 */

export type ChatKind = "private" | "group" | "supergroup" | "channel";

export interface ChatRecord {
  id: number;
  kind: ChatKind;
  title: string | undefined;
  username: string | undefined;
  language: string | undefined;
  startedAt: Date;
  /** Set when Telegram said the bot may not write there (blocked, kicked, deactivated). */
  blockedAt: Date | undefined;
}

export interface ChatUpsert {
  id: number;
  kind: ChatKind;
  title?: string | undefined;
  username?: string | undefined;
  language?: string | undefined;
}

export interface ChatStore {
  /** Records a chat that talked to the bot; a chat that had blocked the bot becomes active again. */
  recordStart(chat: ChatUpsert): Promise<ChatRecord>;
  get(id: number): Promise<ChatRecord | undefined>;
  markBlocked(id: number, at?: Date): Promise<void>;
  countActive(): Promise<number>;
}

export interface Store {
  readonly chats: ChatStore;
  /** The schema version the database is at. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}
