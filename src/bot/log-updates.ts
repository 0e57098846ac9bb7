import type { NextFunction } from "grammy";
import type { BotContext } from "./context.js";

/** Logs each update once it is handled, with how long it took. */
export async function logUpdates(ctx: BotContext, next: NextFunction): Promise<void> {
  const started = performance.now();
  ctx.logger.debug("update received");
  await next();
  ctx.logger.debug({ ms: Math.round(performance.now() - started) }, "update handled");
}
