import type { SentMessage } from "../../src/sandbox/fake-telegram/index.js";
import { startTestBot, type TestBot } from "../support/harness.js";
import { storeText } from "../support/store-text.js";
import { OTHER_STORIES, REFERENCE_LINK, referenceArticleText } from "../support/reference-article.js";

export const USER = 4242;

export function ingest(t: TestBot, text: string, options: { link?: string; hoursAgo?: number } = {}) {
  return storeText(t.store, text, { ...options, clock: t.clock });
}

/** A bot with the reference article (newest) and the other stories (2, 5 and 30 hours old) stored. */
export async function startNewsBot(): Promise<TestBot> {
  const t = await startTestBot();
  for (const [i, text] of OTHER_STORIES.entries()) await ingest(t, text, { hoursAgo: [2, 5, 30][i] ?? 1 });
  await ingest(t, referenceArticleText(), { link: REFERENCE_LINK });
  return t;
}

/** Sends a message as a user and waits for the bot's next message to that chat. */
export async function send(
  t: TestBot,
  text: string,
  chat: { chatId?: number; chatType?: "group" | "supergroup" } = {},
): Promise<SentMessage> {
  const chatId = chat.chatId ?? USER;
  const before = t.fake.sent(chatId).length;
  t.fake.pushMessage({ userId: USER, text, ...chat });
  const sent = await t.fake.waitForSent(chatId, before + 1);
  return sent[before] as SentMessage;
}

/** Presses a button (by its data) on a message, and waits for the press to be answered. */
export async function press(t: TestBot, data: string, options: { messageId?: number; chatId?: number } = {}) {
  const before = t.fake.callbackAnswers.length;
  t.fake.pushCallbackQuery({ userId: USER, data, ...options });
  await t.fake.waitFor(() => t.fake.callbackAnswers.length > before);
  return t.fake.callbackAnswers[before] as { text?: string; callback_query_id: string };
}

/** The callback data of the button whose label matches. */
export function buttonData(message: SentMessage | undefined, label: RegExp): string | undefined {
  return message?.buttons.flat().find((b) => label.test(b.text))?.callbackData;
}

/** The current version of a message (edits change it in place). */
export function current(t: TestBot, message: SentMessage, chatId = USER): SentMessage {
  return t.fake.sent(chatId).find((m) => m.messageId === message.messageId) as SentMessage;
}
