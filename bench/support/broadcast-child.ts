/**
 * One contender's run, in a process of its own: bench/broadcast.ts forks this file, sends a RunRequest,
 * then "go". The process exits after reporting "done"; the parent kills it if it outlives its cap.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { Api } from "grammy";
import { alertText, contenders, firstLine, Unavailable, type BroadcastContext, type Contender } from "../broadcast-contenders.js";
import type { ChildMessage, ParentMessage, RunRequest } from "./broadcast-protocol.js";

if (!process.send) throw new Error("broadcast-child.ts is started by bench/broadcast.ts (npm run bench:broadcast)");

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    process.send?.(message, undefined, undefined, (error) => (error ? reject(error) : resolve()));
  });
}

let request: RunRequest | undefined;
let contender: Contender | undefined;

async function handle(message: ParentMessage): Promise<void> {
  if (message.type === "run") {
    request = message;
    contender = contenders.find((c) => c.name === message.contender);
    if (!contender) throw new Error(`no contender named ${JSON.stringify(message.contender)}`);
    try {
      await contender.prepare?.();
    } catch (error) {
      if (error instanceof Unavailable) return send({ type: "unavailable", reason: error.message });
      throw error;
    }
    return send({ type: "prepared" });
  }
  if (!request || !contender) throw new Error("go before run");
  const { apiRoot, token, capMs } = request;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error("deadline")), capMs);
  const failures: string[] = [];
  let failedSends = 0;
  const ctx: BroadcastContext = {
    api: (options = {}) => {
      const api = new Api(token, { apiRoot });
      if (options.autoRetry) api.config.use(autoRetry(options.autoRetry === true ? undefined : options.autoRetry));
      return api;
    },
    apiRoot,
    token,
    chatIds: request.chatIds,
    text: alertText,
    rate: request.rate,
    concurrency: request.concurrency,
    dbPath: request.dbPath,
    deadline: { at: Date.now() + capMs, signal: deadline.signal },
    failed: (chatId, error) => {
      if (deadline.signal.aborted) return;
      failedSends++;
      if (failures.length < 3) failures.push(`chat ${chatId}: ${firstLine(error)}`);
    },
  };
  const start = performance.now();
  let error: string | undefined;
  try {
    await contender.run(ctx);
  } catch (caught) {
    if (!deadline.signal.aborted) error = firstLine(caught);
  }
  const ms = performance.now() - start;
  clearTimeout(timer);
  await send({ type: "done", ms, hitDeadline: deadline.signal.aborted, failedSends, failures, ...(error ? { error } : {}) });
  // Whatever the contender left behind (sockets, timers) must not keep the process alive.
  process.exit(0);
}

process.on("message", (message: ParentMessage) => {
  handle(message).catch(async (error: unknown) => {
    await send({ type: "failed", error: firstLine(error) }).catch(() => {});
    process.exit(1);
  });
});
// The parent went away: nobody is measuring any more.
process.on("disconnect", () => process.exit(1));
await send({ type: "ready" });
