import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { queueDigest } from "../../src/delivery/digest.js";
import { loadTemplates } from "../../src/texts.js";
import { captureLogger } from "../support/capture-logger.js";
import { FakeClock } from "../support/fake-clock.js";
import { parseTelegramHtml } from "../../src/sandbox/fake-telegram/index.js";
import { storeText } from "../support/store-text.js";
import { makeTempStore } from "../support/temp-store.js";

const templates = loadTemplates();
const config = { channelId: "@newsdesk_test", schedule: { pollCron: "", postCron: "", digestCron: "0 18 * * *", timeZone: "UTC" } };

describe("the digest", () => {
  let clock: FakeClock;
  let temp: ReturnType<typeof makeTempStore>;
  beforeEach(() => {
    clock = new FakeClock("2030-06-15T18:00:00Z");
    temp = makeTempStore(clock);
  });
  afterEach(() => temp.dispose());

  const store = (text: string, options: { link?: string; hoursAgo?: number } = {}) => storeText(temp.store, text, { ...options, clock });
  const due = () => temp.store.outbox.ready(new Date(clock.now()), 10);

  it("queues the day's stories as one bulk channel post that Telegram accepts", async () => {
    await store("Quake shakes Lima & Cusco: 3 < 5\n\nA strong quake shook Lima on Monday.", { link: "https://news.example/quake?a=1&b=2" });
    await store(`${"Very long headline ".repeat(40)}\n\nBody text here, officials said.`);
    expect(await queueDigest({ store: temp.store, templates, config, logger: captureLogger().logger, clock })).toBe(true);
    const [row] = await due();
    expect(row).toMatchObject({ kind: "digest", chatId: "@newsdesk_test", priority: 4 });
    const parsed = parseTelegramHtml(row!.payload.text);
    expect(parsed.ok, parsed.ok ? "" : parsed.description).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.text).toMatch(/^📰 The news of the day — 15 June 2030\n\n• /);
    expect(parsed.text).toContain("Quake shakes Lima & Cusco: 3 < 5 (news.example)");
    expect(parsed.text).toContain(" (Newsdesk)");
    expect(parsed.links).toEqual(["https://news.example/quake?a=1&b=2"]);
  });

  it("queues nothing without a channel or without stories of the last 24 hours by its clock", async () => {
    const logger = captureLogger().logger;
    expect(await queueDigest({ store: temp.store, templates, config, logger, clock })).toBe(false);
    await store("Storm\n\nA storm hit, officials said.", { hoursAgo: 25 });
    expect(await queueDigest({ store: temp.store, templates, config, logger, clock })).toBe(false);
    await store("Flood\n\nA flood hit, officials said.");
    expect(await queueDigest({ store: temp.store, templates, config: { ...config, channelId: undefined }, logger, clock })).toBe(false);
    expect(await due()).toEqual([]);
  });
});
