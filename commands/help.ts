import { Composer } from "grammy";
import { menuFor } from "../src/bot/menu.js";
import type { BotContext } from "../src/bot/context.js";
import { replyTemplate } from "../src/bot/reply.js";

/** /help: the commands this user may run, generated from the registry. */
export const helpCommand = new Composer<BotContext>();

helpCommand.command("help", async (ctx) => {
  const adminCommands = menuFor(ctx.services.menu, "admins");
  await replyTemplate(ctx, "help", {
    commands: menuFor(ctx.services.menu, "everyone"),
    adminCommands,
    isAdmin: ctx.isAdmin && adminCommands.length > 0,
  });
});
