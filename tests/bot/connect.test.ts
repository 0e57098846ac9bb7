import { Api } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { connectToBotApi } from "../../src/bot/connect.js";
import { FatalError } from "../../src/fatal-error.js";
import { captureLogger } from "../support/capture-logger.js";
import { FakeClock } from "../support/fake-clock.js";
import { FakeTelegram } from "../../src/sandbox/fake-telegram/index.js";

/**
 * The bounded getMe at start, with a real Api against the fake Telegram server. Time moves only when the test
 * moves it, once the try before has visibly ended (its log line), so that no try is timed out by accident.
 */
describe("connectToBotApi", () => {
  let fake: FakeTelegram;
  afterEach(async () => {
    await fake.close();
  });

  function connect(options: { token?: string; signal?: AbortSignal } = {}) {
    const clock = new FakeClock();
    const start = clock.now();
    const { logger, lines } = captureLogger("info");
    const api = new Api(options.token ?? fake.token, { apiRoot: fake.apiRoot });
    const triedAt: number[] = [];
    // Records when each getMe leaves, in virtual time.
    api.config.use((prev, method, payload, signal) => {
      triedAt.push(clock.now() - start);
      return prev(method, payload, signal);
    });
    const outcome = connectToBotApi({ api, apiRoot: fake.apiRoot, clock, logger, signal: options.signal }).then(
      (me) => ({ me, error: undefined }),
      (error: unknown) => ({ me: undefined, error }),
    );
    const tries = () => lines.filter((line) => String(line.msg).startsWith("could not reach the Bot API"));
    /** Waits (in real time, briefly) for the n-th try's log line, then moves the clock by `ms`. */
    const afterTry = async (n: number, ms: number) => {
      await expect.poll(() => tries().length).toBe(n);
      await clock.advance(ms);
    };
    return { outcome, triedAt, tries, afterTry, clock };
  }

  it("tries 3 times, 5 s apart, logs each try, then fails with where it looked", async () => {
    fake = await FakeTelegram.start();
    fake.injectFault({ method: "getMe", reset: true });
    const run = connect();
    await run.afterTry(1, 5_000);
    await run.afterTry(2, 5_000);
    const { me, error } = await run.outcome;

    expect(me).toBeUndefined();
    expect(error).toBeInstanceOf(FatalError);
    expect((error as Error).message).toBe(`Could not reach the Bot API at ${fake.apiRoot}. Check the network or TELEGRAM_API_ROOT.`);
    expect(run.triedAt).toEqual([0, 5_000, 10_000]);
    expect(run.tries().map((line) => line.msg)).toEqual([
      "could not reach the Bot API (try 1 of 3): ECONNRESET; trying again in 5 s",
      "could not reach the Bot API (try 2 of 3): ECONNRESET; trying again in 5 s",
      "could not reach the Bot API (try 3 of 3): ECONNRESET",
    ]);
  });

  it("returns the bot's identity from the first try that gets through", async () => {
    fake = await FakeTelegram.start();
    fake.injectFault({ method: "getMe", reset: true, times: 2 });
    const run = connect();
    await run.afterTry(1, 5_000);
    await run.afterTry(2, 5_000);
    const { me, error } = await run.outcome;

    expect(error).toBeUndefined();
    expect(me).toEqual(fake.botInfo);
    expect(run.triedAt).toEqual([0, 5_000, 10_000]);
    expect(run.tries()).toHaveLength(2);
  });

  it("gives up a try that gets no answer after 5 s on the clock", async () => {
    fake = await FakeTelegram.start();
    const hang = fake.injectFault({ method: "getMe", status: 0, description: "", hang: true, times: 1 });
    const run = connect();
    await fake.waitFor(() => hang.hits === 1);
    await run.clock.advance(5_000);
    await run.afterTry(1, 5_000);
    const { me } = await run.outcome;

    expect(me).toEqual(fake.botInfo);
    expect(run.triedAt).toEqual([0, 10_000]);
    expect(run.tries().map((line) => line.msg)).toEqual([
      "could not reach the Bot API (try 1 of 3): no answer within 5 s; trying again in 5 s",
    ]);
  });

  it("fails at once when Telegram rejects the token", async () => {
    fake = await FakeTelegram.start();
    const run = connect({ token: "999999:WRONG-TOKEN" });
    const { error } = await run.outcome;

    expect(error).toBeInstanceOf(FatalError);
    expect((error as Error).message).toMatch(/^Telegram rejected BOT_TOKEN \(401 Unauthorized\)/);
    expect(run.triedAt).toEqual([0]);
    expect(run.tries()).toEqual([]);
  });

  it("stops trying when the stop signal comes during a wait", async () => {
    fake = await FakeTelegram.start();
    fake.injectFault({ method: "getMe", reset: true });
    const stop = new AbortController();
    const run = connect({ signal: stop.signal });
    await expect.poll(() => run.tries().length).toBe(1);
    stop.abort();
    const { error } = await run.outcome;

    expect((error as Error).name).toBe("AbortError");
    expect(run.triedAt).toEqual([0]);
    expect(run.clock.pending).toBe(0);
  });
});
