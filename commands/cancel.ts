import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { replyTemplate } from "../src/bot/reply.js";

/** /cancel with no dialog open (inside a dialog, the dialog itself takes /cancel and says it is cancelled). */
export const cancelCommand = new Composer<BotContext>();

cancelCommand.command("cancel", (ctx) => replyTemplate(ctx, "dialog-none"));
