import type { MiddlewareFn } from "grammy";
import type { Clock } from "../clock.js";
import type { BotContext } from "./context.js";

/** Where the bot reports each update it handled (the app's metrics). */
export type UpdateObserver = (label: string, seconds: number) => void;

/**
 * Times every update through the handlers and reports it with a label: the command for a known one, "unknown" for
 * another slash command (so that what users type cannot grow the label set), "callback" for a button, "text" for
 * other text, "other" for the rest. Installed right after sequentialize, before every handler: a failing handler is
 * counted too, and the time is the handlers' own, without the wait behind the same chat's earlier updates or for a slot.
 */
export function updateMetrics(commands: readonly string[], clock: Clock, observe: UpdateObserver): MiddlewareFn<BotContext> {
  const known = new Set(commands);
  return async (ctx, next) => {
    const started = clock.now();
    try {
      await next();
    } finally {
      observe(labelOf(ctx, known), (clock.now() - started) / 1000);
    }
  };
}

function labelOf(ctx: BotContext, known: ReadonlySet<string>): string {
  if (ctx.callbackQuery) return "callback";
  const text = ctx.message?.text;
  if (text === undefined) return "other";
  const entity = ctx.message?.entities?.[0];
  if (entity?.type !== "bot_command" || entity.offset !== 0) return "text";
  const command = text.slice(1, entity.length).split("@")[0]?.toLowerCase() ?? "";
  return known.has(command) ? command : "unknown";
}
