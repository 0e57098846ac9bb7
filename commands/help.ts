import { Composer } from "grammy";
import { menuFor } from "../src/bot/command-menu.js";
import type { BotContext } from "../src/bot/context.js";

/** /help: the commands this user may run, generated from the registry. */
export const helpCommand = new Composer<BotContext>();

helpCommand.command("help", async (ctx) => {
  const adminCommands = menuFor(ctx.services.menu, "admins");
  await ctx.reply(
    ctx.services.templates.render("help", {
      commands: menuFor(ctx.services.menu, "everyone"),
      adminCommands,
      isAdmin: ctx.isAdmin && adminCommands.length > 0,
    }),
    { parse_mode: "HTML", link_preview_options: { is_disabled: true } },
  );
});
