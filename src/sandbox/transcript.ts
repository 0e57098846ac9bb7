import type { FakeTelegram, SentMessage } from "./fake-telegram/index.js";
import { renderMessage, type RenderStyle } from "./render.js";

export interface TranscriptOptions {
  /** The chats shown, with the label of each; messages to other chats are not the terminal's business. */
  chats: ReadonlyMap<number, string>;
  style: RenderStyle;
  print: (text: string) => void;
}

/** How much of a message the terminal has shown: a change to either is shown again. */
interface Shown {
  versions: number;
  deleted: boolean;
}

/**
 * Shows what the bot sends to the watched chats as it happens: new messages, edits ("(edited)") and deletions
 * ("(deleted)"), and the answers to the buttons pressed (only the sandbox presses them). It looks every 50 ms, and
 * flush() shows what is left at once (before a prompt, before exit).
 */
export class Transcript {
  private readonly shown = new Map<SentMessage, Shown>();
  private readonly lastWithButtons = new Map<number, SentMessage>();
  private callbackAnswersShown = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly fake: FakeTelegram,
    private readonly options: TranscriptOptions,
  ) {
    this.timer = setInterval(() => this.flush(), 50);
  }

  flush(): void {
    this.showCallbackAnswers();
    for (const message of this.fake.sent()) {
      const label = this.options.chats.get(message.chatId);
      if (label === undefined) continue;
      const before = this.shown.get(message);
      const now = { versions: message.history.length, deleted: message.deleted === true };
      if (before && before.versions === now.versions && before.deleted === now.deleted) continue;
      this.shown.set(message, now);
      if (now.deleted) {
        this.options.print(`── ${label} (deleted): ${message.text.split("\n")[0] ?? ""}`);
        continue;
      }
      const edited = before ? " (edited)" : "";
      this.options.print(`── ${label}${edited}\n${attachment(message)}${renderMessage(message, this.options.style)}`);
      if (message.buttons.some((row) => row.length > 0)) this.lastWithButtons.set(message.chatId, message);
    }
  }

  /** A button's answer with text: Telegram shows it over the chat for a moment (a toast) or in a box (show_alert). */
  private showCallbackAnswers(): void {
    const answers = this.fake.callbackAnswers;
    for (const answer of answers.slice(this.callbackAnswersShown)) {
      if (typeof answer.text === "string" && answer.text)
        this.options.print(`── ${answer.show_alert === true ? "alert" : "notice"}: ${answer.text}`);
    }
    this.callbackAnswersShown = answers.length;
  }

  /** The last message with buttons the chat was shown, as it is now. */
  lastMessageWithButtons(chatId: number): SentMessage | undefined {
    return this.lastWithButtons.get(chatId);
  }

  stop(): void {
    clearInterval(this.timer);
    this.flush();
  }
}

function attachment(message: SentMessage): string {
  if (message.photo) return "[photo]\n";
  if (message.document) return `[file: ${message.document.filename}]\n`;
  return "";
}
