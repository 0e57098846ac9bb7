import type { SentMessage } from "../../src/sandbox/fake-telegram/index.js";
import type { TestBot } from "../support/harness.js";

/** An editor in ADMIN_IDS, writing in the private chat with the bot. */
export const ADMIN = 7;

/** Sends a message as `userId` in the private chat with the bot, and waits for the bot's next message there. */
export async function sendAs(t: TestBot, userId: number, text: string): Promise<SentMessage> {
  const before = t.fake.sent(userId).length;
  t.fake.pushMessage({ userId, text });
  const sent = await t.fake.waitForSent(userId, before + 1);
  return sent[before] as SentMessage;
}

/** Presses a button of a message in `userId`'s private chat, and waits for the press to be answered. */
export async function pressAs(t: TestBot, userId: number, data: string, messageId?: number): Promise<string | undefined> {
  const before = t.fake.callbackAnswers.length;
  t.fake.pushCallbackQuery({ userId, data, chatId: userId, ...(messageId === undefined ? {} : { messageId }) });
  await t.fake.waitFor(() => t.fake.callbackAnswers.length > before);
  return (t.fake.callbackAnswers[before] as { text?: string }).text;
}
