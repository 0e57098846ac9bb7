import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { templateCatalog, type TemplateName } from "./catalog.js";
import { TemplateError } from "./template-errors.js";
import { checkFields, parseTemplate, renderNodes, type Node, type Values } from "./template.js";

export { TemplateError } from "./template-errors.js";
export type { TemplateName } from "./catalog.js";
export type { Values } from "./template.js";

/** The project's templates/ folder, found from this file so that it works from any working directory. */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL("../../templates/", import.meta.url));

export interface Templates {
  /** Renders a template to Telegram HTML. Every value is escaped. */
  render(name: TemplateName, values?: Values): string;
  /** Plain-text strings such as command descriptions (templates/commands.json). */
  commandDescription(command: string): string;
}

/**
 * Loads and checks every template once, at start. A missing file, a syntax error or an unknown
 * placeholder throws TemplateError with the file and line, so the bot never starts with a broken text.
 */
export function loadTemplates(dir: string = DEFAULT_TEMPLATES_DIR): Templates {
  const parsed = new Map<TemplateName, Node[]>();
  for (const [name, spec] of Object.entries(templateCatalog) as [TemplateName, (typeof templateCatalog)[TemplateName]][]) {
    const file = join(dir, `${name}.html`);
    const nodes = parseTemplate(readTemplateFile(file), file);
    checkFields(nodes, spec, file);
    parsed.set(name, nodes);
  }
  const descriptions = loadCommandDescriptions(join(dir, "commands.json"));

  return {
    render(name, values = {}) {
      const nodes = parsed.get(name);
      if (!nodes) throw new Error(`template ${name} was not loaded`);
      return tidy(renderNodes(nodes, values));
    },
    commandDescription(command) {
      const text = descriptions[command];
      if (text === undefined) {
        throw new TemplateError(join(dir, "commands.json"), 1, `no description for /${command}: add "${command}": "…".`);
      }
      return text;
    },
  };
}

function readTemplateFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new TemplateError(file, 1, "the file is missing. Restore it from the repository or create it.");
  }
}

function loadCommandDescriptions(file: string): Record<string, string> {
  let data: unknown;
  try {
    data = JSON.parse(readTemplateFile(file));
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    throw new TemplateError(file, 1, `is not valid JSON (${(error as Error).message}).`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new TemplateError(file, 1, 'must be an object like { "start": "Start the bot" }.');
  }
  for (const [command, text] of Object.entries(data)) {
    // Telegram limits command descriptions to 1-256 characters.
    if (typeof text !== "string" || text.trim().length === 0 || text.length > 256) {
      throw new TemplateError(file, 1, `the description of "${command}" must be text of 1 to 256 characters.`);
    }
  }
  return data as Record<string, string>;
}

/** Templates end with a newline and sections may leave gaps: trim them so messages look deliberate. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
