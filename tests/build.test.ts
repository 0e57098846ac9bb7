import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegram } from "../src/sandbox/fake-telegram/index.js";
import { makeTempDir } from "./support/temp-dir.js";

const ROOT = resolve(import.meta.dirname, "..");
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

/**
 * `npm run build` and `npm run start:prod`, for real: the build goes to a temp folder laid out like the project
 * (package.json, node_modules and templates/ beside dist/), and plain node runs it, without tsx.
 */
describe("the build (npm run build, npm run start:prod)", () => {
  let project: ReturnType<typeof makeTempDir>;
  let main: string;
  beforeAll(() => {
    project = makeTempDir("newsdesk-build-");
    copyFileSync(join(ROOT, "package.json"), join(project.path, "package.json"));
    for (const folder of ["node_modules", "templates"]) symlinkSync(join(ROOT, folder), join(project.path, folder));
    const build = spawnSync(process.execPath, [TSC, "-p", join(ROOT, "tsconfig.build.json"), "--outDir", join(project.path, "dist")], {
      encoding: "utf8",
    });
    expect(build.stdout + build.stderr).toBe("");
    expect(build.status).toBe(0);
    main = join(project.path, "dist", "src", "main.js");
  }, 120_000);
  afterAll(() => project.remove());

  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  function startBuilt(env: Record<string, string>) {
    const dir = makeTempDir();
    cleanups.push(dir.remove);
    const child = spawn(process.execPath, [main], { cwd: dir.path, env: { PATH: process.env.PATH ?? "", ...env } });
    cleanups.push(() => void child.kill("SIGKILL"));
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += String(chunk)));
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    return { child, exited, output: () => ({ stdout, stderr }) };
  }

  it("without BOT_TOKEN exits 1 with the config message", async () => {
    const run = startBuilt({});
    expect(await run.exited).toBe(1);
    expect(run.output().stderr).toMatch(/^Newsdesk cannot start: BOT_TOKEN: is missing\. Talk to @BotFather[^\n]*\n$/);
  });

  it("starts against a Bot API with the templates and the database, answers /start, and exits 0 on SIGTERM", async () => {
    const fake = await FakeTelegram.start();
    cleanups.push(() => fake.close());
    const run = startBuilt({ BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_URL: "file:./data/news.db" });
    fake.pushMessage({ userId: 5, text: "/start" });
    // An early exit (a file the build left behind) fails at once, with what the process said.
    const exitedEarly = run.exited.then((code) => Promise.reject(new Error(`exited with ${code}: ${JSON.stringify(run.output())}`)));
    exitedEarly.catch(() => undefined); // read by the race only: the exit after SIGTERM below is expected
    const [reply] = await Promise.race([fake.waitForSent(5, 1, 15_000), exitedEarly]);
    expect(reply?.text).toMatch(/^Hello/);
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.output().stdout).toContain('"msg":"stopped"');
    expect(run.output().stderr).toBe("");
  });
});
