import type { BotContext } from "./context.js";
import type { Exactly, TemplateName, TemplateValues } from "../format/templates.js";

/** Lists and notices carry many links: no preview unless a command asks for one. */
export const HTML_OPTIONS = { parse_mode: "HTML", link_preview_options: { is_disabled: true } } as const;

/** Replies with a rendered template. */
export async function replyTemplate<N extends TemplateName, V extends TemplateValues<N>>(
  ctx: BotContext,
  name: N,
  values?: Exactly<V, TemplateValues<N>>,
  extra: object = {},
): Promise<void> {
  await ctx.reply(ctx.services.templates.render(name, values), { ...HTML_OPTIONS, ...extra });
}

/** Topics belong to a person: in groups the subscription commands point to the private chat. */
export async function replyPrivateOnly(ctx: BotContext, command: string): Promise<void> {
  await replyTemplate(ctx, "private-only", { command, botUsername: ctx.me.username });
}

/** The editors' desk works in the admin's private chat: in a group, an admin command points there. */
export async function replyDeskPrivateOnly(ctx: BotContext, command: string): Promise<void> {
  await replyTemplate(ctx, "desk-private-only", { command, botUsername: ctx.me.username });
}

export const isPrivateChat = (ctx: BotContext): boolean => ctx.chat?.type === "private";
