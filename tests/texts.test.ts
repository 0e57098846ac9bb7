import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TemplateError } from "../src/format/templates.js";
import { DEFAULT_TEMPLATES_DIR, loadAliases, loadTemplates } from "../src/texts.js";
import { TopicsFileError } from "../src/topics/index.js";
import { makeTempDir } from "./support/temp-dir.js";

describe("templates/ read at start", () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir();
    mkdirSync(dir.path, { recursive: true });
    for (const file of readdirSync(DEFAULT_TEMPLATES_DIR)) copyFileSync(join(DEFAULT_TEMPLATES_DIR, file), join(dir.path, file));
  });
  afterEach(() => dir.remove());

  it("loads as shipped", () => {
    expect(loadTemplates().render("error")).toMatch(/Sorry/);
  });

  it("renders what an editor changed in the folder", () => {
    writeFileSync(join(dir.path, "error.html"), "Oops <b>{{! no fields }}</b>\n");
    expect(loadTemplates(dir.path).render("error")).toBe("Oops <b></b>");
  });

  it("names the file in that folder and the line of a mistake", () => {
    writeFileSync(join(dir.path, "start.html"), "Hello\n{{firstNmae}}\n");
    expect(() => loadTemplates(dir.path)).toThrow(`${join(dir.path, "start.html")}:2: unknown placeholder {{firstNmae}}`);
  });

  it("stops when a template file is missing", () => {
    rmSync(join(dir.path, "help.html"));
    expect(() => loadTemplates(dir.path)).toThrow(`${join(dir.path, "help.html")}:1: the file is missing`);
  });

  it("says why a file that is there cannot be read", () => {
    rmSync(join(dir.path, "help.html"));
    mkdirSync(join(dir.path, "help.html"));
    expect(() => loadTemplates(dir.path)).toThrow(TemplateError);
    expect(() => loadTemplates(dir.path)).toThrow(/help\.html:1: cannot be read \(EISDIR/);
  });
});

describe("TOPICS_FILE", () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => dir.remove());

  it("uses the shipped aliases when unset", () => {
    expect(loadAliases(undefined).canonical("Uighur")).toBe("uyghur");
  });

  it("adds the operator's topics and replaces a shipped entry of the same name", () => {
    const file = join(dir.path, "topics.json");
    writeFileSync(file, JSON.stringify({ "// note": ["editors may comment"], "hong kong": ["hk", "香港"], uyghur: ["uighur"] }));
    const aliases = loadAliases(file);
    expect(aliases.canonical("HK")).toBe("hong kong");
    expect(aliases.canonical("uighur")).toBe("uyghur");
    expect(aliases.canonical("uygur")).toBe("uygur"); // the shipped alias was replaced
  });

  it.each([
    ["a missing file", null, /cannot be read.*unset it/],
    ["broken JSON", "{ nope", /is not valid JSON/],
    ["the wrong shape", '["uk"]', /topics\.json/],
  ])("stops at start with %s, naming the file", (_name, content, message) => {
    const file = join(dir.path, "topics.json");
    if (content !== null) writeFileSync(file, content);
    expect(() => loadAliases(file)).toThrow(TopicsFileError);
    expect(() => loadAliases(file)).toThrow(message);
  });
});
