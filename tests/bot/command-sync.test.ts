import { Api } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { syncCommandMenu } from "../../src/bot/command-sync.js";
import { captureLogger } from "../support/capture-logger.js";
import { FakeTelegram } from "../../src/sandbox/fake-telegram/index.js";

describe("syncCommandMenu", () => {
  let fake: FakeTelegram;
  afterEach(() => fake.close());

  it("is cut short by a stop signal while Telegram does not answer", async () => {
    fake = await FakeTelegram.start();
    const hang = fake.injectFault({ method: "setMyCommands", status: 0, description: "", hang: true });
    const api = new Api(fake.token, { apiRoot: fake.apiRoot });
    const stop = new AbortController();
    const menu = [{ command: "help", description: "lists the commands", scope: "everyone" as const }];
    const sync = syncCommandMenu(api, menu, [], captureLogger("info").logger, stop.signal);
    await fake.waitFor(() => hang.hits === 1);
    stop.abort();
    await expect(sync).rejects.toThrow();
    expect(hang.hits).toBe(1);
  });
});
