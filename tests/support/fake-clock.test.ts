import { describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { FakeClock } from "./fake-clock.js";

describe("FakeClock", () => {
  it("wakes sleepers in deadline order as time advances, and not before", async () => {
    const clock = new FakeClock(0);
    const woke: string[] = [];
    void clock.sleep(300).then(() => woke.push(`b@${clock.now()}`));
    void clock.sleep(100).then(() => woke.push(`a@${clock.now()}`));
    await clock.advance(99);
    expect(woke).toEqual([]);
    await clock.advance(500);
    expect(woke).toEqual(["a@100", "b@300"]);
    expect(clock.now()).toBe(599);
  });

  it("a sleeper that sleeps again within the same advance wakes again at its new deadline", async () => {
    const clock = new FakeClock(0);
    const ticks: number[] = [];
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(1_000);
        ticks.push(clock.now());
      }
    })();
    await clock.advance(10_000);
    expect(ticks).toEqual([1_000, 2_000, 3_000]);
  });

  it("an aborted sleep resolves at once and leaves no timer behind", async () => {
    const clock = new FakeClock(0);
    const abort = new AbortController();
    const sleeping = clock.sleep(60_000, abort.signal);
    expect(clock.pending).toBe(1);
    abort.abort();
    await sleeping;
    expect(clock.pending).toBe(0);
    expect(clock.now()).toBe(0);
  });

  it("runUntil jumps from sleeper to sleeper until the condition holds", async () => {
    const clock = new FakeClock(0);
    let count = 0;
    void (async () => {
      while (count < 5) {
        await clock.sleep(60_000);
        count++;
      }
    })();
    await clock.runUntil(() => count === 5);
    expect(clock.now()).toBe(300_000);
  });

  it("the system clock's sleep also ends early on abort", async () => {
    const abort = new AbortController();
    const sleeping = systemClock.sleep(60_000, abort.signal);
    abort.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });
});
