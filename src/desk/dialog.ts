import type { Conversation } from "@grammyjs/conversations";
import type { Api, Context } from "grammy";
import type { Document, InlineKeyboardMarkup } from "grammy/types";
import type { BotContext, BotServices } from "../bot/context.js";
import type { Exactly, TemplateName, TemplateValues } from "../format/templates.js";
import { answerText } from "../bot/buttons.js";
import { parseDesk, type DeskAction } from "./buttons.js";
import { HTML_OPTIONS, isPrivateChat, replyDeskPrivateOnly } from "../bot/reply.js";

/** A dialog left alone this long ends; it says so when the admin writes again. */
const DIALOG_IDLE_MS = 30 * 60_000;

/** Outside: our context; inside: the plugin's plain Context (replayed updates). */
type DialogConversation = Conversation<BotContext, Context>;

/** What a dialog needs: the bot's services, and the bot's own Api (with its transformers: auto-retry, network retry). */
interface DialogEnv {
  services: BotServices;
  api: Api;
}

/** A dialog of the desk, registered by id (commands/index.ts) and entered by its command. */
export interface DialogDefinition {
  id: string;
  run(dialog: Dialog): Promise<void>;
}

/**
 * What a dialog's command does: in the admin's private chat it opens the dialog, anew if one was open; in a group it
 * says to open a private chat with the bot.
 */
export async function openDialog(ctx: BotContext, command: string, dialog: DialogDefinition): Promise<void> {
  if (!isPrivateChat(ctx)) return replyDeskPrivateOnly(ctx, command);
  await ctx.conversation.exitAll();
  await ctx.conversation.enter(dialog.id);
}

/** A step's input: a press of a desk button, or text. */
type DialogInput = { kind: "press"; action: DeskAction; queryId: string } | { kind: "text"; text: string };
/** A file the admin sent, for a step that takes files (`next({ documents: true })`). */
type DocumentInput = { kind: "document"; document: Document };

/**
 * One run of a dialog. Conversations replay the builder from the start on every update, so every side effect goes
 * through `conversation.external` (run once, its result stored in the dialog's state and handed back on replays).
 * Messages are sent through the bot's own Api, not the context's: the plugin builds its own Api per update without
 * our transformers (no auto-retry, no network retry) and turns Telegram's refusals into plain errors.
 */
export class Dialog {
  /** What leaving says: set by the dialog (onCancel), the same on every replay. */
  private cancelNotice = (): Promise<unknown> => this.say("dialog-cancelled");

  private constructor(
    private readonly conversation: DialogConversation,
    private readonly env: DialogEnv,
    readonly chatId: number,
    private lastSeen: number,
  ) {}

  static async begin(conversation: DialogConversation, ctx: Context, env: DialogEnv): Promise<Dialog> {
    const now = await conversation.external(() => env.services.clock.now());
    // Dialogs are entered from a private chat only, so the chat is the admin.
    return new Dialog(conversation, env, ctx.chatId ?? 0, now);
  }

  get services(): BotServices {
    return this.env.services;
  }

  get api(): Api {
    return this.env.api;
  }

  /** Sets what leaving with /cancel or the dialog's Cancel button says; dialog-cancelled ("Nothing was published") by default. */
  onCancel(notice: () => Promise<unknown>): void {
    this.cancelNotice = notice;
  }

  /** Says the dialog was left (its Cancel button, or /cancel). */
  async cancelled(): Promise<void> {
    await this.cancelNotice();
  }

  /** A side effect (a database write, a send), run exactly once whatever the replays. Its result must be JSON. */
  run<T>(effect: () => Promise<T>): Promise<T> {
    return this.conversation.external(effect);
  }

  /** Passes this update on, as if the dialog had not seen it (a desk button this step does not use). */
  async pass(): Promise<never> {
    return this.conversation.skip({ next: true });
  }

  /** Sends a template to the admin; returns the message id. */
  say<N extends TemplateName, V extends TemplateValues<N>>(
    name: N,
    values?: Exactly<V, TemplateValues<N>>,
    extra: { reply_markup?: InlineKeyboardMarkup } = {},
  ): Promise<number> {
    return this.sendHtml(this.services.templates.render(name, values), { ...HTML_OPTIONS, ...extra });
  }

  sendHtml(text: string, options: Parameters<Api["sendMessage"]>[2]): Promise<number> {
    return this.run(async () => (await this.api.sendMessage(this.chatId, text, { parse_mode: "HTML", ...options })).message_id);
  }

  async setKeyboard(messageId: number, reply_markup: InlineKeyboardMarkup): Promise<void> {
    await this.run(async () => {
      await this.api.editMessageReplyMarkup(this.chatId, messageId, { reply_markup });
    });
  }

  async answer<N extends TemplateName, V extends TemplateValues<N>>(
    queryId: string,
    name?: N,
    values?: Exactly<V, TemplateValues<N>>,
  ): Promise<void> {
    const text = answerText(this.services.templates, name, values);
    await this.run(async () => {
      await this.api.answerCallbackQuery(queryId, text ? { text } : {});
    });
  }

  /**
   * The next press of a step that takes buttons only: text gets the hint, and the Cancel button ends the dialog as
   * /cancel does. Undefined when the dialog is over.
   */
  async nextPress(): Promise<{ action: DeskAction; queryId: string } | undefined> {
    for (;;) {
      const input = await this.next();
      if (input === undefined) return undefined;
      if (input.kind === "text") {
        await this.say("dialog-hint");
        continue;
      }
      if (input.action.kind !== "cancel") return input;
      await this.answer(input.queryId);
      await this.cancelled();
      return undefined;
    }
  }

  /**
   * The next input, or undefined when the dialog is over: /cancel, or it was left alone for DIALOG_IDLE_MS (then the
   * update goes on to the commands too). Only an admin's updates get here: the desk checks ADMIN_IDS on every update
   * before a dialog runs (src/bot/dialogs.ts).
   * Another command, or a readers' button, is passed on and answered as usual, never taken as input. A file is input
   * only for a step that asks for files; otherwise it is passed on too (an OPML file is imported, commands/import.ts).
   */
  async next(): Promise<DialogInput | undefined>;
  async next(accept: { documents: true }): Promise<DialogInput | DocumentInput | undefined>;
  async next(accept: { documents?: boolean } = {}): Promise<DialogInput | DocumentInput | undefined> {
    for (;;) {
      const ctx = await this.conversation.wait();
      const now = await this.run(async () => this.services.clock.now());
      const idle = now - this.lastSeen > DIALOG_IDLE_MS;
      this.lastSeen = now;
      const query = ctx.callbackQuery;
      if (idle) {
        await this.say("dialog-expired", { minutes: DIALOG_IDLE_MS / 60_000 });
        // A command, a press or a file is still answered as such; plain text was meant for the dialog and has its answer.
        const passOn = ctx.message?.text?.startsWith("/") === true || query !== undefined || ctx.message?.document !== undefined;
        await this.conversation.halt({ next: passOn });
      }
      const text = ctx.message?.text;
      if (text !== undefined && /^\/cancel(@\w+)?(\s|$)/.test(text)) {
        await this.cancelled();
        return undefined;
      }
      if (text?.startsWith("/")) await this.conversation.skip({ next: true });
      const action = query?.data === undefined ? undefined : parseDesk(query.data);
      if (query && action) return { kind: "press", action, queryId: query.id };
      if (query) await this.conversation.skip({ next: true });
      if (text !== undefined) return { kind: "text", text };
      const document = ctx.message?.document;
      if (document && accept.documents) return { kind: "document", document };
      if (document) await this.conversation.skip({ next: true });
      await this.say("dialog-hint");
    }
  }
}
