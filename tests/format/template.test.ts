import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../src/format/escape.js";
import { checkFields, parseTemplate, renderNodes, type FieldSpec, type Values } from "../../src/format/template.js";
import { createTemplates, TemplateError, type TemplateSources } from "../../src/format/templates.js";
import { readTemplateSources } from "../../src/texts.js";

const render = (source: string, values: Values, spec: FieldSpec = {}) => {
  const nodes = parseTemplate(source, "t.html");
  checkFields(nodes, spec, "t.html");
  return renderNodes(nodes, values);
};

describe("escapeHtml", () => {
  it.each([
    ["plain", "plain"],
    ["<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"],
    ["Tom & Jerry", "Tom &amp; Jerry"],
    ['say "hi"', "say &quot;hi&quot;"],
    ["&amp;", "&amp;amp;"],
    ["it's", "it's"],
    ["😀 مرحبا", "😀 مرحبا"],
    ["", ""],
  ])("%j → %j", (input, output) => expect(escapeHtml(input)).toBe(output));
});

describe("template language", () => {
  it.each<[string, Values, FieldSpec, string]>([
    ["Hi {{name}}!", { name: '<Ann> & "Bo"' }, { name: "text" }, "Hi &lt;Ann&gt; &amp; &quot;Bo&quot;!"],
    [
      '<a href="{{url}}">x</a>',
      { url: 'https://e.com/?a=1&b="2"' },
      { url: "text" },
      '<a href="https://e.com/?a=1&amp;b=&quot;2&quot;">x</a>',
    ],
    ["{{n}}", { n: 0 }, { n: "text" }, "0"],
    ["[{{missing}}]", {}, { missing: "text" }, "[]"],
    ["{{#items}}- {{name}}\n{{/items}}", { items: [{ name: "a" }, { name: "<b>" }] }, { items: { name: "text" } }, "- a\n- &lt;b&gt;\n"],
    ["{{#items}}\n- {{name}}\n{{/items}}\nend", { items: [{ name: "a" }] }, { items: { name: "text" } }, "- a\nend"],
    ["{{#on}}yes{{/on}}{{^on}}no{{/on}}", { on: false }, { on: "flag" }, "no"],
    ["{{#list}}x{{/list}}{{^list}}empty{{/list}}", { list: [] }, { list: {} }, "empty"],
    ["a{{! a comment }}b", {}, {}, "ab"],
    ["{{ spaced }}", { spaced: "ok" }, { spaced: "text" }, "ok"],
  ])("renders %j", (source, values, spec, expected) => expect(render(source, values, spec)).toBe(expected));

  it.each([
    ["Hi {{nmae}}", { name: "text" }, 1, /unknown placeholder \{\{nmae\}\}.*knows: name/],
    ["line1\nline2 {{#items}}x", { items: {} }, 2, /never closed/],
    ["{{/items}}", { items: {} }, 1, /never opened/],
    ["{{#a}}\n{{#b}}\n{{/a}}", { a: "flag", b: "flag" }, 3, /closes \{\{#b\}\} from line 2/],
    ["ok\n\nbad {{name", { name: "text" }, 3, /never closed with \}\}/],
    ["{{na-me}}", {}, 1, /not a placeholder/],
    ["{{items}}", { items: { x: "text" } }, 1, /is a list/],
  ])("rejects %j with the line", (source, spec, line, message) => {
    let caught: unknown;
    try {
      checkFields(parseTemplate(source, "bad.html"), spec as FieldSpec, "bad.html");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TemplateError);
    expect((caught as TemplateError).line).toBe(line);
    expect((caught as TemplateError).message).toMatch(new RegExp(`^bad\\.html:${line}: `));
    expect((caught as TemplateError).message).toMatch(message);
  });
});

describe("createTemplates", () => {
  const shipped = readTemplateSources();
  const withFile = (file: string, text: string | undefined): TemplateSources => {
    const files = { ...shipped.files };
    if (text === undefined) delete files[file];
    else files[file] = text;
    return { dir: "/srv/newsdesk/templates", files };
  };

  it("checks the shipped templates", () => {
    const templates = createTemplates(shipped);
    expect(templates.render("error")).toMatch(/Sorry/);
    expect(templates.commandDescription("help")).toBeTruthy();
  });

  it("renders the text it is given, not what is on disk", () => {
    const templates = createTemplates(withFile("stop.html", "Stopped {{removed}}."));
    expect(templates.render("stop", { removed: 3 })).toBe("Stopped 3.");
  });

  it("stops with the file and line when an editor mistypes a placeholder", () => {
    expect(() => createTemplates(withFile("start.html", "Hello\n{{firstNmae}}\n"))).toThrow(
      /^\/srv\/newsdesk\/templates\/start\.html:2: unknown placeholder \{\{firstNmae\}\}/,
    );
  });

  it("stops when a template file is missing", () => {
    expect(() => createTemplates(withFile("help.html", undefined))).toThrow(/templates\/help\.html:1: the file is missing/);
  });

  it("stops on broken commands.json", () => {
    expect(() => createTemplates(withFile("commands.json", "{ nope"))).toThrow(/commands\.json:1: is not valid JSON/);
  });
});
