import { describe, expect, it } from "vitest";
import { parseTelegramHtml, type Button } from "../../src/sandbox/fake-telegram/index.js";
import { numberedButtons, renderMessage } from "../../src/sandbox/render.js";

const B = "\u001b[1m";
const U = "\u001b[22m";

/** The message as the fake server records it: the HTML the bot sent, parsed as Telegram parses it. */
function message(html: string, buttons: Button[][] = []) {
  const parsed = parseTelegramHtml(html);
  if (!parsed.ok) throw new Error(parsed.description);
  return { text: parsed.text, entities: parsed.entities, buttons };
}

describe("the sandbox's renderer", () => {
  it.each([
    ["plain text", "Nothing to show.", false, "Nothing to show."],
    ["bold on a terminal", "<b>Storm</b> closes ports", true, `${B}Storm${U} closes ports`],
    ["bold when piped", "<b>Storm</b> closes ports", false, "Storm closes ports"],
    ["a link", 'Read on <a href="https://news.example/a">news.example</a>.', false, "Read on news.example (https://news.example/a)."],
    ["a link whose text is its address", '<a href="https://news.example/a">https://news.example/a</a>', false, "https://news.example/a"],
    [
      "a link inside bold, ending together",
      '<b>Read <a href="https://x.example/">more</a></b>!',
      true,
      `${B}Read more (https://x.example/)${U}!`,
    ],
    ["offsets after an emoji (UTF-16)", "🔔 <b>New</b> on china", true, `🔔 ${B}New${U} on china`],
    ["italic and code shown plain", "<i>said</i> <code>/topic</code>", true, "said /topic"],
    [
      "two links",
      '<a href="https://a.example/">A</a> and <a href="https://b.example/">B</a>',
      false,
      "A (https://a.example/) and B (https://b.example/)",
    ],
  ])("%s", (_name, html, ansi, expected) => {
    expect(renderMessage(message(html), { ansi })).toBe(expected);
  });

  it("numbers the buttons in reading order under the message, a URL button with its address", () => {
    const buttons: Button[][] = [
      [{ text: "Publish to channel", callbackData: "p" }],
      [
        { text: "Edit headline", callbackData: "h" },
        { text: "Edit summary", callbackData: "s" },
      ],
      [{ text: "Open", url: "https://t.me/newsdesk_sandbox/3" }],
    ];
    const shown = message("<b>Preview</b>", buttons);
    expect(renderMessage(shown, { ansi: false })).toBe(
      "Preview\n[1] Publish to channel\n[2] Edit headline   [3] Edit summary\n[4] Open (https://t.me/newsdesk_sandbox/3)",
    );
    expect(numberedButtons(shown).map((button) => button.text)).toEqual(["Publish to channel", "Edit headline", "Edit summary", "Open"]);
  });
});
