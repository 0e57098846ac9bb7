import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import { REFERENCE_ARTICLE_PATH, REFERENCE_LINK } from "../support/reference-article.js";
import { makeTempDir } from "../support/temp-dir.js";
import { systemClock } from "../../src/clock.js";

const CLI = fileURLToPath(new URL("../../src/cli/ingest.ts", import.meta.url));
const TSX_LOADER = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;

describe("npm run ingest -- FILE [--link URL]", () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => dir.remove());
  const run = (args: string[]) =>
    spawnSync(process.execPath, ["--import", TSX_LOADER, CLI, ...args], {
      cwd: dir.path,
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: `file:${join(dir.path, "news.db")}` },
      encoding: "utf8",
    });

  it("stores the reference article and prints its card", async () => {
    const result = run([fileURLToPath(REFERENCE_ARTICLE_PATH), "--link", REFERENCE_LINK]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^<b>UK report over Xinjiang wantonly interferes in China's internal affairs: Chinese Embassy<\/b>\n\nA spokesman for the Chinese Embassy/,
    );
    expect(result.stdout).toContain(`<a href="${REFERENCE_LINK}">`);
    expect(result.stdout).not.toMatch(/PHOTO|Telegram channel/);
    expect(result.stderr).toMatch(/Article #1: stored as a new article, not queued: run again with --queue/);
    const store = openStore({ kind: "sqlite", path: join(dir.path, "news.db") }, systemClock);
    expect(await store.articles.count()).toBe(1);
    expect((await store.articles.get(1))?.source).toBe("straitstimes.com");
    await store.close();
  });

  it("queues the article a preview stored when run again with --queue, and says so", async () => {
    const article = fileURLToPath(REFERENCE_ARTICLE_PATH);
    expect(run([article, "--link", REFERENCE_LINK]).status).toBe(0);
    const queued = run([article, "--link", REFERENCE_LINK, "--queue"]);
    expect(queued.status).toBe(0);
    expect(queued.stderr).toMatch(/^Article #1: already stored, now queued for the channel\. Tags: /);
    const again = run([article, "--link", REFERENCE_LINK, "--queue"]);
    expect(again.stderr).toMatch(/^Article #1: already stored, and already queued for the channel: nothing changed\./);
    const store = openStore({ kind: "sqlite", path: join(dir.path, "news.db") }, systemClock);
    expect((await store.articles.unreleased(10)).map((a) => a.id)).toEqual([1]);
    await store.outbox.release(1, [], new Date());
    await store.close();
    expect(run([article, "--link", REFERENCE_LINK, "--queue"]).stderr).toMatch(
      /^Article #1: already stored, and released to the channel on .+: not queued again\./,
    );
  });

  it("explains its usage when called wrongly", () => {
    const result = run([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^Usage: npm run ingest -- FILE/);
    expect(run(["/nonexistent/file.txt"]).stderr).toMatch(/Cannot read \/nonexistent\/file\.txt/);
  });
});
