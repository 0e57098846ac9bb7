import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../support/fake-clock.js";
import { startTestBot, type TestBot } from "../support/harness.js";
import { ingest, send } from "./support.js";

/** Commands read the time from the bot's clock (ctx.services.clock), as the rest of the bot does. */
describe("the bot's clock in commands", () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it("/latest gives ages by the bot's clock", async () => {
    const clock = new FakeClock("2030-06-15T12:00:00Z");
    t = await startTestBot({ clock });
    await ingest(t, "Storm closes ports in Norway\n\nA winter storm closed three ports, the coast guard said.", { hoursAgo: 3 });
    await ingest(t, "Central bank holds rates\n\nThe central bank kept interest rates unchanged, officials said.");
    expect((await send(t, "/latest 2")).text).toMatch(/• Storm closes ports in Norway — Newsdesk, 3 h ago$/);
    await clock.advance(2 * 3_600_000);
    expect((await send(t, "/latest 2")).text).toMatch(/• Storm closes ports in Norway — Newsdesk, 5 h ago$/);
  });

  it("/topic keeps its suggestions for a minute of the bot's clock, then counts again", async () => {
    const clock = new FakeClock("2030-06-15T12:00:00Z");
    t = await startTestBot({ clock });
    await t.store.chats.recordStart({ id: 77, kind: "private" });
    await t.store.subscriptions.follow(77, "volcanoes", 50);
    expect((await send(t, "/topic harbour")).text).toMatch(/Popular topics:\n• volcanoes$/);

    for (const id of [78, 79]) {
      await t.store.chats.recordStart({ id, kind: "private" });
      await t.store.subscriptions.follow(id, "harbour", 50);
    }
    await clock.advance(30_000);
    expect((await send(t, "/topic harbour")).text).toMatch(/Popular topics:\n• volcanoes$/);
    await clock.advance(31_000);
    expect((await send(t, "/topic harbour")).text).toMatch(/Popular topics:\n• harbour\n• volcanoes$/);
  });
});
