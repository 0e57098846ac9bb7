import { backoffMs } from "../backoff.js";
import type { Clock } from "../clock.js";
import { FatalError } from "../fatal-error.js";
import type { Logger } from "../logger.js";
import { isTransientStoreError } from "../store/index.js";
import { describeError } from "../telegram-errors.js";

/** A lock is held for milliseconds, rarely seconds. */
const STORE_RETRY = { firstMs: 100, maxMs: 5_000 };

/** The store failed in a way that waiting will not mend: the engine stops and the process with it. */
export class DeliveryStoppedError extends FatalError {
  override name = "DeliveryStoppedError";
  constructor(during: string, cause: unknown) {
    super(
      `Delivery stopped: the database failed while ${during}: ${describeError(cause)}. ` +
        "Unsent messages stay in the outbox: check the database file (DATABASE_URL) and restart Newsdesk; delivery resumes where it stopped.",
      { cause },
    );
  }
}

/**
 * The engine's store calls. A transient error (another connection holds a lock: SQLITE_BUSY, SQLITE_LOCKED)
 * is retried on the clock, 100 ms doubling to 5 s. The trouble is logged once at warn when a first call starts
 * retrying, and once at info when no call is retrying any more. Any other error becomes a DeliveryStoppedError.
 */
export class StoreRetry {
  /** Calls waiting out a transient error now. */
  private retrying = 0;
  private troubleSince = 0;
  private retries = 0;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Runs `call` until it succeeds. When `until` aborts, a transient error is thrown instead of waited out. */
  async run<T>(during: string, call: () => Promise<T>, until?: AbortSignal): Promise<T> {
    for (let failures = 0; ;) {
      try {
        const result = await call();
        if (failures > 0) this.settled(true);
        return result;
      } catch (error) {
        const transient = isTransientStoreError(error);
        if (!transient || until?.aborted) {
          if (failures > 0) this.settled(false);
          throw transient ? error : new DeliveryStoppedError(during, error);
        }
        if (failures++ === 0) this.began(during, error);
        this.retries++;
        await this.clock.sleep(backoffMs(failures, STORE_RETRY), until);
      }
    }
  }

  private began(during: string, error: unknown): void {
    if (this.retrying++ > 0) return;
    this.troubleSince = this.clock.now();
    this.retries = 0;
    this.logger.warn({ err: error, during }, "the database is busy: delivery waits and retries");
  }

  private settled(recovered: boolean): void {
    if (--this.retrying > 0 || !recovered) return;
    this.logger.info(
      { retries: this.retries, waitedMs: this.clock.now() - this.troubleSince },
      "the database answers again: delivery goes on",
    );
  }
}
