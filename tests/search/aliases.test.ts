import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadAliases } from "../../src/search/index.js";
import { TopicsFileError } from "../../src/topics/index.js";
import { makeTempDir } from "../support/temp-dir.js";

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
