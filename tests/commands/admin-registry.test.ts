import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commandRegistry } from "../../commands/index.js";
import type { TestBot } from "../support/harness.js";
import { pressAs, sendAs } from "./admin-support.js";
import { CHANNEL, STRANGER, startDesk } from "../desk/desk-support.js";
import { ingest } from "./support.js";
import { referenceArticleText } from "../support/reference-article.js";

const REFUSAL = "This is for the newsroom's editors.";
const NOT_FOR_YOU = "This button is not for you.";

/** One press of every kind of admin button: the desk's, /schedule's and /feeds'. */
const ADMIN_BUTTONS = [
  ...["1:d:a:1", "1:d:f", "1:d:p:1:0", "1:d:q:1:1", "1:d:s", "1:d:h", "1:d:m", "1:d:x", "1:d:d", "1:d:c:1"],
  ...["1:p:1", "1:k:1"],
  ...["1:e:p:1", "1:e:r:1", "1:e:x:1", "1:e:y:1", "1:e:l:1"],
];

/** Whatever an admin command could change or reveal: the feeds, the article, the outbox, the channel. */
async function snapshot(t: TestBot) {
  return {
    feeds: await t.store.feeds.list(),
    article: await t.store.articles.get(1),
    outbox: await t.store.outbox.counts(),
    channel: t.fake.sent(CHANNEL).length,
  };
}

describe("the registry's admin commands, for someone not in ADMIN_IDS", () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await startDesk({ env: { FEEDS: "https://feeds.example/rss", POST_CRON: "0 0 1 1 *" } });
    await ingest(t, referenceArticleText());
    expect(await t.store.articles.queue(1)).toBe("queued");
  });
  afterEach(() => t.stop());

  it("refuses every one, with an argument or without, and changes nothing", async () => {
    const before = await snapshot(t);
    const admin = commandRegistry.filter((entry) => entry.scope === "admins").map((entry) => entry.command);
    expect(admin).toEqual(expect.arrayContaining(["push", "post", "correct", "retract", "import", "feeds", "addfeed", "export"]));
    for (const command of admin) {
      expect((await sendAs(t, STRANGER, `/${command}`)).text, `/${command}`).toBe(REFUSAL);
      expect((await sendAs(t, STRANGER, `/${command} https://evil.example/rss 1`)).text, `/${command} with an argument`).toBe(REFUSAL);
    }
    expect(await snapshot(t)).toEqual(before);
  });

  it("answers every admin button 'not for you' and changes nothing", async () => {
    const before = await snapshot(t);
    for (const data of ADMIN_BUTTONS) {
      // Each of them is an admin's: some registry row of scope "admins" claims it.
      expect(
        commandRegistry.some((entry) => entry.scope === "admins" && entry.buttons?.(data)),
        data,
      ).toBe(true);
      expect(await pressAs(t, STRANGER, data), data).toBe(NOT_FOR_YOU);
    }
    expect(await snapshot(t)).toEqual(before);
  });
});
