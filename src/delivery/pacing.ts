import type { Clock } from "../clock.js";

/**
 * Telegram's limits, kept in memory: a token bucket for all sends together, and a spacing per chat
 * (one message a second to a private chat, twenty a minute to a group or channel).
 */

const PRIVATE_SPACING_MS = 1_000;
const GROUP_SPACING_MS = 3_000;

export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly capacity: number;

  /** A small bucket (a twentieth of a second's worth) absorbs timer jitter without letting bursts through. */
  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock,
  ) {
    this.capacity = Math.max(1, perSecond / 20);
    this.tokens = this.capacity;
    this.last = clock.now();
  }

  /** Milliseconds until a token is available (0: take it now). */
  take(): number {
    const now = this.clock.now();
    // A wall clock set back must not drain the bucket.
    this.tokens = Math.min(this.capacity, this.tokens + (Math.max(0, now - this.last) * this.perSecond) / 1000);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.perSecond);
  }
}

export class ChatSpacing {
  private readonly nextAllowed = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  /** When this chat may get its next message (epoch ms). */
  readyAt(chatId: string): number {
    return this.nextAllowed.get(chatId) ?? 0;
  }

  /** A message to this chat goes (or went) out now: the next one waits its spacing from now. */
  reserve(chatId: string): void {
    const now = this.clock.now();
    this.nextAllowed.set(chatId, now + spacingFor(chatId));
    // Old entries are only memory: drop the ones long past when the map grows.
    if (this.nextAllowed.size > 50_000) {
      for (const [chat, at] of this.nextAllowed) if (at < now) this.nextAllowed.delete(chat);
    }
  }
}

/** Private chats have positive ids; groups and channels negative ids or an @name. */
function spacingFor(chatId: string): number {
  const id = numericChatId(chatId);
  return id !== undefined && id > 0 ? PRIVATE_SPACING_MS : GROUP_SPACING_MS;
}

/** An outbox chat id as Telegram's number; undefined for a channel's @name. */
export function numericChatId(chatId: string): number | undefined {
  return /^-?\d+$/.test(chatId) ? Number(chatId) : undefined;
}

/** A send that met a 5xx or the network: 1 s, 2 s, 4 s … at most 5 minutes, jittered. */
export const SEND_RETRY = { firstMs: 1_000, maxMs: 300_000, jitter: Math.random };
