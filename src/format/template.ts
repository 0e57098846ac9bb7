import { escapeHtml } from "./escape.js";
import { TemplateError } from "./template-errors.js";

/**
 * A small, strict subset of Mustache for texts editors may change:
 *   {{name}}             a value, always escaped for Telegram HTML
 *   {{#name}}…{{/name}}  a list (repeated per item, item fields in scope) or a condition
 *   {{^name}}…{{/name}}  shown when the value is empty or false
 *   {{! comment }}       dropped
 * Names are checked against the template's declared fields when it is loaded, so a typo stops the
 * bot at start instead of sending a broken message.
 */

export type Node =
  | { kind: "text"; text: string }
  | { kind: "value"; name: string; line: number }
  | { kind: "section"; name: string; inverted: boolean; children: Node[]; line: number };

/** What a template may use: a field is plain text, a flag (for a section), or a list of items with their own fields. */
export type FieldSpec = { [name: string]: "text" | "flag" | FieldSpec };

/**
 * The values a spec accepts, for the compiler: text is a string or a number, a flag a boolean, a list an
 * array of its items' values. Every field may be left out (it renders empty); Exactly keeps other names out.
 */
export type ValuesOf<S extends FieldSpec> = {
  readonly [K in keyof S]?: S[K] extends "text"
    ? string | number | undefined
    : S[K] extends "flag"
      ? boolean | undefined
      : S[K] extends FieldSpec
        ? readonly ValuesOf<S[K]>[]
        : never;
};

/**
 * V, but every name that Shape does not declare, in list items too, must be `never`. TypeScript checks
 * excess names only in an object literal written at the call; values built in a variable, a spread or a
 * .map() would slip a misspelt name through, and it would render blank.
 */
export type Exactly<V, Shape> = V & { [K in keyof V]: K extends keyof Shape ? ExactItems<V[K], Shape[K]> : never };
type ExactItems<T, Shape> = T extends readonly (infer Item)[] ? readonly Exactly<Item, ItemOf<Shape>>[] : T;
type ItemOf<List> = NonNullable<List> extends readonly (infer Item)[] ? Item : never;

const TAG = /\{\{\s*([#^/!]?)\s*([^}]*?)\s*\}\}/g;
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export function parseTemplate(source: string, file: string): Node[] {
  const root: Node[] = [];
  const stack: { name: string; children: Node[]; line: number }[] = [];
  let children = root;
  let cursor = 0;
  const lineOf = (offset: number) => source.slice(0, offset).split("\n").length;

  for (const match of source.matchAll(TAG)) {
    const [whole, sigil = "", rawName = ""] = match;
    const offset = match.index ?? 0;
    const line = lineOf(offset);
    let before = source.slice(cursor, offset);
    cursor = offset + whole.length;
    // A section or comment tag alone on its line takes the line with it, so lists leave no blank lines.
    const standalone = sigil !== "" && isStandalone(source, offset, cursor);
    if (standalone) {
      before = before.replace(/[ \t]*$/, "");
      cursor = source.indexOf("\n", cursor) === -1 ? source.length : source.indexOf("\n", cursor) + 1;
    }
    if (before) children.push({ kind: "text", text: before });
    if (sigil === "!") continue;
    if (!NAME.test(rawName)) {
      throw new TemplateError(file, line, `"${whole}" is not a placeholder: names use letters, digits and _.`);
    }
    if (sigil === "#" || sigil === "^") {
      const section: Node = { kind: "section", name: rawName, inverted: sigil === "^", children: [], line };
      children.push(section);
      stack.push({ name: rawName, children, line });
      children = section.children;
    } else if (sigil === "/") {
      const open = stack.pop();
      if (!open) throw new TemplateError(file, line, `{{/${rawName}}} closes a section that was never opened.`);
      if (open.name !== rawName) {
        throw new TemplateError(
          file,
          line,
          `{{/${rawName}}} closes {{#${open.name}}} from line ${open.line}; close it with {{/${open.name}}}.`,
        );
      }
      children = open.children;
    } else {
      children.push({ kind: "value", name: rawName, line });
    }
  }
  const unclosed = stack.pop();
  if (unclosed) throw new TemplateError(file, unclosed.line, `{{#${unclosed.name}}} is never closed: add {{/${unclosed.name}}}.`);
  const rest = source.slice(cursor);
  if (rest.includes("{{")) throw new TemplateError(file, lineOf(cursor + rest.indexOf("{{")), "a {{ is never closed with }}.");
  if (rest) children.push({ kind: "text", text: rest });
  return root;
}

function isStandalone(source: string, tagStart: number, tagEnd: number): boolean {
  const lineStart = source.lastIndexOf("\n", tagStart - 1) + 1;
  const newline = source.indexOf("\n", tagEnd);
  const lineEnd = newline === -1 ? source.length : newline;
  return /^[ \t]*$/.test(source.slice(lineStart, tagStart)) && /^[ \t\r]*$/.test(source.slice(tagEnd, lineEnd));
}

/** Checks every name against the declared fields; throws TemplateError with the line of the first unknown one. */
export function checkFields(nodes: Node[], spec: FieldSpec, file: string): void {
  for (const node of nodes) {
    if (node.kind === "text") continue;
    const field = spec[node.name];
    if (field === undefined) {
      const known = Object.keys(spec).join(", ") || "none";
      throw new TemplateError(file, node.line, `unknown placeholder {{${node.name}}}. This template knows: ${known}.`);
    }
    if (node.kind === "value" && typeof field !== "string") {
      throw new TemplateError(file, node.line, `{{${node.name}}} is a list: use {{#${node.name}}}…{{/${node.name}}}.`);
    }
    if (node.kind === "section") checkFields(node.children, typeof field === "string" ? spec : { ...spec, ...field }, file);
  }
}

/** Values as the renderer walks them, whatever the template: the names were checked against the spec at load. */
export type Values = { readonly [name: string]: string | number | boolean | undefined | null | readonly Values[] };

export function renderNodes(nodes: Node[], scope: Values): string {
  let out = "";
  for (const node of nodes) {
    if (node.kind === "text") out += node.text;
    else if (node.kind === "value") out += escapeHtml(display(scope[node.name]));
    else {
      const value = scope[node.name];
      const present = isList(value) ? value.length > 0 : Boolean(value);
      if (node.inverted) {
        if (!present) out += renderNodes(node.children, scope);
      } else if (isList(value)) {
        for (const item of value) out += renderNodes(node.children, { ...scope, ...item });
      } else if (present) {
        out += renderNodes(node.children, scope);
      }
    }
  }
  return out;
}

// Array.isArray narrows a readonly array to any[]: this keeps the item type.
const isList = (value: Values[string]): value is readonly Values[] => Array.isArray(value);

function display(value: Values[string]): string {
  if (value === undefined || value === null || value === false || isList(value)) return "";
  return String(value);
}
