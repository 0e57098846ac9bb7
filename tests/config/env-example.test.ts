import { parse } from "dotenv";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { envSchema } from "../../src/config/schema.js";

const exampleText = readFileSync(new URL("../../.env.example", import.meta.url), "utf8");
const example = parse(exampleText);

describe(".env.example", () => {
  it("lists every variable the config reads, each with a comment above it", () => {
    const lines = exampleText.split("\n");
    for (const variable of Object.keys(envSchema.shape)) {
      const index = lines.findIndex((line) => line.startsWith(`${variable}=`));
      expect(index, `${variable} is missing from .env.example`).toBeGreaterThan(0);
      const above = lines
        .slice(0, index)
        .reverse()
        .find((line) => !/^[A-Z_]+=/.test(line));
      expect(above, `${variable} has no comment`).toMatch(/^#/);
    }
  });

  it("lists nothing the config does not read", () => {
    expect(Object.keys(example).sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it("is a valid configuration once BOT_TOKEN is filled in", () => {
    expect(() => loadConfig({ ...example, BOT_TOKEN: "123456:TEST-TOKEN-abcdef" })).not.toThrow();
  });
});
