import { readFileSync } from "node:fs";
import { loadAliasMap, parseTopicsFile, TopicsFileError, type AliasMap } from "../topics/index.js";

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
