import { afterEach, describe, expect, it } from "vitest";
import { checkHealth, TELEGRAM_SILENCE_LIMIT_MS, type HealthDeps } from "../../src/ops/health.js";
import { opsRoutes, startOpsServer } from "../../src/ops/http.js";
import { createMetrics } from "../../src/ops/metrics.js";
import { captureLogger } from "../support/capture-logger.js";
import { FakeClock } from "../support/fake-clock.js";
import { freePort } from "../support/free-port.js";
import { makeTempStore } from "../support/temp-store.js";

describe("/healthz and /metrics", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A real store, Telegram last answered at the clock's start, the engine running; `overrides` change one part. */
  const setUp = (overrides: Partial<HealthDeps> = {}) => {
    const clock = new FakeClock();
    const temp = makeTempStore(clock);
    cleanups.push(temp.dispose);
    const answeredAt = clock.now();
    const deps: HealthDeps = {
      store: temp.store,
      telegram: { lastAnsweredAt: () => answeredAt, lostSince: () => undefined },
      engineRunning: () => true,
      clock,
      ...overrides,
    };
    return { clock, store: temp.store, deps };
  };

  it("is ok while the database answers, Telegram answered and the engine runs", async () => {
    const { clock, deps } = setUp();
    await clock.advance(3_000_000); // a webhook bot with nothing to send asks Telegram nothing, for as long as it likes
    expect(await checkHealth(deps)).toEqual({
      status: "ok",
      reasons: [],
      database: "ok",
      telegramAnsweredSecondsAgo: 3000,
      engine: "running",
      outboxPending: 0,
    });
  });

  it("fails with the reason when the store is closed", async () => {
    const { store, deps } = setUp();
    await store.close();
    expect(await checkHealth(deps)).toEqual({
      status: "failing",
      reasons: ["the database does not answer: The database connection is not open"],
      database: "failing",
      telegramAnsweredSecondsAgo: 0,
      engine: "running",
      outboxPending: null,
    });
  });

  it("fails once requests have not reached Telegram for the limit, and when the engine stopped", async () => {
    const clock = new FakeClock();
    const lostAt = clock.now();
    const { deps } = setUp({
      clock,
      telegram: { lastAnsweredAt: () => lostAt - 1_000, lostSince: () => lostAt },
      engineRunning: () => false,
    });
    await clock.advance(TELEGRAM_SILENCE_LIMIT_MS - 1_000);
    expect((await checkHealth(deps)).reasons).toEqual(["the delivery engine is not running"]);
    await clock.advance(1_000);
    expect((await checkHealth(deps)).reasons).toEqual(["the Bot API has not answered for 120 s", "the delivery engine is not running"]);
  });

  it("answers 503 over HTTP when the store is closed: /healthz with its reasons, /metrics as unavailable", async () => {
    const { store, deps } = setUp();
    const metrics = createMetrics(store.outbox);
    const { logger, lines } = captureLogger("info");
    const port = await freePort();
    const server = await startOpsServer(
      { host: "127.0.0.1", port },
      opsRoutes(() => checkHealth(deps), metrics.registry, logger),
      logger,
      () => {},
    );
    cleanups.push(() => server.stop());
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);

    await store.close();
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: "failing", database: "failing" });
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(503);
    expect(lines.map((line) => line.msg)).toContain("could not answer a health or metrics request");
  });
});
