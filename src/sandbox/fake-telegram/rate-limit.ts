export interface RateLimitOptions {
  /** Sends per second over all chats (refill rate of the global bucket). Omit for no global limit. */
  perSecond?: number;
  /** Size of the global bucket; defaults to perSecond. */
  burst?: number;
  /** Telegram's per-chat limits: 1 message/s per private chat, 20/min per group or channel. Default off. */
  perChat?: boolean;
}

/** Continuously refilling token bucket. */
export class TokenBucket {
  private tokens: number;
  private last = Date.now();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  /** Seconds until a token is available; 0 when one is available now. */
  wait(): number {
    this.refill();
    if (this.tokens >= 1) return 0;
    // Telegram's retry_after is whole seconds and never 0.
    return Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond));
  }

  take(): void {
    this.refill();
    this.tokens -= 1;
  }

  private refill(): void {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }
}

export class RateLimiter {
  private global: TokenBucket | undefined;
  private perChat = false;
  private readonly chats = new Map<number, TokenBucket>();

  set(options: RateLimitOptions | null | undefined): void {
    const perSecond = options?.perSecond;
    this.global =
      perSecond !== undefined && perSecond > 0
        ? new TokenBucket(perSecond, Math.max(1, options?.burst ?? Math.ceil(perSecond)))
        : undefined;
    this.perChat = options?.perChat ?? false;
    this.chats.clear();
  }

  /**
   * Takes one send from the global and the chat bucket, or returns retry_after seconds. Nothing is consumed
   * when refused, so a client that waits retry_after gets through.
   */
  take(chatId: number, chatType: string): number {
    const chat = this.perChat ? this.chatBucket(chatId, chatType) : undefined;
    const wait = Math.max(this.global?.wait() ?? 0, chat?.wait() ?? 0);
    if (wait > 0) return wait;
    this.global?.take();
    chat?.take();
    return 0;
  }

  private chatBucket(chatId: number, chatType: string): TokenBucket {
    let bucket = this.chats.get(chatId);
    if (!bucket) {
      bucket = chatType === "private" ? new TokenBucket(1, 1) : new TokenBucket(20 / 60, 20);
      this.chats.set(chatId, bucket);
    }
    return bucket;
  }
}
