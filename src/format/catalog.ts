import type { FieldSpec, ValuesOf } from "./template.js";

const commandList = { command: "text", description: "text" } satisfies FieldSpec;
/** One story in a list: /latest after the card, /topic results. */
const storyLine = { headline: "text", link: "text", source: "text", age: "text" } satisfies FieldSpec;
const topicList = { topic: "text" } satisfies FieldSpec;

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
  digest: { date: "text", items: { headline: "text", link: "text", source: "text" } },
  article: {
    headline: "text",
    summary: "text",
    link: "text",
    host: "text",
    source: "text",
    time: "text",
    hashtags: { tag: "text" },
  },
  latest: { items: storyLine, hasItems: "flag", clamped: "flag", max: "text" },
  "latest-empty": {},
  "latest-usage": { defaultCount: "text", max: "text" },
  topic: { query: "text", page: "text", items: { ...storyLine, snippet: "text" }, moreNeedsShorterQuery: "flag" },
  "topic-none": { query: "text", suggestions: topicList, hasSuggestions: "flag" },
  "topic-usage": { query: "text", unsearchable: "flag", suggestions: topicList, hasSuggestions: "flag" },
  topics: { items: { topic: "text", count: "text" }, hasItems: "flag", days: "text" },
  follow: {
    topic: "text",
    added: "flag",
    exists: "flag",
    limit: "flag",
    max: "text",
    tooLong: "flag",
    maxChars: "text",
    noWords: "flag",
    usage: "flag",
  },
  unfollow: { topic: "text", removed: "flag", notFollowed: "flag", noWords: "flag", usage: "flag" },
  mytopics: { topics: topicList, count: "text", max: "text", omitted: "text" },
  stop: { removed: "text" },
  "private-only": { command: "text", botUsername: "text" },
  "admin-only": {},
  "callback-expired": {},
  "button-more": {},
  "button-back": {},
  "button-follow": { topic: "text" },
  "button-unfollow": { topic: "text" },
  "button-topic": { topic: "text", count: "text" },
  "not-for-you": {},
  "desk-private-only": { command: "text", botUsername: "text" },
  "dialog-cancelled": {},
  "dialog-none": {},
  "dialog-expired": { minutes: "text" },
  "dialog-hint": {},
  "push-pick": { hasItems: "flag" },
  "push-no-channel": {},
  "push-already": { link: "text" },
  "push-progress": {
    headline: "text",
    sent: "text",
    failed: "text",
    blocked: "text",
    left: "text",
    rate: "text",
    eta: "text",
    done: "flag",
  },
  "button-push-pick": { headline: "text", source: "text", age: "text" },
  "button-push-publish": {},
  "button-push-publish-alert": { followers: "text" },
  "button-push-silent": { silent: "flag" },
  "button-push-cancel": {},
  "button-push-edit-headline": {},
  "button-push-edit-summary": {},
  "button-push-search": {},
  "push-search-ask": {},
  "push-search-results": { query: "text", hasItems: "flag" },
  "push-edit-ask": { headline: "flag", max: "text" },
  "push-edit-refused": { headline: "flag", max: "text", length: "text" },
} satisfies Record<string, FieldSpec>;

export type TemplateName = keyof typeof templateCatalog;

/** What render(name, values) accepts for one template, derived from its fields above: a mistyped name does not compile. */
export type TemplateValues<N extends TemplateName> = ValuesOf<(typeof templateCatalog)[N]>;
