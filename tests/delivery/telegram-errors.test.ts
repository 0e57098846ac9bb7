import { Api, GrammyError } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { classifySendError, isUnreachableChat, type SendFailure } from "../../src/delivery/telegram-errors.js";
import { FakeTelegram } from "../support/fake-telegram/index.js";

const READER = 4242;

describe("what a failed send means", () => {
  let fake: FakeTelegram;
  let api: Api;
  beforeEach(async () => {
    fake = await FakeTelegram.start();
    fake.addChat({ id: READER, type: "private" });
    api = new Api(fake.token, { apiRoot: fake.apiRoot });
  });
  afterEach(() => fake.close());

  /** The error grammY throws for sendMessage when Telegram answers `status description`. */
  async function refusal(status: number, description: string): Promise<GrammyError> {
    fake.injectFault({ method: "sendMessage", status, description, times: 1, ...(status === 429 ? { retryAfter: 1 } : {}) });
    const error = await api.sendMessage(READER, "hello").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GrammyError);
    return error as GrammyError;
  }

  it.each<[number, string, SendFailure]>([
    [403, "Forbidden: bot was blocked by the user", "unreachable"],
    [403, "Forbidden: user is deactivated", "unreachable"],
    [403, "Forbidden: bot was kicked from the supergroup chat", "unreachable"],
    [400, "Bad Request: chat not found", "unreachable"],
    [400, 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0', "rejected"],
    [400, "Bad Request: message is too long", "rejected"],
    [429, "Too Many Requests: retry after 1", "transient"],
    [500, "Internal Server Error", "transient"],
    [502, "Bad Gateway", "transient"],
  ])("%i %s → %s, decided the same way by the engine and the bot's error boundary", async (status, description, expected) => {
    const error = await refusal(status, description);
    expect(classifySendError(error)).toBe(expected);
    expect(isUnreachableChat(error)).toBe(expected === "unreachable");
  });
});
