import { Api } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiHealth, type ApiHealth } from "../../src/bot/api-health.js";
import { captureLogger } from "../support/capture-logger.js";
import { FakeClock } from "../support/fake-clock.js";
import { FakeTelegram } from "../../src/sandbox/fake-telegram/index.js";

describe("the Bot API outage log (apiHealth)", () => {
  let fake: FakeTelegram;
  let clock: FakeClock;
  let lines: Record<string, unknown>[];
  let api: Api;
  let engineApi: Api;
  let health: ApiHealth;

  beforeEach(async () => {
    fake = await FakeTelegram.start();
    clock = new FakeClock();
    const capture = captureLogger("info");
    lines = capture.lines;
    // One transformer shared by two Apis, as the bot's and the engine's are.
    health = apiHealth({ clock, logger: capture.logger });
    api = new Api(fake.token, { apiRoot: fake.apiRoot });
    engineApi = new Api(fake.token, { apiRoot: fake.apiRoot });
    api.config.use(health);
    engineApi.config.use(health);
  });

  afterEach(async () => {
    await fake.close();
  });

  const messages = () => lines.map((line) => line.msg);

  it("logs an outage once, however many requests meet it, and the recovery once, with its length", async () => {
    const outage = fake.injectFault({ method: "getMe", reset: true });
    await expect(api.getMe()).rejects.toThrow();
    await clock.advance(3_000);
    await expect(engineApi.getMe()).rejects.toThrow();
    await expect(api.getMe()).rejects.toThrow();
    expect(outage.hits).toBe(3);
    expect(messages()).toEqual(["lost contact with the Bot API: ECONNRESET; retrying"]);

    outage.remove();
    await clock.advance(9_000);
    await engineApi.getMe();
    await api.getMe();
    expect(messages()).toEqual(["lost contact with the Bot API: ECONNRESET; retrying", "reached the Bot API again after 12 s"]);
  });

  it("counts a refusal from Telegram as contact, and says nothing while all is well", async () => {
    await api.getMe();
    const outage = fake.injectFault({ method: "getMe", reset: true, times: 1 });
    await expect(api.getMe()).rejects.toThrow();
    expect(outage.hits).toBe(1);
    await expect(api.sendMessage(404, "to nobody")).rejects.toThrow(/chat not found/);
    await api.getMe();
    expect(messages()).toEqual(["lost contact with the Bot API: ECONNRESET; retrying", "reached the Bot API again after 0 s"]);
  });

  it("does not count a request its caller aborted (a stop) as an outage", async () => {
    const hang = fake.injectFault({ method: "getUpdates", status: 0, description: "", hang: true });
    const stop = new AbortController();
    // grammY types its signal with the abort-controller polyfill; the runtime object is the same.
    const polling = api.getUpdates({ timeout: 30 }, stop.signal as Parameters<Api["getUpdates"]>[1]);
    await fake.waitFor(() => hang.hits === 1);
    stop.abort();
    await expect(polling).rejects.toThrow();
    await api.getMe();
    expect(messages()).toEqual([]);
  });

  it("knows when the Bot API last answered (a refusal included) and since when it has not been reached", async () => {
    expect(health.lastAnsweredAt()).toBeUndefined();
    const start = clock.now();
    await api.getMe();
    expect(health.lastAnsweredAt()).toBe(start);
    await clock.advance(5_000);
    await expect(engineApi.sendMessage(404, "to nobody")).rejects.toThrow(/chat not found/);
    expect(health.lastAnsweredAt()).toBe(start + 5_000);

    const outage = fake.injectFault({ method: "getMe", reset: true });
    await clock.advance(1_000);
    await expect(api.getMe()).rejects.toThrow();
    await clock.advance(1_000);
    await expect(api.getMe()).rejects.toThrow();
    expect(health.lostSince()).toBe(start + 6_000);
    expect(health.lastAnsweredAt()).toBe(start + 5_000);

    outage.remove();
    await api.getMe();
    expect(health.lostSince()).toBeUndefined();
    expect(health.lastAnsweredAt()).toBe(start + 7_000);
  });
});
