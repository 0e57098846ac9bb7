import type { SentMessage } from "../../src/sandbox/fake-telegram/index.js";
import type { FakeClock } from "../support/fake-clock.js";
import { startTestBot, type TestBot } from "../support/harness.js";
import { OTHER_STORIES, REFERENCE_LINK, referenceArticleText } from "../support/reference-article.js";
import { current, ingest, press, send, USER } from "../commands/support.js";

export const CHANNEL = -1001234567890;
/** Someone not in ADMIN_IDS. */
export const STRANGER = 5151;

/**
 * The real bot with the engine running, USER an admin, a public channel @newsroom; with `stories`, the other stories
 * and the reference article (newest) stored; `env` adds to (or overrides) its environment.
 */
export async function startDesk(options: { clock?: FakeClock; stories?: boolean; env?: Record<string, string> } = {}): Promise<TestBot> {
  const t = await startTestBot({
    deliver: true,
    env: { ADMIN_IDS: String(USER), CHANNEL_ID: "@newsroom", ...options.env },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  t.fake.addChat({ id: CHANNEL, type: "channel", title: "News", username: "newsroom" });
  if (options.stories) {
    for (const [i, text] of OTHER_STORIES.entries()) await ingest(t, text, { hoursAgo: [2, 5, 30][i] ?? 1 });
    await ingest(t, referenceArticleText(), { link: REFERENCE_LINK });
  }
  return t;
}

export const channelPosts = (t: TestBot): SentMessage[] => t.fake.sent(CHANNEL);

/** Presses a button of the admin's and waits for the bot's next message to them. */
export async function pressForReply(t: TestBot, data: string): Promise<SentMessage> {
  const before = t.fake.sent(USER).length;
  await press(t, data);
  return (await t.fake.waitForSent(USER, before + 1))[before] as SentMessage;
}

/** Runs the fake clock until the live progress message reads "Published…"; returns it as it is then. */
export async function untilPublished(t: TestBot, clock: FakeClock, live: SentMessage): Promise<SentMessage> {
  await clock.runUntil(() => current(t, live).text.startsWith("Published"));
  return current(t, live);
}

/** A desk command (/push, /correct, /retract), then its first story picked: the preview message. */
export async function pickFirst(t: TestBot, command: string): Promise<SentMessage> {
  const pick = await send(t, command);
  return pressForReply(t, pick.buttons[0]?.[0]?.callbackData as string);
}
