import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { queueDigest } from "../../src/delivery/digest.js";
import { loadTemplates } from "../../src/texts.js";
import { captureLogger } from "../support/capture-logger.js";
import { parseTelegramHtml } from "../support/fake-telegram/index.js";
import { storeText } from "../support/store-text.js";
import { makeTempStore } from "../support/temp-store.js";

const templates = loadTemplates();
const config = { channelId: "@newsdesk_test", schedule: { pollCron: "", postCron: "", digestCron: "0 18 * * *", timeZone: "UTC" } };

describe("the digest", () => {
  let temp: ReturnType<typeof makeTempStore>;
  beforeEach(() => (temp = makeTempStore()));
  afterEach(() => temp.dispose());

  const store = (text: string, link?: string) => storeText(temp.store, text, link ? { link } : {});

  it("queues the day's stories as one bulk channel post that Telegram accepts", async () => {
    await store("Quake shakes Lima & Cusco: 3 < 5\n\nA strong quake shook Lima on Monday.", "https://news.example/quake?a=1&b=2");
    await store(`${"Very long headline ".repeat(40)}\n\nBody text here, officials said.`);
    expect(await queueDigest({ store: temp.store, templates, config, logger: captureLogger().logger })).toBe(true);
    const [row] = await temp.store.outbox.ready(new Date(), 10);
    expect(row).toMatchObject({ kind: "digest", chatId: "@newsdesk_test", priority: 3 });
    const parsed = parseTelegramHtml(row!.payload.text);
    expect(parsed.ok, parsed.ok ? "" : parsed.description).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.text).toMatch(/^📰 The news of the day — \d+ \w+ \d{4}\n\n• /);
    expect(parsed.text).toContain("Quake shakes Lima & Cusco: 3 < 5 (Newsdesk)");
    expect(parsed.links).toEqual(["https://news.example/quake?a=1&b=2"]);
  });

  it("queues nothing without a channel or without stories", async () => {
    const logger = captureLogger().logger;
    expect(await queueDigest({ store: temp.store, templates, config, logger })).toBe(false);
    await store("Storm\n\nA storm hit, officials said.");
    expect(await queueDigest({ store: temp.store, templates, config: { ...config, channelId: undefined }, logger })).toBe(false);
    expect(await temp.store.outbox.ready(new Date(), 10)).toEqual([]);
  });
});
