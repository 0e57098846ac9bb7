import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { alertsFor } from "../../src/delivery/followers.js";
import { articleMatches } from "../../src/search/index.js";
import type { StoredArticle } from "../../src/store/index.js";
import { loadAliasMap } from "../../src/topics/index.js";
import { referenceArticleText } from "../support/reference-article.js";
import { storeText } from "../support/store-text.js";
import { makeTempStore } from "../support/temp-store.js";

const aliases = loadAliasMap();
const TOPICS = [
  "xinjiang",
  "uyghur",
  "forced labour",
  "international criminal court",
  "embassies",
  "china",
  "uk",
  "france",
  "beijing",
  "volcano",
  "scooter",
  "e-scooter",
  "mid-year flu",
  "flu",
  "o'brien",
  "brien",
  "新疆",
  "human rights",
  "kabul",
  "labour rights",
];

describe("finding the followers of an article", () => {
  let temp: ReturnType<typeof makeTempStore>;
  let reference: StoredArticle;
  let scooters: StoredArticle;
  beforeEach(async () => {
    temp = makeTempStore();
    reference = (await storeText(temp.store, referenceArticleText())).article;
    scooters = (
      await storeText(
        temp.store,
        "E-scooter injuries rise\n\nHospitals counted more e-scooter injuries and mid-year flu cases, Dr O'Brien said.",
      )
    ).article;
    for (const [index, topic] of TOPICS.entries()) {
      await temp.store.chats.recordStart({ id: 1000 + index, kind: "private" });
      await temp.store.subscriptions.follow(1000 + index, topic, 50);
    }
  });
  afterEach(() => temp.dispose());

  it.each([
    ["the reference article", () => reference],
    ["hyphens and apostrophes", () => scooters],
  ])("agrees with the search for every followed topic (%s)", async (_name, article) => {
    const alerted = new Set((await alertsFor(article(), temp.store, aliases)).map((alert) => alert.topic));
    const expected = new Set<string>();
    for (const topic of TOPICS) if (await articleMatches(temp.store, aliases, article().id, topic)) expected.add(topic);
    expect([...alerted].sort()).toEqual([...expected].sort());
    expect(expected.size).toBeGreaterThan(3);
  });

  it("alerts one follower once, with the topic that matched, and skips blocked and group chats", async () => {
    await temp.store.subscriptions.follow(1000, "uyghur", 50); // 1000 follows xinjiang and uyghur
    await temp.store.chats.markBlocked(1001);
    await temp.store.chats.recordStart({ id: -500, kind: "group" });
    await temp.store.subscriptions.follow(-500, "xinjiang", 50);
    const alerts = await alertsFor(reference, temp.store, aliases);
    expect(alerts.filter((a) => a.chatId === 1000)).toHaveLength(1);
    expect(alerts.find((a) => a.chatId === 1001)).toBeUndefined();
    expect(alerts.find((a) => a.chatId === -500)).toBeUndefined();
  });
});
