import { join } from "node:path";
import { templateCatalog, type TemplateName, type TemplateValues } from "./catalog.js";
import { TemplateError } from "./template-errors.js";
import { checkFields, parseTemplate, renderNodes, type Exactly, type Node } from "./template.js";

export { TemplateError } from "./template-errors.js";
export type { TemplateName, TemplateValues } from "./catalog.js";
export type { Exactly } from "./template.js";

const COMMANDS_FILE = "commands.json";

/** Every file of templates/ the bot needs: one per template of the catalog, and the command descriptions. */
export const TEMPLATE_FILES: readonly string[] = [...Object.keys(templateCatalog).map((name) => `${name}.html`), COMMANDS_FILE];

/** The texts of templates/, read by the app at start. */
export interface TemplateSources {
  /** The folder, as error messages name it. */
  dir: string;
  /** File name ("start.html") → its text; a file that could not be found is left out. */
  files: Readonly<Record<string, string>>;
}

export interface Templates {
  /** Renders a template to Telegram HTML. Every value is escaped; the compiler holds the values to the catalog's fields. */
  render<N extends TemplateName, V extends TemplateValues<N>>(name: N, values?: Exactly<V, TemplateValues<N>>): string;
  /** Plain-text strings such as command descriptions (templates/commands.json). */
  commandDescription(command: string): string;
}

/**
 * Parses and checks every template once, at start, from the text it is given. A missing file, a syntax error
 * or an unknown placeholder throws TemplateError with the file and line, so the bot never starts with a broken text.
 */
export function createTemplates({ dir, files }: TemplateSources): Templates {
  const textOf = (file: string): string => {
    const text = files[file];
    if (text === undefined)
      throw new TemplateError(join(dir, file), 1, "the file is missing. Restore it from the repository or create it.");
    return text;
  };
  const parsed = new Map<TemplateName, Node[]>();
  for (const [name, spec] of Object.entries(templateCatalog) as [TemplateName, (typeof templateCatalog)[TemplateName]][]) {
    const file = join(dir, `${name}.html`);
    const nodes = parseTemplate(textOf(`${name}.html`), file);
    checkFields(nodes, spec, file);
    parsed.set(name, nodes);
  }
  const commandsFile = join(dir, COMMANDS_FILE);
  const descriptions = parseCommandDescriptions(textOf(COMMANDS_FILE), commandsFile);

  return {
    render(name, values) {
      const nodes = parsed.get(name);
      if (!nodes) throw new Error(`template ${name} was not loaded`);
      return tidy(renderNodes(nodes, values ?? {}));
    },
    commandDescription(command) {
      const text = descriptions[command];
      if (text === undefined) throw new TemplateError(commandsFile, 1, `no description for /${command}: add "${command}": "…".`);
      return text;
    },
  };
}

function parseCommandDescriptions(text: string, file: string): Record<string, string> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TemplateError(file, 1, `is not valid JSON (${(error as Error).message}).`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new TemplateError(file, 1, 'must be an object like { "start": "Start the bot" }.');
  }
  for (const [command, description] of Object.entries(data)) {
    // Telegram limits command descriptions to 1-256 characters.
    if (typeof description !== "string" || description.trim().length === 0 || description.length > 256) {
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
