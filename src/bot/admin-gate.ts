import { Composer, type Middleware } from "grammy";
import { answerButton } from "../../commands/buttons.js";
import type { CommandDefinition } from "../../commands/menu.js";
import { replyTemplate } from "../../commands/reply.js";
import type { BotContext } from "./context.js";

/**
 * The admin gate: ADMIN_IDS go on; anyone else gets one polite refusal (templates/admin-only.html), as a reply
 * to a message or as the notice of a button press, and nothing else happens. A middleware, so that the desk can
 * put it in front of its buttons and dialog steps too.
 */
export const adminOnly: Middleware<BotContext> = async (ctx, next) => {
  if (ctx.isAdmin) return next();
  ctx.logger.info({ userId: ctx.from?.id }, "refused: not an admin");
  if (ctx.callbackQuery) await answerButton(ctx, "admin-only");
  // A channel post has no sender to answer, and the whole channel would see it.
  else if (ctx.chat && ctx.chat.type !== "channel") await replyTemplate(ctx, "admin-only");
};

/**
 * A registry row as the bot runs it. An admin command meets the gate first, and nothing else of its composer
 * (aliases, buttons, dialog steps) runs for anyone but an admin: a handler that forgets to check cannot leak.
 */
export function withScopeGate({ command, scope, composer }: CommandDefinition): Middleware<BotContext> {
  if (scope === "everyone") return composer;
  const gated = new Composer<BotContext>();
  gated.command(command, adminOnly);
  gated.filter((ctx) => ctx.isAdmin, composer);
  return gated;
}
