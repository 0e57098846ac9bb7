import { describe, expect, it } from "vitest";
import { formatAge } from "../../src/format/age.js";
import { fitItems, oneLine } from "../../src/format/lists.js";
import { htmlToPlainText } from "../../src/format/plain-text.js";

// The small format helpers the commands use (kept here, beside their only callers' tests).
describe("format helpers for command replies", () => {
  const now = new Date("2026-06-01T12:00:00Z");
  it.each([
    [0, "just now"],
    [-3_600_000, "just now"],
    [59_000, "just now"],
    [60_000, "1 min ago"],
    [2 * 3_600_000 + 59 * 60_000, "2 h ago"],
    [30 * 3_600_000, "1 d ago"],
    [Number.NaN, "just now"],
  ])("says an age of %d ms as %s", (ms, expected) => {
    expect(formatAge(new Date(now.getTime() - ms), now)).toBe(expected);
  });

  it("shrinks a list from the end until it fits", () => {
    const render = (kept: string[], omitted: number) => `${kept.join("\n")}\n+${omitted}`;
    expect(fitItems(["a".repeat(40), "b".repeat(40), "c".repeat(40)], render, 90)).toBe(`${"a".repeat(40)}\n${"b".repeat(40)}\n+1`);
    expect(fitItems(["a".repeat(200)], render, 90)).toBe("\n+1");
  });

  it("puts a value on one line, cut at a word", () => {
    expect(oneLine("  Floods\nclose   the M4 ", 100)).toBe("Floods close the M4");
    expect(oneLine("Floods close the M4 motorway", 15)).toBe("Floods close…");
  });

  it("turns a rendered template into plain text without splitting an emoji", () => {
    expect(htmlToPlainText("<b>A &amp; B</b> &lt;i&gt; &quot;x&quot;", 200)).toBe('A & B <i> "x"');
    const cut = htmlToPlainText("😀".repeat(150), 200);
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut).toMatch(/^(😀)+…$/u);
  });
});
