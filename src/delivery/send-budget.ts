import type { Clock } from "../clock.js";
import { TokenBucket } from "./pacing.js";

/** A reply given up while it waited for the send budget: its request was cancelled, or the bot is stopping. Nothing was sent. */
export class SendCancelledError extends Error {
  constructor(method: string) {
    super(`${method} was not sent: it was cancelled while waiting for the send budget (the bot is stopping, or its caller gave up)`);
    this.name = "SendCancelledError";
  }
}

interface WaitingReply {
  resolve: () => void;
  /** Stops listening to the reply's signal once it is served. */
  forget: () => void;
}

/**
 * Telegram limits the bot's messages per second, not the engine's: one budget (BROADCAST_RATE) for every message the
 * bot sends, replies to readers and the delivery engine's outbox alike. Replies come first: while one waits for a
 * token the engine gets none, so a reader never waits behind a broadcast, and a broadcast slows down by exactly the
 * replies' share. A 429 met by either side pauses both (pauseUntil): Telegram's flood wait is the bot's.
 */
export class SendBudget {
  private readonly bucket: TokenBucket;
  /** Replies waiting for a token, first come first served. */
  private readonly replies: WaitingReply[] = [];
  private serving = false;
  /** Cuts the serving loop's sleep short when its last waiter leaves, so that no timer outlives the queue. */
  private nap = new AbortController();
  private pausedUntil = 0;

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock,
  ) {
    this.bucket = new TokenBucket(perSecond, clock);
  }

  /** Telegram answered 429: nothing is sent, reply or engine, before `epochMs`. */
  pauseUntil(epochMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, epochMs);
  }

  /** When sending may resume after a 429 (epoch ms; in the past when not paused). */
  resumesAt(): number {
    return this.pausedUntil;
  }

  /**
   * Resolves when a reply may be sent: at once when a token is free and no reply is ahead, else in turn. Rejects with
   * SendCancelledError, taking no token, when `signal` aborts before its turn. A reply that can go at once goes even
   * when the bot is stopping: a handler that finishes within the stop's budget still gives its answer (an import's
   * report); only a reply that would have to wait is given up.
   */
  forReply(method: string, signal?: AbortSignal): Promise<void> {
    if (this.replies.length === 0 && !this.paused() && this.bucket.take() === 0) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(new SendCancelledError(method));
    return new Promise<void>((resolve, reject) => {
      const drop = (): void => {
        this.replies.splice(this.replies.indexOf(waiter), 1);
        if (this.replies.length === 0) this.nap.abort();
        reject(new SendCancelledError(method));
      };
      const waiter: WaitingReply = { resolve, forget: () => signal?.removeEventListener("abort", drop) };
      signal?.addEventListener("abort", drop, { once: true });
      this.replies.push(waiter);
      void this.serveReplies();
    });
  }

  /**
   * The engine's turn: 0 when it has taken a token, otherwise the milliseconds to wait before asking again.
   * While replies wait, the tokens are theirs: the engine asks again once they should have been served.
   */
  forEngine(): number {
    const pausedMs = this.pausedUntil - this.clock.now();
    if (pausedMs > 0) return pausedMs;
    if (this.replies.length > 0) return Math.ceil((this.replies.length * 1000) / this.perSecond);
    return this.bucket.take();
  }

  private paused(): boolean {
    return this.pausedUntil > this.clock.now();
  }

  /** Hands tokens to the waiting replies as the bucket refills and a pause ends; one loop at a time. */
  private async serveReplies(): Promise<void> {
    if (this.serving) return;
    this.serving = true;
    try {
      while (this.replies.length > 0) {
        const waitMs = this.paused() ? this.pausedUntil - this.clock.now() : this.bucket.take();
        if (waitMs > 0) {
          this.nap = new AbortController();
          await this.clock.sleep(waitMs, this.nap.signal);
        } else {
          const waiter = this.replies.shift();
          waiter?.forget();
          waiter?.resolve();
        }
      }
    } finally {
      this.serving = false;
    }
  }
}
