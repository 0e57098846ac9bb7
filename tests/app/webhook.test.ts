import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeTelegram } from "../support/fake-telegram/index.js";
import { startAppAgainst, type AppUnderTest } from "./start-app.js";

const USER = 77;
const SECRET = "s3cret";

function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Posts an update to the app's webhook as Telegram would, with the secret. */
function postUpdate(port: number, text: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
    body: JSON.stringify({
      update_id: 1,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: USER, type: "private", first_name: "W" },
        from: { id: USER, is_bot: false, first_name: "W" },
        text,
        entities: [{ type: "bot_command", offset: 0, length: text.length }],
      },
    }),
  });
}

describe("webhook mode", () => {
  let fake: FakeTelegram | undefined;
  let t: AppUnderTest | undefined;
  let port: number;
  beforeEach(async () => {
    fake = await FakeTelegram.start();
    fake.addChat({ id: USER, type: "private" });
    port = await freePort();
    t = await startAppAgainst(fake, {
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://bot.example/telegram",
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
    });
  });
  afterEach(async () => {
    await t?.stop();
    await fake?.close();
    t = fake = undefined;
  });

  it("hands a failing handler to the one error boundary, as polling does, and answers Telegram 200 (no resend)", async () => {
    fake!.injectFault({ method: "sendMessage", status: 403, description: "Forbidden: bot was blocked by the user", times: 1 });
    expect((await postUpdate(port, "/help")).status).toBe(200);
    await expect.poll(() => t!.logs.map((line) => line.msg)).toContain("chat cannot be reached; marking it blocked");
    expect(t!.logs.map((line) => line.msg)).not.toContain("webhook update failed");
  });

  it("stops within the 9 s budget while a handler hangs: Telegram gets its answer, the handler is given up", async () => {
    const hang = fake!.injectFault({ method: "sendMessage", status: 0, description: "", hang: true });
    const answered = postUpdate(port, "/help");
    await fake!.waitFor(() => hang.hits === 1);

    const stoppedAt = Date.now();
    await t!.stop();
    // The process forces exit 1 after 9 s; the old code waited for grammY's 10 s handler timeout.
    expect(Date.now() - stoppedAt).toBeLessThan(9_000);
    expect((await answered).status).toBe(200);
    expect(t!.logs.map((line) => line.msg)).toContain("webhook handlers still running at stop; stopping anyway");
  });
});
