/**
 * The admin desk's buttons, parsed and validated here as the readers' ones are in callback-data.ts:
 *
 *   1:d:a:<articleId>            pick this story (/push)
 *   1:d:f                        search for a story to pick
 *   1:d:p:<articleId>:<0|1>      publish it, silent or not; also understood after its dialog ended
 *   1:d:q:<articleId>:<0|1>      the same, and alert its followers
 *   1:d:s                        toggle Silent
 *   1:d:h, 1:d:m                 edit the headline, the summary
 *   1:d:x                        cancel
 *   1:d:d                        done: the pasted article is complete (/post)
 *   1:d:c:<articleId>            confirm: send the correction (/correct), retract the story (/retract)
 *
 * Anything else starting with 1:d: parses to undefined (the button has expired). Non-admins pressing any of them
 * are answered by the admin gate (the /push row's `buttons`), and nothing runs.
 */

import type { InlineKeyboardButton } from "grammy/types";
import type { Exactly, TemplateName, Templates, TemplateValues } from "../format/templates.js";
import { buttonLabel } from "../bot/buttons.js";

export type DeskAction =
  | { kind: "pick"; articleId: number }
  | { kind: "publish"; articleId: number; silent: boolean; alert: boolean }
  | { kind: "search" }
  | { kind: "silent" }
  | { kind: "edit"; field: "headline" | "summary" }
  | { kind: "cancel" }
  | { kind: "done" }
  | { kind: "confirm"; articleId: number };

/** Every desk button's data matches this. */
export const DESK_DATA = /^1:d:/;

export const isDeskButton = (data: string): boolean => DESK_DATA.test(data);

/** A desk button: its label from a template, its action as callback data. */
export function deskButton<N extends TemplateName, V extends TemplateValues<N>>(
  templates: Templates,
  name: N,
  values: Exactly<V, TemplateValues<N>>,
  action: DeskAction,
): InlineKeyboardButton {
  return { text: buttonLabel(templates, name, values), callback_data: encodeDesk(action) };
}

export function encodeDesk(action: DeskAction): string {
  if (action.kind === "pick") return `1:d:a:${action.articleId}`;
  if (action.kind === "publish") return `1:d:${action.alert ? "q" : "p"}:${action.articleId}:${action.silent ? 1 : 0}`;
  if (action.kind === "edit") return action.field === "headline" ? "1:d:h" : "1:d:m";
  if (action.kind === "search") return "1:d:f";
  if (action.kind === "done") return "1:d:d";
  if (action.kind === "confirm") return `1:d:c:${action.articleId}`;
  return action.kind === "silent" ? "1:d:s" : "1:d:x";
}

const ID = "([1-9][0-9]{0,14})";
const PICK = new RegExp(`^1:d:a:${ID}$`);
const PUBLISH = new RegExp(`^1:d:([pq]):${ID}:([01])$`);
const CONFIRM = new RegExp(`^1:d:c:${ID}$`);

export function parseDesk(data: string): DeskAction | undefined {
  if (data === "1:d:s") return { kind: "silent" };
  if (data === "1:d:x") return { kind: "cancel" };
  if (data === "1:d:f") return { kind: "search" };
  if (data === "1:d:d") return { kind: "done" };
  if (data === "1:d:h") return { kind: "edit", field: "headline" };
  if (data === "1:d:m") return { kind: "edit", field: "summary" };
  const pick = PICK.exec(data);
  if (pick) return { kind: "pick", articleId: Number(pick[1]) };
  const publish = PUBLISH.exec(data);
  if (publish) return { kind: "publish", articleId: Number(publish[2]), silent: publish[3] === "1", alert: publish[1] === "q" };
  const confirm = CONFIRM.exec(data);
  if (confirm) return { kind: "confirm", articleId: Number(confirm[1]) };
  return undefined;
}
