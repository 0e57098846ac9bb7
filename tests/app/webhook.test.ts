import { request } from "node:http";
import { describe, expect, it } from "vitest";
import type { Clock } from "../../src/clock.js";
import type { FakeTelegram } from "../../src/sandbox/fake-telegram/index.js";
import { FakeClock } from "../support/fake-clock.js";
import { freePort } from "../support/free-port.js";
import { useAppBed } from "./start-app.js";

const USER = 77;
const SECRET = "webhook-secret-0123456789abcdef";
const PATH = "/telegram";

/** Posts an update to the app's webhook as Telegram would, with the secret (or `secret`: null for none). */
function postUpdate(port: number, text: string, secret: string | null = SECRET): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}${PATH}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret === null ? {} : { "x-telegram-bot-api-secret-token": secret }) },
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
    const env = { BOT_MODE: "webhook", WEBHOOK_URL: `https://bot.example${PATH}`, WEBHOOK_SECRET: SECRET, PORT: String(port) };
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

  it("refuses a request without the right secret with 401, and handles nothing", async () => {
    const { fake, port } = await startWebhookApp();
    expect((await postUpdate(port, "/help", null)).status).toBe(401);
    expect((await postUpdate(port, "/help", "wrong-secret-0123456789abcdef")).status).toBe(401);
    expect((await postUpdate(port, "/start")).status).toBe(200);
    const [reply] = await fake.waitForSent(USER, 1);
    expect(reply?.text).toMatch(/^Hello/);
    expect(fake.sent(USER)).toHaveLength(1);
  });

  it("takes only POST on WEBHOOK_URL's path: other paths 404, other methods 405; GET /healthz and /metrics answer", async () => {
    const { fake, port } = await startWebhookApp();
    const at = (path: string, method: string) => fetch(`http://127.0.0.1:${port}${path}`, { method });
    expect((await at("/", "POST")).status).toBe(404);
    expect((await at("/health", "GET")).status).toBe(404);
    expect((await at(PATH, "GET")).status).toBe(405);
    expect((await at(PATH, "PUT")).status).toBe(405);
    expect((await at("/metrics", "POST")).status).toBe(405);
    const health = await at("/healthz", "GET");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", database: "ok", engine: "running" });
    const metrics = await at("/metrics", "GET");
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('newsdesk_outbox_messages{state="pending"} 0');
    expect(fake.sent(USER)).toHaveLength(0);
    await expectStillServes(fake, port);
  });

  it("answers 413 to a body over 1 MB announced by Content-Length, before it is sent", async () => {
    const { fake, port, t } = await startWebhookApp();
    // Only the headers go out: the answer cannot wait for the body.
    const status = await oversizedPost(port, { "content-length": String(2 * MB) }, 0);
    expect(status).toBe(413);
    expect(t.logs.map((line) => line.msg)).toContain(
      "webhook request body over 1000000 bytes refused (413); Telegram's updates are far smaller",
    );
    expect(fake.sent(USER)).toHaveLength(0);
    await expectStillServes(fake, port);
  });

  it("answers 413 to a body without Content-Length once it passes 1 MB, without waiting for the rest", async () => {
    const { fake, port } = await startWebhookApp();
    // 1.1 MB of a 2 MB body is sent, and the request never ends: only counting the bytes can answer it.
    const status = await oversizedPost(port, { "transfer-encoding": "chunked" }, 1.1 * MB);
    expect(status).toBe(413);
    expect(fake.sent(USER)).toHaveLength(0);
    await expectStillServes(fake, port);
  });
});

/**
 * After a refusal, a good update is still served, and its reply is the only message the chat got: the refused request
 * handled nothing, not even late.
 */
async function expectStillServes(fake: FakeTelegram, port: number): Promise<void> {
  expect((await postUpdate(port, "/start")).status).toBe(200);
  await fake.waitForSent(USER, 1);
  expect(fake.sent(USER)).toHaveLength(1);
}

const MB = 1_000_000;

/** A POST to the webhook with the secret that sends `bytes` of a body and never ends it; resolves with the status. */
function oversizedPost(port: number, headers: Record<string, string>, bytes: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path: PATH, method: "POST", headers: { ...headers, "x-telegram-bot-api-secret-token": SECRET } },
      (res) => {
        resolve(res.statusCode);
        res.resume();
        req.destroy();
      },
    );
    req.on("error", (error) => reject(error));
    req.flushHeaders();
    if (bytes > 0) req.write(Buffer.alloc(bytes, "x"));
  });
}
