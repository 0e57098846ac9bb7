import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createTemplates, TEMPLATE_FILES, TemplateError, type Templates, type TemplateSources } from "./format/templates.js";
import { PROJECT_ROOT } from "./project-root.js";
import { loadAliasMap, parseTopicsFile, TopicsFileError, type AliasMap } from "./topics/index.js";

/*
 * The texts the bot reads from disk, read once at start and handed to the core as text: format/ and
 * topics/ never touch the file system, so they stay pure functions of what they are given.
 */

/** The project's templates/ folder, from any working directory, under tsx or built into dist/. */
export const DEFAULT_TEMPLATES_DIR = join(PROJECT_ROOT, "templates");

/** Reads templates/ and checks every template (TemplateError names the file and line of a mistake). */
export function loadTemplates(dir: string = DEFAULT_TEMPLATES_DIR): Templates {
  return createTemplates(readTemplateSources(dir));
}

/** The text of every file the templates need; a missing one is left out, for createTemplates to report. */
export function readTemplateSources(dir: string = DEFAULT_TEMPLATES_DIR): TemplateSources {
  const files: Record<string, string> = {};
  for (const file of TEMPLATE_FILES) {
    const text = readIfPresent(join(dir, file));
    if (text !== undefined) files[file] = text;
  }
  return { dir, files };
}

/** A file that is there but cannot be read (a folder, no permission) is reported here, with the reason. */
function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new TemplateError(path, 1, `cannot be read (${(error as Error).message}). Check that it is a readable file.`);
  }
}

/** The shipped alias map, with the operator's TOPICS_FILE on top when there is one. */
export function loadAliases(topicsFile: string | undefined): AliasMap {
  if (topicsFile === undefined) return loadAliasMap();
  let text: string;
  try {
    text = readFileSync(topicsFile, "utf8");
  } catch (error) {
    throw new TopicsFileError(
      topicsFile,
      `cannot be read (${(error as Error).message}). Fix TOPICS_FILE or unset it to use the shipped aliases.`,
    );
  }
  return loadAliasMap(parseTopicsFile(text, topicsFile));
}
