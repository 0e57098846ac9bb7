import { Composer, type Middleware } from "grammy";
import { answerButton } from "./buttons.js";
import type { CommandDefinition } from "./menu.js";
import { replyTemplate } from "./reply.js";
import type { BotContext } from "./context.js";

/**
 * The admin gate: ADMIN_IDS go on; anyone else gets one polite refusal, and nothing else happens: a button press
 * is answered "This button is not for you" (templates/not-for-you.html), anything else gets templates/admin-only.html.
 * A middleware, so that the desk can put it in front of its buttons and dialog steps too.
 */
export const adminOnly: Middleware<BotContext> = async (ctx, next) => {
  if (ctx.isAdmin) return next();
  ctx.logger.info({ userId: ctx.from?.id }, "refused: not an admin");
  if (ctx.callbackQuery) await answerButton(ctx, "not-for-you");
  // A channel post has no sender to answer, and the whole channel would see it.
  else if (ctx.chat && ctx.chat.type !== "channel") await replyTemplate(ctx, "admin-only");
};

/**
 * A registry row as the bot runs it. An admin command meets the gate first, and nothing else of its composer
 * (aliases, buttons, dialog steps) runs for anyone but an admin: a handler that forgets to check cannot leak.
 * A press of one of its buttons (forwarded, or forged) gets the gate's answer, not "expired".
 */
export function withScopeGate(definition: CommandDefinition): Middleware<BotContext> {
  if (definition.scope === "everyone") return definition.composer;
  const { command, composer, buttons } = definition;
  const gated = new Composer<BotContext>();
  gated.command(command, adminOnly);
  if (buttons) gated.on("callback_query:data").filter((ctx) => buttons(ctx.callbackQuery.data), adminOnly);
  gated.filter((ctx) => ctx.isAdmin, composer);
  return gated;
}
