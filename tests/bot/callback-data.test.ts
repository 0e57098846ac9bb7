import { describe, expect, it } from "vitest";
import { encodeButton, MAX_PAGE, parseButton, type ButtonAction } from "../../src/bot/callback-data.js";

describe("button callback data", () => {
  it.each<[string, ButtonAction, string]>([
    ["a page of /topic", { kind: "more", page: 2, query: "xinjiang" }, "1:m:2:xinjiang"],
    ["a quoted phrase with colons", { kind: "more", page: 20, query: '"forced labour": uk' }, '1:m:20:"forced labour": uk'],
    ["a topic to show", { kind: "topic", query: "uk" }, "1:t:uk"],
    ["a topic to follow", { kind: "follow", topic: "uyghur" }, "1:f:uyghur"],
    ["a topic to remove", { kind: "unfollow", topic: "新疆" }, "1:u:新疆"],
    ["whitespace collapsed", { kind: "topic", query: "  forced \n labour " }, "1:t:forced labour"],
    ["exactly 64 bytes", { kind: "follow", topic: "x".repeat(60) }, `1:f:${"x".repeat(60)}`],
  ])("round-trips %s", (_name, action, data) => {
    expect(encodeButton(action)).toBe(data);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    const parsed = parseButton(data);
    expect(parsed).toBeDefined();
    expect(encodeButton(parsed as ButtonAction)).toBe(data);
  });

  it.each<[string, ButtonAction]>([
    ["a query one byte too long", { kind: "follow", topic: "x".repeat(61) }],
    ["multi-byte text past 64 bytes", { kind: "unfollow", topic: "新".repeat(21) }],
    ["an empty query", { kind: "topic", query: "  " }],
    ["page 0", { kind: "more", page: 0, query: "x" }],
    ["a page past the last", { kind: "more", page: MAX_PAGE + 1, query: "x" }],
    ["a fractional page", { kind: "more", page: 1.5, query: "x" }],
    ["control characters", { kind: "topic", query: "a\u0000b" }],
  ])("gives no button for %s", (_name, action) => {
    expect(encodeButton(action)).toBeUndefined();
  });

  it.each([
    ["empty", ""],
    ["unknown version", "2:m:2:xinjiang"],
    ["no version", "m:2:xinjiang"],
    ["unknown action", "1:x:xinjiang"],
    ["upper-case action", "1:M:2:xinjiang"],
    ["page 0", "1:m:0:xinjiang"],
    ["negative page", "1:m:-1:xinjiang"],
    ["leading zero", "1:m:02:xinjiang"],
    ["page too large", `1:m:${MAX_PAGE + 1}:xinjiang`],
    ["huge page", "1:m:99999999999999999999:x"],
    ["page without query", "1:m:2:"],
    ["page not a number", "1:m:two:xinjiang"],
    ["missing query", "1:t:"],
    ["untidy whitespace", "1:t: xinjiang"],
    ["double space", "1:f:forced  labour"],
    ["newline", "1:f:forced\nlabour"],
    ["control bytes", "1:f:\u0001\u0002"],
    ["replacement characters (random bytes)", "1:t:\uFFFD\uFFFD"],
    ["lone surrogate", "1:t:\uD800"],
    ["oversized", `1:t:${"x".repeat(100)}`],
    ["random text", "hello"],
    ["HTML", "<b>1:t:x</b>"],
  ])("refuses %s", (_name, data) => {
    expect(parseButton(data)).toBeUndefined();
  });
});

describe("the buttons of /schedule", () => {
  it.each<ButtonAction>([
    { kind: "post-now", articleId: 1 },
    { kind: "skip", articleId: 123_456_789 },
  ])("round-trips %o", (action) => {
    expect(parseButton(encodeButton(action)!)).toEqual(action);
  });

  it.each(["1:p:0", "1:p:-1", "1:p:01", "1:p:1.5", "1:p:1e3", "1:k:", "1:k:abc", `1:k:${"9".repeat(17)}`, "1:p:12 "])(
    "refuses %s",
    (data) => {
      expect(parseButton(data)).toBeUndefined();
    },
  );

  it("carries no id that is not a positive whole number", () => {
    expect(encodeButton({ kind: "post-now", articleId: 0 })).toBeUndefined();
    expect(encodeButton({ kind: "skip", articleId: 1.5 })).toBeUndefined();
  });
});
