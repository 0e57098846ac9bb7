import { clearLine, createInterface, cursorTo } from "node:readline";
import type { Clock } from "../clock.js";
import { numberedButtons } from "./render.js";
import { AFTER_LINE, AT_END, settle } from "./settle.js";
import { Transcript } from "./transcript.js";
import { CHANNEL, EDITOR, READER, type SandboxWorld } from "./world.js";

export interface TerminalChatOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream & { isTTY?: boolean };
  /** A terminal gets a prompt and bold; piped input is echoed instead, so that the transcript reads as a chat. */
  interactive: boolean;
  /** Ends the chat at once: lines read but not yet handled are dropped, and nothing more is waited for (SIGTERM, a fatal error). */
  signal: AbortSignal;
  clock: Clock;
}

interface Seat {
  user: { id: number; firstName: string };
  name: string;
}

const SEATS = { reader: { user: READER, name: "reader" }, editor: { user: EDITOR, name: "editor" } } satisfies Record<string, Seat>;

/** Printed at start: what this is, what to try, and how to go live. */
function welcome(botUsername: string): string {
  return [
    "Newsdesk sandbox: OFFLINE. The real bot runs here against a fake Telegram server on this machine,",
    "with a temporary database and a sample feed served locally. Nothing is sent to Telegram.",
    "",
    `You are a reader chatting with @${botUsername}; the bot's channel is @${CHANNEL.username}.`,
    "Type as you would in Telegram:  /latest   /topic xinjiang   /follow china   /help",
    "Type a number to press that button of the last message with buttons.",
    "Sandbox commands: /admin, /reader, /news, /tick (/help lists them). Ctrl+D ends the sandbox.",
    "",
    "Going live: get a token from @BotFather in Telegram (/newbot), add the bot to your channel as an",
    "admin that can post messages, put BOT_TOKEN and CHANNEL_ID in .env (see .env.example), then run",
    "npm start.",
  ].join("\n");
}

/** The sandbox's own commands, listed under the bot's answer to /help. */
const SANDBOX_HELP = `Sandbox commands (offline only, not the bot's):
  /admin    take the editor's seat (a user in ADMIN_IDS): /push, /post, /feeds, /stats ...
  /reader   back to the reader's seat
  /news     a new story appears in the sample feed and is polled (/tick then publishes it)
  /tick     run the schedule now: poll the feed, publish what is due to the channel and the followers
  1, 2 ...  press that button of the last message with buttons
  Ctrl+D    end the sandbox (the temporary database is removed)`;

/**
 * The terminal as a Telegram chat: each line goes to the bot as the seat's message (or presses a button, or is
 * a sandbox command), and what the bot sends to the reader, the editor and the channel is printed as it comes.
 * One line at a time: the next is taken once the bot has answered this one (bounded), so piped input keeps its
 * order. Resolves at the end of input (or Ctrl+C), once the last line has been answered; on `signal`, as soon as the
 * line being handled has stopped waiting.
 */
export async function runTerminalChat(world: SandboxWorld, options: TerminalChatOptions): Promise<void> {
  const { fake, feed, app } = world;
  const settling = { fake, clock: options.clock, signal: options.signal };
  const rl = createInterface({ input: options.input, output: options.output, terminal: options.interactive });
  const closed = new Promise<void>((resolve) => rl.once("close", resolve));
  // While the prompt waits for a line, what arrives (a progress message's edit) is printed above it, and the prompt again.
  let prompting = false;
  const out = (text: string): void => {
    if (prompting) {
      clearLine(options.output, 0);
      cursorTo(options.output, 0);
    }
    options.output.write(`${text}\n\n`);
    if (prompting) rl.prompt(true);
  };
  const transcript = new Transcript(fake, {
    chats: new Map([
      [READER.id, "bot → reader"],
      [EDITOR.id, "bot → editor"],
      [CHANNEL.id, `channel @${CHANNEL.username}`],
    ]),
    style: { ansi: options.output.isTTY === true },
    print: out,
  });
  let seat: Seat = SEATS.reader;

  const sandboxCommands: Record<string, () => Promise<void>> = {
    "/admin": async () => {
      seat = SEATS.editor;
      out(`You are now the editor (user ${EDITOR.id}, in ADMIN_IDS). /reader takes you back.`);
    },
    "/reader": async () => {
      seat = SEATS.reader;
      out(`You are now the reader (user ${READER.id}).`);
    },
    "/news": async () => {
      const story = feed.addNews();
      if (!story) return out("The sample feed has no more new stories.");
      out(`A new story appeared in the sample feed: "${story.title}". Polling the feed…`);
      await app.runJob("poll-feeds");
      out("Stored as news. /tick publishes it to the channel and alerts its followers (the schedule would within a minute).");
    },
    "/tick": async () => {
      out("Running the schedule now: polling the feed, then publishing what is due.");
      await app.runJob("poll-feeds");
      await app.runJob("publish");
    },
  };

  const press = (number: number): void => {
    const message = transcript.lastMessageWithButtons(seat.user.id);
    const buttons = message ? numberedButtons(message) : [];
    const button = buttons[number - 1];
    if (!message || !button) {
      return out(
        buttons.length ? `There is no button ${number}: pick 1 to ${buttons.length}.` : "There is no message with buttons to press.",
      );
    }
    if (button.callbackData === undefined) return out(`That button opens ${button.url ?? "a link"} (offline: not opened).`);
    fake.pushCallbackQuery({ userId: seat.user.id, data: button.callbackData, messageId: message.messageId });
  };

  const handle = async (line: string): Promise<void> => {
    const text = line.trim();
    if (!text || options.signal.aborted) return;
    if (!options.interactive) out(`${seat.name}> ${text}`);
    const command = sandboxCommands[text.split(/\s/)[0]?.toLowerCase() ?? ""];
    if (command) await command();
    else if (/^\d+$/.test(text)) press(Number(text));
    else fake.pushMessage({ userId: seat.user.id, text, firstName: seat.user.firstName });
    await settle(settling, AFTER_LINE);
    transcript.flush();
    if (/^\/help(@\S+)?$/i.test(text)) out(SANDBOX_HELP);
  };

  out(welcome(fake.botInfo.username));
  const prompt = (): void => {
    rl.setPrompt(`${seat.name}> `);
    rl.prompt();
    prompting = true;
  };
  rl.on("SIGINT", () => rl.close());
  if (options.signal.aborted) rl.close();
  else options.signal.addEventListener("abort", () => rl.close(), { once: true });
  let queue = Promise.resolve();
  if (options.interactive) prompt();
  rl.on("line", (line) => {
    prompting = false;
    queue = queue
      .then(() => handle(line))
      .catch((error: unknown) => out(`The sandbox could not do that: ${error instanceof Error ? error.message : String(error)}`))
      .then(() => (options.interactive ? prompt() : undefined));
  });
  await closed;
  prompting = false;
  await queue;
  // Piped input ends the run: wait for what the last lines set going (not after a signal: settle returns at once).
  // At a terminal, Ctrl+D means leave now.
  if (!options.interactive) await settle(settling, AT_END);
  transcript.stop();
}
