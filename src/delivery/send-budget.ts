import type { Clock } from "../clock.js";
import { TokenBucket } from "./pacing.js";

/**
 * Telegram limits the bot's messages per second, not the engine's: one budget (BROADCAST_RATE) for every message the
 * bot sends, replies to readers and the delivery engine's outbox alike. Replies come first: while one waits for a
 * token the engine gets none, so a reader never waits behind a broadcast, and a broadcast slows down by exactly the
 * replies' share.
 */
export class SendBudget {
  private readonly bucket: TokenBucket;
  /** Replies waiting for a token, first come first served. */
  private readonly replies: (() => void)[] = [];
  private serving = false;

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock,
  ) {
    this.bucket = new TokenBucket(perSecond, clock);
  }

  /** Resolves when a reply may be sent: at once when a token is free and no reply is ahead, else in turn. */
  forReply(): Promise<void> {
    if (this.replies.length === 0 && this.bucket.take() === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.replies.push(resolve);
      void this.serveReplies();
    });
  }

  /**
   * The engine's turn: 0 when it has taken a token, otherwise the milliseconds to wait before asking again.
   * While replies wait, the tokens are theirs: the engine asks again once they should have been served.
   */
  forEngine(): number {
    if (this.replies.length > 0) return Math.ceil((this.replies.length * 1000) / this.perSecond);
    return this.bucket.take();
  }

  /** Hands tokens to the waiting replies as the bucket refills; one loop at a time. */
  private async serveReplies(): Promise<void> {
    if (this.serving) return;
    this.serving = true;
    try {
      while (this.replies.length > 0) {
        const waitMs = this.bucket.take();
        if (waitMs > 0) await this.clock.sleep(waitMs);
        else this.replies.shift()?.();
      }
    } finally {
      this.serving = false;
    }
  }
}
