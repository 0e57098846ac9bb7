import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { REFERENCE_HEADLINE, REFERENCE_LINK } from "../support/reference-article.js";
import { makeTempDir } from "../support/temp-dir.js";

const SANDBOX = fileURLToPath(new URL("../../src/sandbox/main.ts", import.meta.url));
// tsx's loader by absolute URL: the child runs in a temp directory that has no node_modules.
const TSX_LOADER = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;
const CHANNEL = "── channel @newsdesk_sandbox";
const TO_READER = "── bot → reader";

/**
 * `npm run sandbox` as a real process with its stdin a pipe, in a directory whose .env would break `npm start`:
 * the sandbox must not read it.
 */
function startSandbox() {
  const dir = makeTempDir();
  writeFileSync(join(dir.path, ".env"), "BOT_TOKEN=not-a-token\nFEEDS=nonsense\n");
  const child = spawn(process.execPath, ["--import", TSX_LOADER, SANDBOX], {
    cwd: dir.path,
    env: { PATH: process.env.PATH ?? "" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    type: (text: string) => child.stdin.write(text),
    /** Resolves with the output's match once it shows, looking only after the last echo of `line`. */
    async waitFor(line: string, pattern: RegExp): Promise<RegExpExecArray> {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const from = stdout.lastIndexOf(`> ${line}\n`);
        const match = from >= 0 ? pattern.exec(stdout.slice(from)) : null;
        if (match) return match;
        if (Date.now() > deadline) throw new Error(`no ${String(pattern)} after "${line}" in:\n${stdout}\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    remove: dir.remove,
  };
}

type Sandbox = ReturnType<typeof startSandbox>;

/** What the terminal showed from the last echo of `line` up to the next echoed line. */
function answerTo(stdout: string, line: string): string {
  const from = stdout.lastIndexOf(`> ${line}\n`);
  if (from < 0) throw new Error(`"${line}" was not echoed in:\n${stdout}`);
  const rest = stdout.slice(from + line.length + 3);
  const next = rest.search(/^(reader|editor)> /m);
  return next < 0 ? rest : rest.slice(0, next);
}

/** The temporary folder the sandbox said it made. */
const tempDirOf = (stdout: string): string => /Temporary database and log: (\S+) \(removed at exit\)/.exec(stdout)?.[1] ?? "";

// A process start under tsx takes seconds on a busy machine.
describe("npm run sandbox (piped input)", { timeout: 60_000 }, () => {
  let sandbox: Sandbox | undefined;
  // A failed test's sandbox is stopped as a user would (SIGTERM), so that it removes its own temp folder.
  afterEach(async () => {
    if (sandbox && sandbox.child.exitCode === null && sandbox.child.signalCode === null) {
      sandbox.child.kill("SIGTERM");
      const killer = setTimeout(() => sandbox?.child.kill("SIGKILL"), 10_000);
      await sandbox.exited;
      clearTimeout(killer);
    }
    sandbox?.remove();
    sandbox = undefined;
  });

  it("says it is offline and how to go live, answers /latest and /topic xinjiang with the reference article, lists its own commands under /help, and exits 0 at the end of input, its temp folder gone", async () => {
    sandbox = startSandbox();
    sandbox.type("/latest\n/topic xinjiang\n/help\n");
    sandbox.child.stdin.end();
    expect(await sandbox.exited).toBe(0);
    const { stdout, stderr } = sandbox.output();
    expect(stderr).toBe("");
    expect(stdout).toContain("Newsdesk sandbox: OFFLINE.");
    expect(stdout).toMatch(/Going live: get a token from @BotFather .* add the bot to your channel as an\s+admin that can post messages/);

    const latest = answerTo(stdout, "/latest");
    expect(latest).toContain(`${TO_READER}\n${REFERENCE_HEADLINE}\n`);
    expect(latest).toContain(`(${REFERENCE_LINK})`);
    // The clean card: no photo caption, dateline agency or promo line of the raw article.
    expect(latest).not.toMatch(/PHOTO: REUTERS|Join ST's Telegram channel|XINHUA/);

    const topic = answerTo(stdout, "/topic xinjiang");
    expect(topic).toContain(`${TO_READER}\n🔎 xinjiang\n\n${REFERENCE_HEADLINE} (${REFERENCE_LINK})\n`);
    expect(topic).toMatch(/^\[1\] 🔔 Follow xinjiang$/m);

    // The bot's own /help, then the sandbox's commands, which are not the bot's.
    const help = answerTo(stdout, "/help");
    expect(help).toMatch(/^── bot → reader\nCommands\n[^]*\n\nSandbox commands \(offline only, not the bot's\):\n {2}\/admin /m);
    for (const command of ["/reader", "/news", "/tick"]) expect(help).toMatch(new RegExp(`^ {2}${command} `, "m"));

    const dir = tempDirOf(stdout);
    expect(dir).toMatch(/newsdesk-sandbox-/);
    expect(existsSync(dir)).toBe(false);
  });

  it("/follow china, /news, /tick: the new story reaches the channel and the reader's alert", async () => {
    sandbox = startSandbox();
    sandbox.type("/follow china\n/news\n/tick\n");
    sandbox.child.stdin.end();
    expect(await sandbox.exited).toBe(0);
    const { stdout } = sandbox.output();
    const headline = "Snake school and May in China: Wednesday's top photos";
    expect(answerTo(stdout, "/follow china")).toContain(`${TO_READER}\n🔔 You now follow china.`);
    expect(answerTo(stdout, "/news")).toContain(`A new story appeared in the sample feed: "${headline}".`);
    expect(answerTo(stdout, "/news")).not.toContain(CHANNEL);

    const tick = answerTo(stdout, "/tick");
    expect(tick).toContain(`${CHANNEL}\n${headline}\n`);
    expect(tick).toContain(`${TO_READER}\n🔔 New on china — you follow this topic.`);
    expect(tick.split(headline)).toHaveLength(3); // once in the post, once in the alert
    expect(existsSync(tempDirOf(stdout))).toBe(false);
  });

  it("/admin, /push, a story's number, then Publish by its number: the channel gets the story", async () => {
    sandbox = startSandbox();
    sandbox.type("/admin\n/push\n");
    const [, storyNumber] = await sandbox.waitFor("/push", /^\[(\d+)\] UK report over Xinjiang/m);
    sandbox.type(`${storyNumber}\n`);
    const [, publishNumber] = await sandbox.waitFor(storyNumber!, /^\[(\d+)\] Publish to channel$/m);
    sandbox.type(`${publishNumber}\n`);
    sandbox.child.stdin.end();
    expect(await sandbox.exited).toBe(0);
    const { stdout } = sandbox.output();

    expect(answerTo(stdout, "/admin")).toContain("You are now the editor");
    expect(answerTo(stdout, "/push")).toMatch(/^── bot → editor\nPush a story: pick one of the newest/m);
    const published = answerTo(stdout, publishNumber!);
    expect(published).toContain(`${CHANNEL}\n${REFERENCE_HEADLINE}\n`);
    // The live progress message, then its last edit, shown as an edit.
    expect(published).toMatch(/── bot → editor \(edited\)\nPublished UK report over Xinjiang/);
    expect(stdout.split(CHANNEL)).toHaveLength(2);
  });

  it("stops everything and exits 0 on SIGTERM while the input is still open, its temp folder gone", async () => {
    sandbox = startSandbox();
    sandbox.type("/latest\n");
    await sandbox.waitFor("/latest", new RegExp(`── bot → reader\n${REFERENCE_HEADLINE}`));
    sandbox.child.kill("SIGTERM");
    expect(await sandbox.exited).toBe(0);
    const { stdout, stderr } = sandbox.output();
    expect(stderr).toBe("");
    expect(existsSync(tempDirOf(stdout))).toBe(false);
  });

  it("on SIGTERM with 40 lines read and not yet answered, drops them and exits 0 (before its 10 s forced exit), its temp folder gone", async () => {
    sandbox = startSandbox();
    sandbox.type("/latest\n".repeat(40));
    await sandbox.waitFor("/latest", new RegExp(`── bot → reader\n${REFERENCE_HEADLINE}`));
    sandbox.child.kill("SIGTERM");
    // Exit 0, not the forced exit's 1: the stop did not wait for the queued lines (each takes at least 0.4 s).
    expect(await sandbox.exited).toBe(0);
    const { stdout, stderr } = sandbox.output();
    expect(stderr).toBe("");
    expect(stdout.split("reader> /latest\n").length - 1).toBeLessThan(40);
    expect(existsSync(tempDirOf(stdout))).toBe(false);
  });
});
