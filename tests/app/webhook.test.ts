import { describe, expect, it } from "vitest";
import type { Clock } from "../../src/clock.js";
import { FakeClock } from "../support/fake-clock.js";
import { freePort } from "../support/free-port.js";
import { useAppBed } from "./start-app.js";

const USER = 77;
const SECRET = "s3cret";

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
  const bed = useAppBed();
  const startWebhookApp = async (clock?: Clock) => {
    const fake = await bed.fakeTelegram();
    fake.addChat({ id: USER, type: "private" });
    const port = await freePort();
    const env = { BOT_MODE: "webhook", WEBHOOK_URL: "https://bot.example/telegram", WEBHOOK_SECRET: SECRET, PORT: String(port) };
    return { fake, port, t: await bed.startApp(fake, env, clock) };
  };

  it("hands a failing handler to the one error boundary, as polling does, and answers Telegram 200 (no resend)", async () => {
    const { fake, port, t } = await startWebhookApp();
    fake.injectFault({ method: "sendMessage", status: 403, description: "Forbidden: bot was blocked by the user", times: 1 });
    expect((await postUpdate(port, "/help")).status).toBe(200);
    await expect.poll(() => t.logs.map((line) => line.msg)).toContain("chat cannot be reached; marking it blocked");
    expect(t.logs.map((line) => line.msg)).not.toContain("webhook update failed");
  });

  it("stops within the 9 s budget while a handler hangs: Telegram gets its answer, the handler is given up", async () => {
    const clock = new FakeClock();
    const { fake, port, t } = await startWebhookApp(clock);
    const hang = fake.injectFault({ method: "sendMessage", status: 0, description: "", hang: true });
    const answered = postUpdate(port, "/help");
    await fake.waitFor(() => hang.hits === 1);

    let stopped = false;
    const stopping = t.stop().then(() => (stopped = true));
    // grammY answers Telegram after its own timeout (5 s), a real timer that is not on the Clock: this part waits real time.
    expect((await answered).status).toBe(200);
    expect(stopped).toBe(false); // still waiting for the hanging handler, on the clock
    // The process forces exit 1 after 9 s; the old code waited for grammY's 10 s handler timeout.
    await clock.advance(8_999);
    expect(stopped).toBe(true);
    await stopping;
    expect(t.logs.map((line) => line.msg)).toContain("webhook handlers still running at stop; stopping anyway");
  });
});
