import type { Clock } from "../../src/clock.js";

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/** Lets promise chains and already-finished I/O callbacks run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A Clock whose time moves only when a test moves it. Sleepers wake in time order as `advance` passes
 * their deadline, with promise callbacks run between wake-ups, so code under test sees the same order
 * of events as with real time, without the wait.
 */
export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start: number | string = "2026-11-30T12:00:00Z") {
    this.time = typeof start === "number" ? start : Date.parse(start);
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer: Timer = {
        at: this.time + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener("abort", cancel);
          resolve();
        },
      };
      const cancel = (): void => {
        this.timers = this.timers.filter((t) => t !== timer);
        timer.resolve();
      };
      this.timers.push(timer);
      signal?.addEventListener("abort", cancel, { once: true });
    });
  }

  /** Sleepers waiting now. */
  get pending(): number {
    return this.timers.length;
  }

  /** When the next sleeper wakes, if any. */
  get nextAt(): number | undefined {
    return this.earliest()?.at;
  }

  /** Moves time forward by `ms`, waking each sleeper at its deadline, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (let timer = this.earliest(); timer && timer.at <= target; timer = this.earliest()) {
      this.wake(timer);
      await settle();
    }
    this.time = Math.max(this.time, target);
    await settle();
  }

  /** Jumps to the next sleeper's deadline and wakes it (and any due at the same time). False when nobody sleeps. */
  async next(): Promise<boolean> {
    await settle();
    const timer = this.earliest();
    if (!timer) return false;
    await this.advance(timer.at - this.time);
    return true;
  }

  /**
   * Runs the code under test until `done` holds, jumping from one sleeper to the next and giving real I/O
   * (loopback HTTP, say) a few real milliseconds in between. Virtual time runs as fast as the work allows.
   * Throws when `done` does not hold within `maxMs` of virtual time or 15 s of real time.
   */
  async runUntil(done: () => boolean | Promise<boolean>, maxMs = 3_600_000): Promise<void> {
    const limit = this.time + maxMs;
    const realDeadline = Date.now() + 15_000;
    while (!(await done())) {
      if (this.time > limit) throw new Error(`FakeClock.runUntil: not done after ${maxMs} ms of virtual time`);
      if (Date.now() > realDeadline) throw new Error("FakeClock.runUntil: not done after 15 s of real time");
      await new Promise<void>((resolve) => setTimeout(resolve, 2));
      await this.next();
    }
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best;
  }

  private wake(timer: Timer): void {
    this.timers = this.timers.filter((t) => t !== timer);
    this.time = Math.max(this.time, timer.at);
    timer.resolve();
  }
}
