import { Api, GrammyError, HttpError } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { networkRetry } from "../../src/bot/network-retry.js";
import { FakeClock } from "../support/fake-clock.js";
import { FakeTelegram } from "../../src/sandbox/fake-telegram/index.js";

/** The bounded network retry of the bot's requests, on a real Api against the fake server and a fake clock. */
describe("networkRetry", () => {
  let fake: FakeTelegram;
  let clock: FakeClock;
  let api: Api;
  beforeEach(async () => {
    fake = await FakeTelegram.start();
    clock = new FakeClock();
    api = new Api(fake.token, { apiRoot: fake.apiRoot });
    api.config.use(networkRetry(clock));
  });
  afterEach(() => fake.close());

  /** Runs `request` to its end on the fake clock; its error, or undefined. */
  async function outcome(request: Promise<unknown>): Promise<unknown> {
    let error: unknown;
    let done = false;
    void request.then(
      () => (done = true),
      (e: unknown) => ((error = e), (done = true)),
    );
    await clock.runUntil(() => done);
    return error;
  }

  it("tries a request that met the network twice more, 1 s and then 2 s later, and then lets the error through", async () => {
    const outage = fake.injectFault({ method: "getMe", reset: true });
    const start = clock.now();
    expect(await outcome(api.getMe())).toBeInstanceOf(HttpError);
    expect(outage.hits).toBe(3);
    expect(clock.now() - start).toBe(3_000);
  });

  it("leaves getUpdates to polling, which retries it itself", async () => {
    const outage = fake.injectFault({ method: "getUpdates", reset: true });
    expect(await outcome(api.getUpdates({ timeout: 0 }))).toBeInstanceOf(HttpError);
    expect(outage.hits).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it("does not try again a request its caller aborted, nor wait on after the abort", async () => {
    const hang = fake.injectFault({ method: "getMe", status: 0, description: "", hang: true });
    const stop = new AbortController();
    // grammY types its signal with the abort-controller polyfill; the runtime object is the same.
    const request = api.getMe(stop.signal as Parameters<Api["getMe"]>[0]);
    await fake.waitFor(() => hang.hits === 1);
    stop.abort();
    expect(await outcome(request)).toBeInstanceOf(HttpError);
    expect(hang.hits).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it("stops waiting for the next try when its caller aborts in between", async () => {
    const outage = fake.injectFault({ method: "getMe", reset: true });
    const stop = new AbortController();
    const request = api.getMe(stop.signal as Parameters<Api["getMe"]>[0]);
    await fake.waitFor(() => outage.hits === 1);
    await expect.poll(() => clock.pending).toBe(1);
    stop.abort();
    expect(await outcome(request)).toBeInstanceOf(HttpError);
    expect(outage.hits).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it("passes Telegram's refusals through at once: they are not the network's", async () => {
    const refusal = fake.injectFault({ method: "getMe", status: 502, description: "Bad Gateway" });
    expect(await outcome(api.getMe())).toBeInstanceOf(GrammyError);
    expect(refusal.hits).toBe(1);
  });
});
