import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { openStore } from "../../src/store/index.js";
import { storeText } from "../support/store-text.js";
import { makeTempDir } from "../support/temp-dir.js";

const CLI = fileURLToPath(new URL("../../src/cli/deliveries.ts", import.meta.url));
const TSX_LOADER = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;

describe("npm run deliveries", () => {
  let dir: ReturnType<typeof makeTempDir>;
  let path: string;
  beforeEach(() => {
    dir = makeTempDir();
    path = join(dir.path, "news.db");
  });
  afterEach(() => dir.remove());
  const run = (env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ["--import", TSX_LOADER, CLI], {
      cwd: dir.path,
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: `file:${path}`, ...env },
      encoding: "utf8",
    });

  it("prints the counts per article, the channel post's id, and the time the rest will take", async () => {
    const store = openStore({ kind: "sqlite", path }, systemClock);
    const { article } = await storeText(store, "Storm hits the coast\n\nA storm hit the coast on Monday, officials said.");
    const payload = { text: "x" };
    await store.outbox.release(
      article.id,
      [
        { kind: "post", chatId: "@news", articleId: article.id, payload },
        ...[1, 2, 3].map((chat) => ({ kind: "alert" as const, chatId: String(chat), articleId: article.id, payload })),
      ],
      new Date(),
    );
    const [post] = await store.outbox.ready(new Date(), 1);
    await store.outbox.claim(post!.id);
    await store.outbox.markSent(post!.id, 777, new Date());
    await store.outbox.markChatBlocked("2", "403 Forbidden: bot was blocked by the user");
    const other = await storeText(store, "Rates held\n\nThe central bank kept rates unchanged on Thursday, officials said.");
    await store.outbox.release(other.article.id, [{ kind: "alert", chatId: "4", articleId: other.article.id, payload }], new Date());
    // Retracted before its alert went out: the alert is cancelled.
    await store.outbox.retract(other.article.id, payload, new Date());
    await store.close();

    const result = run({ BROADCAST_RATE: "2" });
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/article\s+post\s+sent\s+pending\s+sending\s+failed\s+blocked\s+cancelled\s+headline/);
    expect(lines[1]).toMatch(new RegExp(`^\\s+${other.article.id}\\s+-\\s+0\\s+0\\s+0\\s+0\\s+0\\s+1\\s+Rates held$`));
    expect(lines[2]).toMatch(new RegExp(`^\\s+${article.id}\\s+777\\s+1\\s+2\\s+0\\s+0\\s+1\\s+0\\s+Storm hits the coast$`));
    expect(lines.at(-1)).toBe("2 left: about 1 s at 2 messages/s.");
  });

  it("shows news queued for the channel with the POST_CRON tick that releases it, POST_BATCH a tick", async () => {
    const store = openStore({ kind: "sqlite", path }, systemClock);
    const first = await storeText(store, "Storm hits the coast\n\nA storm hit the coast on Monday, officials said.");
    const second = await storeText(store, "Rates held\n\nThe central bank kept rates unchanged on Thursday, officials said.");
    for (const { article } of [first, second]) expect(await store.articles.queue(article.id)).toBe("queued");
    await store.close();

    // Once a year, at 08:00 on 1 January in London (GMT then): one article per tick.
    const result = run({ POST_CRON: "0 8 1 1 *", POST_BATCH: "1", TIMEZONE: "Europe/London" });
    expect(result.status).toBe(0);
    const now = new Date();
    const year = now.getTime() < Date.UTC(now.getUTCFullYear(), 0, 1, 8) ? now.getUTCFullYear() : now.getUTCFullYear() + 1;
    expect(result.stdout).not.toContain("Nothing left to send");
    expect(result.stdout).toContain('Queued for the channel, 1 a tick of POST_CRON "0 8 1 1 *":');
    expect(result.stdout).toMatch(new RegExp(`\\n\\s+${first.article.id}  1 Jan ${year}, 08:00 GMT  Storm hits the coast\\n`));
    expect(result.stdout).toMatch(new RegExp(`\\n\\s+${second.article.id}  1 Jan ${year + 1}, 08:00 GMT  Rates held\\n`));
  });

  it("says when there is nothing to send and nothing queued", () => {
    const result = run();
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split("\n").at(-1)).toBe("Nothing left to send, and nothing queued for the channel.");
  });
});
