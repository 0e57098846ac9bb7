import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");

/** Every .ts file under the folders, recursively. */
function sourceFiles(folders: string[]): string[] {
  return folders.flatMap((folder) =>
    readdirSync(join(ROOT, folder), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => join(ROOT, folder, file)),
  );
}

/** What a file imports, as written: type imports and re-exports included (a type cycle still ties two files together). */
function specifiersOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map(({ fileName }) => fileName);
}

/** Our files that a file imports. */
function importsOf(file: string): string[] {
  return specifiersOf(file)
    .filter((name) => name.startsWith("."))
    .map((name) => resolve(dirname(file), name.replace(/\.js$/, ".ts")))
    .filter((path) => path.endsWith(".ts") && existsSync(path));
}

/** Each circle once, as the files along it (depth-first search; a back edge closes a circle). */
function findCycles(files: string[]): string[][] {
  const graph = new Map(files.map((file) => [file, importsOf(file)]));
  const cycles: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string): void => {
    const open = path.indexOf(file);
    if (open !== -1) return void cycles.push(path.slice(open).map((f) => relative(ROOT, f)));
    if (done.has(file)) return;
    path.push(file);
    for (const next of graph.get(file) ?? []) visit(next);
    path.pop();
    done.add(file);
  };
  for (const file of files) visit(file);
  return cycles;
}

/** The core rooms are pure functions of the text they are given: no files, network, database or Telegram. */
const CORE = ["src/clean", "src/summarize", "src/topics", "src/format"];
const IMPURE = /^(node:)?(fs|fs\/promises|net|http|https|child_process)$|^grammy|^@grammyjs\/|^better-sqlite3$/;

describe("imports", () => {
  it("form no circle in src/ and commands/", () => {
    expect(findCycles(sourceFiles(["src", "commands"]))).toEqual([]);
  });

  it("keep the core rooms away from the disk, the network, the database and Telegram", () => {
    const impure = sourceFiles(CORE).flatMap((file) =>
      specifiersOf(file)
        .filter((name) => IMPURE.test(name))
        .map((name) => `${relative(ROOT, file)} imports ${name}`),
    );
    expect(impure).toEqual([]);
  });
});
