/**
 * One contender of bench/updates.ts, in a process of its own, so that the fake Telegram server (in the parent) does
 * not take the contender's CPU: started with a ContenderRequest as its argument, it answers "ready" once it polls,
 * and on "stop" stops, answers "stopped" and exits.
 */
import { run } from "@grammyjs/runner";
import { Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { startApp } from "../../src/app.js";
import { systemClock } from "../../src/clock.js";
import { loadConfig } from "../../src/config/index.js";
import { createLogger } from "../../src/logger.js";

export interface ContenderRequest {
  contender: "newsdesk" | "echo-runner" | "echo-sequential";
  apiRoot: string;
  token: string;
  botInfo: UserFromGetMe;
  dbPath: string;
  /** UPDATES_CONCURRENCY for Newsdesk (unset: its default), the runner's bound for the echo bot. */
  concurrency: number | undefined;
}

export type ChildMessage = { type: "ready" } | { type: "stopped" };

/** The whole app, with its logs off. */
async function newsdesk(request: ContenderRequest): Promise<() => Promise<void>> {
  const config = loadConfig({
    BOT_TOKEN: request.token,
    TELEGRAM_API_ROOT: request.apiRoot,
    DATABASE_URL: `file:${request.dbPath}`,
    ...(request.concurrency === undefined ? {} : { UPDATES_CONCURRENCY: String(request.concurrency) }),
  });
  // The send budget lifted out of the way (past what BROADCAST_RATE may be set to, 1,000 a second with paid
  // broadcasts): the benchmark measures handling updates, against an echo bot that has no budget. On Telegram the
  // replies go at BROADCAST_RATE at most; `bench:replies` measures them under the budget.
  const unbudgeted = { ...config, delivery: { ...config.delivery, broadcastRate: 1_000_000 } };
  const app = await startApp(unbudgeted, createLogger({ level: "silent", secrets: [config.botToken] }), {
    clock: systemClock,
    onFatal: (error) => {
      process.stderr.write(`Newsdesk stopped: ${error.message}\n`);
      process.exit(1);
    },
  });
  return () => app.stop();
}

/** A bare grammY bot that echoes: on the runner with the same bound, or with bot.start() (one update at a time). */
async function echo(request: ContenderRequest, sequential: boolean): Promise<() => Promise<void>> {
  const bot = new Bot(request.token, { client: { apiRoot: request.apiRoot }, botInfo: request.botInfo });
  let lastUpdateId = 0;
  bot.on("message:text", async (ctx) => {
    lastUpdateId = Math.max(lastUpdateId, ctx.update.update_id);
    await ctx.reply(ctx.msg.text);
  });
  if (sequential) {
    await new Promise<void>((resolve) => void bot.start({ onStart: () => resolve() }));
    return () => bot.stop();
  }
  await bot.api.deleteWebhook();
  const runner = run(bot, { sink: { concurrency: request.concurrency ?? 500 }, runner: { silent: true } });
  return async () => {
    await runner.stop();
    // The runner does not confirm its last batch: the next contender must not get it again.
    await bot.api.getUpdates({ offset: lastUpdateId + 1, limit: 1, timeout: 0 });
  };
}

if (!process.send) throw new Error("updates-child.ts is started by bench/updates.ts (npm run bench:updates)");
const request = JSON.parse(process.argv[2] ?? "{}") as ContenderRequest;
const stop = request.contender === "newsdesk" ? await newsdesk(request) : await echo(request, request.contender === "echo-sequential");
const send = (message: ChildMessage) => process.send?.(message);
process.once("message", () => {
  void stop().then(() => {
    send({ type: "stopped" });
    process.exit(0);
  });
});
// The parent went away: nobody is measuring any more.
process.on("disconnect", () => process.exit(1));
send({ type: "ready" });
