import type { AliasMap } from "./alias-map.js";
import { foldText } from "./fold.js";

/**
 * A reader's topic or a tag in its one stored form: "#Xinjiang" → "xinjiang",
 * "Zürich" → "zurich", "Uighur" → "uyghur". Undefined when nothing word-like remains.
 */
export function normalizeTopic(input: string, aliases: AliasMap): string | undefined {
  const folded = foldText(input); // also drops the leading '#', which is punctuation
  return folded === "" ? undefined : aliases.canonical(folded);
}
