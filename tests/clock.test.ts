import { describe, expect, it } from "vitest";
import { raceSleep } from "../src/clock.js";
import { FakeClock } from "./support/fake-clock.js";

/** A promise the test settles by hand. */
function deferred(): { promise: Promise<string>; resolve: (value: string) => void; reject: (error: Error) => void } {
  let resolve!: (value: string) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("raceSleep", () => {
  it("is true when the work settles first, and leaves no sleeper behind to move the clock", async () => {
    const clock = new FakeClock(0);
    const work = deferred();
    const race = raceSleep(clock, 5_000, work.promise);
    await clock.advance(1_000);
    work.resolve("done");
    expect(await race).toBe(true);
    expect(clock.pending).toBe(0);
    expect(clock.now()).toBe(1_000);
  });

  it("counts a rejection as settling, and leaves the rejection to the caller's own await", async () => {
    const clock = new FakeClock(0);
    const work = deferred();
    const race = raceSleep(clock, 5_000, work.promise);
    work.reject(new Error("refused"));
    expect(await race).toBe(true);
    await expect(work.promise).rejects.toThrow("refused");
    expect(clock.pending).toBe(0);
  });

  it("is false when the time runs out first, exactly then, with the work still running", async () => {
    const clock = new FakeClock(0);
    const work = deferred();
    let outcome: boolean | undefined;
    void raceSleep(clock, 5_000, work.promise).then((inTime) => (outcome = inTime));
    await clock.advance(4_999);
    expect(outcome).toBeUndefined();
    await clock.advance(1);
    expect(outcome).toBe(false);
  });

  it("is false when the signal cuts the wait short, before the time is up", async () => {
    const clock = new FakeClock(0);
    const cut = new AbortController();
    const race = raceSleep(clock, 5_000, deferred().promise, cut.signal);
    await clock.advance(1_000);
    cut.abort();
    expect(await race).toBe(false);
    expect(clock.pending).toBe(0);
    expect(clock.now()).toBe(1_000);
  });
});
