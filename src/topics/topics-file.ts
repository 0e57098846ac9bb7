import { foldText } from "./fold.js";
import { MAX_TOPIC_LENGTH } from "./topic-length.js";

/** The alias file (shipped aliases.json or the operator's TOPICS_FILE) is unusable. */
export class TopicsFileError extends Error {
  override name = "TopicsFileError";
  constructor(
    readonly fileName: string,
    problem: string,
  ) {
    super(`${fileName}: ${problem}`);
  }
}

/** Topic name → aliases, as an editor writes it. */
export type TopicsFile = Record<string, string[]>;

const EXAMPLE = `Expected a JSON object of topic name -> list of aliases, e.g. {"uyghur": ["uighur", "uygur"], "uk": ["britain", "united kingdom"]}.`;

/** Keys starting with "//" are comments: JSON has none, and editors need to leave notes. */
function isComment(key: string): boolean {
  return key.startsWith("//");
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Parses and checks a topics file; the error says which file, which entry, and how to fix it. */
export function parseTopicsFile(jsonText: string, fileName: string): TopicsFile {
  let value: unknown;
  try {
    value = JSON.parse(jsonText);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new TopicsFileError(fileName, `is not valid JSON (${reason}). ${EXAMPLE} Check for trailing commas and unquoted names.`);
  }
  return validateTopics(value, fileName);
}

/** Checks an already parsed topics object (also used on the shipped aliases.json). */
export function validateTopics(value: unknown, fileName: string): TopicsFile {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TopicsFileError(fileName, `the top level is ${describe(value)}. ${EXAMPLE}`);
  }
  const result: TopicsFile = {};
  const owner = new Map<string, string>(); // folded spelling → topic that claims it
  const claim = (spelling: string, topic: string): void => {
    const folded = foldText(spelling);
    const previous = owner.get(folded);
    if (previous !== undefined && previous !== topic) {
      throw new TopicsFileError(fileName, `"${spelling}" is listed under both "${previous}" and "${topic}". Keep it under one topic only.`);
    }
    owner.set(folded, topic);
  };
  const checkName = (text: string, what: string): void => {
    if (foldText(text) === "") {
      throw new TopicsFileError(fileName, `${what} "${text}" has no letters or digits. Remove it or write a word.`);
    }
    if (text.length > MAX_TOPIC_LENGTH) {
      throw new TopicsFileError(fileName, `${what} "${text.slice(0, 20)}..." is longer than ${MAX_TOPIC_LENGTH} characters. Shorten it.`);
    }
  };

  for (const [topic, aliases] of Object.entries(value)) {
    if (isComment(topic)) continue;
    checkName(topic, "topic name");
    claim(topic, topic);
    if (!Array.isArray(aliases) || !aliases.every((a): a is string => typeof a === "string")) {
      throw new TopicsFileError(
        fileName,
        `"${topic}" must be a list of strings, but is ${describe(aliases)}. Write "${topic}": ["other spelling", ...] (use [] for none).`,
      );
    }
    for (const alias of aliases) {
      checkName(alias, `alias of "${topic}"`);
      claim(alias, topic);
    }
    result[topic.trim()] = aliases.map((a) => a.trim());
  }
  return result;
}
