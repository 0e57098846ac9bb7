import type { FieldSpec } from "./template.js";

const commandList: FieldSpec = { command: "text", description: "text" };

/**
 * Every template the bot uses and the fields each may reference. A file in templates/ is named
 * after its key (start → templates/start.html). Adding a placeholder an editor can use starts here.
 */
export const templateCatalog = {
  start: { firstName: "text", commands: commandList },
  help: { commands: commandList, adminCommands: commandList, isAdmin: "flag" },
  unknown: { command: "text" },
  error: {},
  alert: { topic: "text" },
  article: {
    headline: "text",
    summary: "text",
    link: "text",
    host: "text",
    source: "text",
    time: "text",
    hashtags: { tag: "text" },
  },
} satisfies Record<string, FieldSpec>;

export type TemplateName = keyof typeof templateCatalog;
