import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeTelegram } from "../../src/sandbox/fake-telegram/index.js";
import { settle } from "../../src/sandbox/settle.js";
import { FakeClock, settle as flush } from "../support/fake-clock.js";

const QUIET = { quietMs: 400, maxMs: 15_000 };

describe("settle (the sandbox's wait for the bot's answer)", () => {
  let fake: FakeTelegram;
  let clock: FakeClock;
  beforeEach(async () => {
    fake = await FakeTelegram.start();
    clock = new FakeClock();
  });
  afterEach(() => fake.close());

  /** settle's promise, and whether it has resolved yet. */
  function start(signal = new AbortController().signal) {
    let done = false;
    const waiting = settle({ fake, clock, signal }, QUIET).then(() => (done = true));
    return { waiting, done: () => done };
  }

  it("waits on the clock for a quiet moment, and one more when the bot made a request during it", async () => {
    const run = start();
    await clock.advance(399);
    expect(run.done()).toBe(false);
    await fetch(`${fake.apiRoot}/bot${fake.token}/getMe`);
    await clock.advance(1);
    expect(run.done()).toBe(false);
    await clock.advance(400);
    expect(run.done()).toBe(true);
  });

  it("waits while an update is waiting for the bot, at most maxMs", async () => {
    fake.pushMessage({ userId: 1, text: "/latest" });
    const run = start();
    await clock.advance(14_800);
    expect(run.done()).toBe(false);
    await clock.advance(400);
    expect(run.done()).toBe(true);
  });

  it("returns at once when its signal aborts (SIGTERM), without the clock moving", async () => {
    const stop = new AbortController();
    const run = start(stop.signal);
    await flush();
    stop.abort();
    await run.waiting;
    expect(clock.pending).toBe(0);
  });
});
