import shippedJson from "./aliases.json" with { type: "json" };
import { foldText } from "./fold.js";
import { type TopicsFile, validateTopics } from "./topics-file.js";

export { parseTopicsFile, TopicsFileError, type TopicsFile } from "./topics-file.js";

/** Known topics and their other spellings. */
export interface AliasMap {
  /** Folds case, diacritics and aliases: "Britain" → "uk"; unknown terms come back folded. */
  canonical(term: string): string;
  /** Other spellings of a topic as written in the file ("u.s.", not "us"); [] when unknown. */
  aliasesOf(canonical: string): string[];
  /** Every folded spelling (canonical names included) → its canonical name, for scanning text. */
  readonly spellings: ReadonlyMap<string, string>;
}

const SHIPPED_FILE = "src/topics/aliases.json";
let shipped: TopicsFile | undefined;

/** How an alias is shown to FTS: dots kept, since "u.s." must match the tokens of "U.S.". */
function displayForm(alias: string): string {
  return alias
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\p{Cc}/gu, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** An operator entry replaces the shipped entry of the same (folded) name. */
export function loadAliasMap(extra?: Record<string, string[]>): AliasMap {
  shipped ??= validateTopics(shippedJson, SHIPPED_FILE);
  const operator = extra === undefined ? {} : validateTopics(extra, "TOPICS_FILE");
  const entries = new Map<string, { aliases: string[]; fromOperator: boolean }>();
  for (const [name, aliases] of Object.entries(shipped)) entries.set(foldText(name), { aliases, fromOperator: false });
  for (const [name, aliases] of Object.entries(operator)) entries.set(foldText(name), { aliases, fromOperator: true });

  // Operator spellings are registered last so they win over a shipped alias they reuse.
  const direct = new Map<string, string>();
  for (const pass of [false, true]) {
    for (const [name, entry] of entries) {
      if (entry.fromOperator !== pass) continue;
      for (const spelling of [name, ...entry.aliases.map(foldText)]) {
        direct.set(spelling, name);
        // "covid 19" and "forced-labour" are how people type "covid-19" and "forced labour".
        const spaced = spelling.replace(/-/g, " ");
        if (spaced !== spelling && !direct.has(spaced)) direct.set(spaced, name);
      }
    }
  }
  // If the operator made "uk" an alias of "britain", "united kingdom" → "uk" must end at "britain" too.
  const resolve = (name: string): string => {
    let current = name;
    for (let hops = 0; hops < entries.size; hops++) {
      const next = direct.get(current);
      if (next === undefined || next === current) return current;
      current = next;
    }
    return current; // a cycle: stop anywhere, deterministically
  };
  const spellings = new Map<string, string>();
  for (const [spelling, name] of direct) spellings.set(spelling, resolve(name));

  const others = new Map<string, string[]>();
  for (const [name, entry] of entries) {
    const target = spellings.get(name) ?? name;
    const list = others.get(target) ?? [];
    for (const form of [name, ...entry.aliases.map(displayForm)]) {
      if (form !== target && spellings.get(foldText(form)) === target && !list.includes(form)) list.push(form);
    }
    others.set(target, list);
  }

  const canonical = (term: string): string => {
    const folded = foldText(term);
    const tries = [folded, folded.replace(/'s$/, ""), folded.replace(/-/g, " ")];
    for (const t of tries) {
      const found = spellings.get(t);
      if (found !== undefined) return found;
    }
    return folded;
  };
  return {
    canonical,
    aliasesOf: (name) => [...(others.get(canonical(name)) ?? [])],
    spellings,
  };
}
