import { describe, expect, it } from "vitest";
import { button } from "../../src/bot/buttons.js";
import { createTemplates } from "../../src/format/templates.js";
import { readTemplateSources } from "../../src/texts.js";

/*
 * `npm test` runs tsc over tests/: each @ts-expect-error below must meet a type error, or tsc fails with
 * "Unused '@ts-expect-error' directive". The calls also run, to show what the types prevent: a blank.
 */
const templates = createTemplates(readTemplateSources());

describe("template values are checked against the catalog by the compiler", () => {
  it("rejects a misspelt field, which would render blank", () => {
    // @ts-expect-error -- "topc" is not a field of follow
    expect(templates.render("follow", { topc: "Xinjiang", added: true })).toMatch(/^🔔 You now follow <b><\/b>\./);
    expect(templates.render("follow", { topic: "Xinjiang", added: true })).toMatch(/^🔔 You now follow <b>Xinjiang<\/b>\./);
  });

  it("rejects a value of the wrong kind and an unknown template", () => {
    // @ts-expect-error -- a flag is a boolean
    templates.render("follow", { added: "yes" });
    // @ts-expect-error -- text is a string or a number
    templates.render("stop", { removed: true });
    // @ts-expect-error -- a list is an array of items
    templates.render("digest", { items: "none" });
    // @ts-expect-error -- there is no such template
    expect(() => templates.render("folow")).toThrow(/was not loaded/);
  });

  it("rejects misspelt names that TypeScript's excess-property check alone lets through", () => {
    const stories = ["a", "b"].map((headline) => ({ headline, link: "https://example.com/", source: "Wire", agee: "1 h" }));
    // @ts-expect-error -- "agee" in the items of a list built with .map()
    templates.render("latest", { items: stories, hasItems: true });
    const shared = { query: "xinjiang", hasSuggestions: false, unsearchable: true };
    // @ts-expect-error -- a spread brings "unsearchable", which topic-none does not know
    templates.render("topic-none", { ...shared });
    templates.render("topic-usage", { ...shared });
  });

  it("checks the helpers that render for the commands", () => {
    // @ts-expect-error -- "topc" is not a field of button-follow
    button(templates, "button-follow", { topc: "x" }, { kind: "follow", topic: "x" });
    expect(button(templates, "button-follow", { topic: "x" }, { kind: "follow", topic: "x" })?.text).toBe("🔔 Follow x");
  });
});
