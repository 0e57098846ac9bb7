import { Api, GrammyError, HttpError } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FatalError } from "../src/fatal-error.js";
import { classifySendError, describeError, explainTelegramRefusal, isUnreachableChat, type SendFailure } from "../src/telegram-errors.js";
import { FakeTelegram } from "../src/sandbox/fake-telegram/index.js";

const READER = 4242;

describe("Telegram's errors", () => {
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

  /** The error grammY throws for getMe through `through`, when the network fails. */
  async function networkFailure(through: Api): Promise<HttpError> {
    const error = await through.getMe().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpError);
    return error as HttpError;
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
    expect(describeError(error)).toBe(`${status} ${description}`);
  });

  it("names 401 and 409 as the line that stops Newsdesk, and nothing else", async () => {
    expect(explainTelegramRefusal(await refusal(401, "Unauthorized"))?.message).toMatch(
      /^Telegram rejected BOT_TOKEN \(401 Unauthorized\)/,
    );
    const conflict = explainTelegramRefusal(await refusal(409, "Conflict: terminated by other getUpdates request"));
    expect(conflict).toBeInstanceOf(FatalError);
    expect(conflict?.message).toMatch(/^Another process is polling Telegram with this BOT_TOKEN \(409 Conflict\)/);
    expect(explainTelegramRefusal(await refusal(409, "Conflict: can't use getUpdates method while webhook is active"))?.message).toMatch(
      /^A webhook was set for this BOT_TOKEN while polling/,
    );
    expect(explainTelegramRefusal(await refusal(500, "Internal Server Error"))).toBeUndefined();
    expect(explainTelegramRefusal(new Error("plain"))).toBeUndefined();
  });

  it("describes a network failure by its reason, never by the request URL that holds the token", async () => {
    fake.injectFault({ method: "getMe", reset: true, times: 1 });
    const reset = await networkFailure(api);
    const refused = await networkFailure(new Api(fake.token, { apiRoot: "http://127.0.0.1:1" })); // nothing listens on port 1
    expect(classifySendError(reset)).toBe("transient");
    expect(describeError(reset)).toBe("ECONNRESET");
    expect(describeError(refused)).toBe("ECONNREFUSED");
    // The cause's own text names the URL, token and all: that is what describeError leaves out.
    expect(String(refused.error)).toContain(fake.token);
    expect(describeError(refused)).not.toContain(fake.token);
  });

  it("describes grammY's own request timeout by how long it waited", async () => {
    // grammY's timeout runs on real time: 1 s, the shortest it takes.
    fake.injectFault({ method: "getMe", status: 0, description: "", hang: true, times: 1 });
    const timedOut = await networkFailure(new Api(fake.token, { apiRoot: fake.apiRoot, timeoutSeconds: 1 }));
    expect(describeError(timedOut)).toBe("no answer within 1 s");
  });

  it("describes any other error by its message", () => {
    expect(describeError(new Error("disk I/O error"))).toBe("disk I/O error");
    expect(describeError("odd")).toBe("odd");
  });
});
