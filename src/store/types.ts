import type { Article } from "../article.js";

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
  /** Stamped with the store's clock. */
  markBlocked(id: number): Promise<void>;
  /** Private chats that started the bot: still reachable, and blocked (for /stats). */
  readerCounts(): Promise<{ active: number; blocked: number }>;
}

export interface Store {
  readonly chats: ChatStore;
  readonly feeds: FeedStore;
  readonly articles: ArticleStore;
  readonly subscriptions: SubscriptionStore;
  readonly outbox: OutboxStore;
  readonly jobs: JobRunStore;
  readonly dialogs: DialogStore;
  /** The schema version the database is at. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

export type FeedOrigin = "config" | "admin";

export interface FeedRecord {
  id: number;
  url: string;
  title: string | undefined;
  origin: FeedOrigin;
  enabled: boolean;
  etag: string | undefined;
  lastModified: string | undefined;
  /** Undefined until the first successful fetch: that fetch is backfill. */
  firstFetchedAt: Date | undefined;
  lastFetchedAt: Date | undefined;
  lastSuccessAt: Date | undefined;
  /** Failures in a row; reset by a success. */
  failures: number;
  totalFailures: number;
  lastError: string | undefined;
  /** Backoff: the feed is skipped until then. */
  nextFetchAt: Date | undefined;
  /** The admins were told that it keeps failing, and not yet that it recovered. */
  alerted: boolean;
}

export interface FeedStore {
  /** Adds the feeds that are not there yet; returns all of them. */
  ensure(urls: readonly string[], origin: FeedOrigin): Promise<FeedRecord[]>;
  list(): Promise<FeedRecord[]>;
  recordSuccess(
    id: number,
    result: { title?: string | undefined; etag?: string | undefined; lastModified?: string | undefined; at: Date },
  ): Promise<void>;
  recordNotModified(id: number, at: Date): Promise<void>;
  recordFailure(id: number, reason: string, at: Date, retryAt: Date): Promise<void>;
  /** Adds one feed with the title it was found with (stamped by the store's clock); `added` is false when the URL was there already. */
  add(url: string, origin: FeedOrigin, title: string | undefined): Promise<{ feed: FeedRecord; added: boolean }>;
  get(id: number): Promise<FeedRecord | undefined>;
  /** Pauses (false) or resumes (true) polling; false when the feed is gone or already so. */
  setEnabled(id: number, enabled: boolean): Promise<boolean>;
  /** Removes a feed; its articles stay, without it. False when it was gone already. */
  remove(id: number): Promise<boolean>;
  /** Stored articles per feed id, counting a story the feed shares with another feed too. */
  articleCounts(): Promise<Map<number, number>>;
  /** Marks the health alert sent or taken back; false when it already was so, so that only one caller sends it. */
  setAlerted(id: number, alerted: boolean): Promise<boolean>;
}

/** One article ready to be stored, with everything dedup needs. */
export interface ArticleInput {
  article: Article;
  /** Every key this item is known by (guid key, canonical URL key). The first is the article's own. */
  keys: string[];
  /** Normalized headline, for cross-feed dedup. */
  headlineKey: string;
  feedId?: number | undefined;
  /** Link of this copy of the story, as its source gives it. */
  sourceLink?: string | undefined;
  /** News is queued for the channel; backfill is stored and searchable only. */
  isNews: boolean;
}

export type SaveOutcome =
  | { status: "new"; articleId: number; queued: boolean }
  /** Seen before under one of its keys. */
  | { status: "seen"; articleId: number }
  /** The same story from another source within the cross-feed window: recorded as a second source. */
  | { status: "merged"; articleId: number };

export interface StoredArticle extends Article {
  id: number;
  firstSeenAt: Date;
  queuedAt: Date | undefined;
  /** When its channel post and alerts went into the outbox: once, ever. */
  releasedAt: Date | undefined;
  /** Every source the story came from, the first one first. */
  sources: string[];
  /** Withdrawn by the editors (/retract): out of /latest, search and the channel queue. */
  retractedAt: Date | undefined;
}

export interface SearchHit {
  article: StoredArticle;
  /** A short extract around the match, plain text. */
  snippet: string;
}

export interface ArticleStore {
  /**
   * Saves a batch in one transaction, deduplicating by key and by headline within the window; `now` is the caller's
   * moment (a feed run's).
   */
  save(inputs: readonly ArticleInput[], options: { now: Date; crossFeedWindowMs?: number }): Promise<SaveOutcome[]>;
  get(id: number): Promise<StoredArticle | undefined>;
  /** Which of these item keys are already stored: lets ingest skip work (full-text fetches) for known items. */
  knownKeys(keys: readonly string[]): Promise<Set<string>>;
  latest(limit: number): Promise<StoredArticle[]>;
  /** Runs an FTS5 MATCH expression (already made safe by topics/match-query). Best first: bm25 and recency (by the store's clock). */
  search(match: string, options: { limit: number; offset: number }): Promise<SearchHit[]>;
  /** Whether one article matches a MATCH expression: how a followed query is tested against news. */
  matches(articleId: number, match: string): Promise<boolean>;
  /**
   * An editor's correction of the headline or the summary, stored as the article's own (search follows). The dedup
   * keys stay those of the original, so that the feed's next copy is still known. False when there is no such article.
   */
  edit(id: number, fields: { headline?: string | undefined; summary?: string | undefined }): Promise<boolean>;
  /** Queues a stored article for the channel (stamped by the store's clock), unless it is queued or released already. */
  queue(id: number): Promise<QueueOutcome>;
  /** Queued news whose channel post and alerts are not in the outbox yet, oldest first. */
  unreleased(limit: number): Promise<StoredArticle[]>;
  /** The most frequent tags of articles published since a time, with counts. */
  topTags(since: Date, limit: number): Promise<{ tag: string; count: number }[]>;
  count(): Promise<number>;
  /** Takes a queued article out of the queue without releasing it (it stays searchable). False when it was not queued. */
  unqueue(id: number): Promise<boolean>;
  /** Articles first stored at or after a time (for /stats). */
  countStoredSince(since: Date): Promise<number>;
  /** The article stored under an item key ("url:https://…"): a pasted link already stored opens it without a fetch. */
  byKey(key: string): Promise<StoredArticle | undefined>;
  /** The newest released articles that were not retracted, newest release first: what /correct and /retract offer. */
  published(limit: number): Promise<StoredArticle[]>;
}

export type QueueOutcome = "queued" | "already-queued" | "released";

export type FollowOutcome = "added" | "exists" | "limit";

export interface SubscriptionStore {
  /** Adds a normalized topic for a chat, unless the chat already has `limit` topics. */
  follow(chatId: number, topic: string, limit: number): Promise<FollowOutcome>;
  unfollow(chatId: number, topic: string): Promise<boolean>;
  /** Removes every topic of the chat; returns how many there were. */
  unfollowAll(chatId: number): Promise<number>;
  list(chatId: number): Promise<string[]>;
  /** Every topic someone follows, once each: alerts match these, not each subscription. */
  distinctTopics(): Promise<string[]>;
  /** Active private chats (started, not blocked) that follow any of these topics, with the first topic that matched. */
  followersOf(topics: readonly string[]): Promise<{ chatId: number; topic: string }[]>;
  /** Most-followed topics, for suggestions. */
  popular(limit: number): Promise<{ topic: string; followers: number }[]>;
}

/**
 * What the bot sends on its own. A push is an admin's channel post from /push: it goes ahead of everything. A
 * correction edits a message that was sent (its target), a retraction deletes one.
 */
export type OutboxKind = "post" | "alert" | "digest" | "push" | "correction" | "retraction";

/** Priority classes: lower goes first. Pushes, then fixing what is out, then channel posts, then alerts, then bulk. */
export const OUTBOX_PRIORITY: Record<OutboxKind, number> = { push: 0, correction: 1, retraction: 1, post: 2, alert: 3, digest: 4 };

/** What to send, rendered when it is queued, so the sender only sends. */
export interface OutboxPayload {
  text: string;
  linkPreviewUrl?: string | undefined;
  /** Sent with disable_notification (a push's Silent toggle). */
  silent?: boolean | undefined;
}

export interface OutboxMessage {
  kind: OutboxKind;
  /** A numeric chat id as text, or a channel's @name. */
  chatId: string;
  articleId?: number | undefined;
  /** For alerts: the followed topic that matched. */
  topic?: string | undefined;
  payload: OutboxPayload;
}

export interface OutboxRow extends OutboxMessage {
  id: number;
  priority: number;
  attempts: number;
  /**
   * A correction's or retraction's target: the message it changes, as it stands. interrupted: a crash cut its sending
   * short (it is failed, yet it may be in the chat).
   */
  target?: { id: number; state: DeliveryState; messageId: number | undefined; interrupted: boolean } | undefined;
}

/** cancelled: a pending message that a retraction or a newer correction made pointless. */
export type DeliveryState = "pending" | "sending" | "sent" | "failed" | "blocked" | "cancelled";
export type DeliveryCounts = Record<DeliveryState, number>;

export interface OutboxStore {
  /**
   * An article's messages go into the outbox and the article is marked released, in one transaction, only for an
   * article never released: false (and nothing added) when it was. How an article reaches the channel once, ever,
   * whether a tick, a push or Post now comes first.
   */
  release(articleId: number, messages: readonly OutboxMessage[], at: Date): Promise<boolean>;
  /** Adds messages; one per (kind, article, chat) ever. Returns the rows added. */
  enqueue(messages: readonly OutboxMessage[], at: Date): Promise<number>;
  /**
   * The best pending row due by `now` of each chat (priority, then due time, then id), best first, at most
   * `limit`: a chat with many rows waiting (the channel, spaced 3 s) never hides the other chats' rows.
   */
  ready(now: Date, limit: number): Promise<OutboxRow[]>;
  /**
   * pending → sending, and the row as it stands now (the text a correction gave it meanwhile, its target's state).
   * Undefined when it is no longer pending, or when it is a correction that a newer correction or a retraction of
   * the same message overtook (a retried one): that one is cancelled, as its edit would undo theirs.
   */
  claim(id: number): Promise<OutboxRow | undefined>;
  /** `replacedByNotice`: a retraction edited its message into the notice (Telegram would not delete it). */
  markSent(id: number, messageId: number, at: Date, replacedByNotice?: boolean): Promise<void>;
  /** Back to pending until `at`; `attempt` says whether this try counts towards MAX_ATTEMPTS (a 429 does not). */
  retryAt(id: number, at: Date, error: string, attempt: boolean): Promise<void>;
  markFailed(id: number, error: string): Promise<void>;
  /** A claimed correction or retraction whose target will never be sent (failed, blocked, cancelled) is dropped. */
  markCancelled(id: number, reason: string): Promise<void>;
  /** The chat cannot be reached: this row and every other unsent one to it are blocked. */
  markChatBlocked(chatId: string, error: string): Promise<number>;
  /**
   * After a crash, rows left 'sending' may or may not have reached Telegram. They are sent again
   * (at-least-once), except channel posts, which reach the channel at most once: those are failed. Corrections and
   * retractions are idempotent (an edit to the same text, a deletion of a deleted message, are done), so they go again.
   */
  recoverInterrupted(): Promise<{ requeued: number; abandoned: number }>;
  /** Counts for one article (of one revision: 0 for its first messages), or for everything. */
  counts(articleId?: number, revision?: number): Promise<DeliveryCounts>;
  /** Of a retraction's sent rows, those whose message was edited into the notice instead of deleted. */
  replacedByNotice(articleId: number, revision: number): Promise<number>;
  /**
   * An editor's correction, in one transaction: the article takes the new fields; its messages not sent yet take the
   * corrected text (`render`, per kind and topic, with `sent` false: their readers see no earlier version); each sent
   * or sending one gets a `correction` row of the next revision that edits it (`sent` true), and the older pending
   * corrections of that message are cancelled. Undefined when the article is not stored or was retracted.
   */
  correct(
    articleId: number,
    fields: { headline?: string | undefined; summary?: string | undefined },
    render: (message: { kind: OutboxKind; topic: string | undefined; sent: boolean }) => OutboxPayload,
    at: Date,
  ): Promise<RevisionOutcome | undefined>;
  /**
   * A retraction, in one transaction: the article is marked retracted (and leaves the channel queue), its pending
   * messages are cancelled, and each sent or sending one gets a `retraction` row of the next revision, with `notice`
   * as the text an undeletable message is edited into. Undefined when the article is not stored or was retracted.
   */
  retract(articleId: number, notice: OutboxPayload, at: Date): Promise<RevisionOutcome | undefined>;
  /** The messages a correction or retraction of the article would reach now: sent (or sending), and not sent yet. */
  revisable(articleId: number): Promise<{ sent: number; pending: number }>;
  /** The newest articles that have deliveries, with their counts. */
  recentArticles(limit: number): Promise<{ articleId: number; headline: string; counts: DeliveryCounts }[]>;
  /** The Telegram message id of an article's channel post (scheduled or pushed), once sent. */
  channelMessageId(articleId: number): Promise<number | undefined>;
  /** When the earliest pending row becomes due, if any. */
  nextDueAt(): Promise<Date | undefined>;
  /** The states of the messages queued since a time (for /stats). */
  countsSince(since: Date): Promise<DeliveryCounts>;
  /** Messages waiting to be sent: the outbox's depth. */
  pendingCount(): Promise<number>;
}

/** What a correction or retraction put in the outbox. */
export interface RevisionOutcome {
  /** The revision its rows carry: counts(articleId, revision) follows them. */
  revision: number;
  /** Correction or retraction rows added: one per message sent (or being sent). */
  queued: number;
  /** Messages not sent yet that will go out corrected (a correction). */
  updated: number;
  /** Pending messages cancelled: older corrections of the same messages, or everything unsent (a retraction). */
  cancelled: number;
  /**
   * Channel posts a crash cut short (failed, "interrupted while sending"): they may be in the channel, and neither a
   * correction nor a retraction can reach them (their message id is unknown). The editor has to check the channel.
   */
  unconfirmed: number;
}

/** The dialogs' state (@grammyjs/conversations), as JSON text per storage key. */
export interface DialogStore {
  read(key: string): Promise<string | undefined>;
  /** Stamped with the store's clock. */
  write(key: string, state: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface JobRunStore {
  lastRun(name: string): Promise<Date | undefined>;
  recordRun(name: string, at: Date): Promise<void>;
}

/** A follower to alert about an article, and the topic that matched. */
export interface PendingAlert {
  articleId: number;
  chatId: number;
  topic: string;
}
