import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import { storeText } from "../support/store-text.js";
import { makeTempDir } from "../support/temp-dir.js";

const CLI = fileURLToPath(new URL("../../src/cli/deliveries.ts", import.meta.url));
const TSX_LOADER = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;

describe("npm run deliveries", () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => dir.remove());

  it("prints the counts per article and the time the rest will take", async () => {
    const path = join(dir.path, "news.db");
    const store = openStore({ kind: "sqlite", path });
    const { article } = await storeText(store, "Storm hits the coast\n\nA storm hit the coast on Monday, officials said.");
    const payload = { text: "x" };
    await store.outbox.enqueue(
      [1, 2, 3, 4].map((chat) => ({ kind: "alert" as const, chatId: String(chat), articleId: article.id, payload })),
      new Date(),
    );
    const [first] = await store.outbox.ready(new Date(), 1);
    await store.outbox.claim(first!.id);
    await store.outbox.markSent(first!.id, 99, new Date());
    await store.outbox.markChatBlocked("2", "403 Forbidden: bot was blocked by the user");
    await store.close();

    const result = spawnSync(process.execPath, ["--import", TSX_LOADER, CLI], {
      cwd: dir.path,
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: `file:${path}`, BROADCAST_RATE: "2" },
      encoding: "utf8",
    });
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/article\s+sent\s+pending\s+sending\s+failed\s+blocked\s+headline/);
    expect(lines[1]).toMatch(new RegExp(`^\\s+${article.id}\\s+1\\s+2\\s+0\\s+0\\s+1\\s+Storm hits the coast$`));
    expect(lines.at(-1)).toBe("2 left: about 1 s at 2 messages/s.");
  });
});
