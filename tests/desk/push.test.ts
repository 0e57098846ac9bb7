import { afterEach, describe, expect, it } from "vitest";
import { renderArticleCard } from "../../src/format/card.js";
import { loadTemplates } from "../../src/texts.js";
import type { SentMessage } from "../support/fake-telegram/index.js";
import { startTestBot, type TestBot } from "../support/harness.js";
import { OTHER_STORIES, REFERENCE_LINK, referenceArticleText } from "../support/reference-article.js";
import { buttonData, ingest, press, send, USER } from "../commands/support.js";

const CHANNEL = -1001234567890;
const STRANGER = 5151;

/** The real bot with the engine running, USER an admin, a public channel @newsroom, and four stories stored. */
async function startDesk(): Promise<TestBot> {
  const t = await startTestBot({ deliver: true, env: { ADMIN_IDS: String(USER), CHANNEL_ID: "@newsroom" } });
  t.fake.addChat({ id: CHANNEL, type: "channel", title: "News", username: "newsroom" });
  for (const [i, text] of OTHER_STORIES.entries()) await ingest(t, text, { hoursAgo: [2, 5, 30][i] ?? 1 });
  await ingest(t, referenceArticleText(), { link: REFERENCE_LINK });
  return t;
}

/** /push, then the newest story picked: the preview message. */
async function pickNewest(t: TestBot): Promise<SentMessage> {
  const pick = await send(t, "/push");
  const first = pick.buttons[0]?.[0]?.callbackData as string;
  const before = t.fake.sent(USER).length;
  await press(t, first);
  return (await t.fake.waitForSent(USER, before + 1))[before] as SentMessage;
}

const channelPosts = (t: TestBot) => t.fake.sent(CHANNEL);

describe("/push", () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it("offers the newest stories, previews the exact channel card, and publishes it once, silently, ahead of the queue", async () => {
    t = await startDesk();
    const pick = await send(t, "/push");
    expect(pick.text).toBe("Push a story: pick one of the newest. /cancel leaves.");
    expect(pick.buttons.map((row) => row[0]?.text)).toHaveLength(4);
    expect(pick.buttons[0]?.[0]?.text).toMatch(/ — .+, /);

    const preview = await pickNewest(t);
    const [newest] = await t.store.articles.latest(1);
    const expectedCard = renderArticleCard(newest!, loadTemplates(), { timeZone: t.config.schedule.timeZone });
    expect(preview.params.text).toBe(expectedCard);

    const silentData = buttonData(preview, /Silent: off/) as string;
    await press(t, silentData, { messageId: preview.messageId });
    const toggled = t.fake.sent(USER).find((m) => m.messageId === preview.messageId) as SentMessage;
    expect(buttonData(toggled, /Silent: on/)).toBe(silentData);

    const publish = buttonData(toggled, /Publish to channel/) as string;
    await press(t, publish, { messageId: preview.messageId });
    await t.fake.waitFor(() => channelPosts(t!).length === 1);
    expect(channelPosts(t)[0]?.params.text).toBe(expectedCard);
    expect(channelPosts(t)[0]?.params.disable_notification).toBe(true);
    expect((await t.store.articles.get(newest!.id))?.releasedAt).toBeInstanceOf(Date);

    // The second press: already out, with a link to the post; still one post.
    const before = t.fake.sent(USER).length;
    await press(t, publish, { messageId: preview.messageId });
    const again = (await t.fake.waitForSent(USER, before + 1))[before] as SentMessage;
    expect(again.params.text).toBe(`Already out: <a href="https://t.me/newsroom/${channelPosts(t)[0]?.messageId}">the post</a>.`);
    expect(channelPosts(t)).toHaveLength(1);
    // Replays ran no side effect twice: one preview, one push row.
    expect(t.fake.sent(USER).filter((m) => m.params.text === expectedCard)).toHaveLength(1);
    expect((await t.store.outbox.counts(newest!.id)).sent).toBe(1);
  });
});
