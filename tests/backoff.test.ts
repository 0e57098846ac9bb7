import { describe, expect, it } from "vitest";
import { backoffMs } from "../src/backoff.js";

describe("backoffMs: the one backoff curve", () => {
  const range = { firstMs: 1_000, maxMs: 8_000 };

  it.each([
    [0, 1_000],
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [4, 8_000],
    [5, 8_000],
    [60, 8_000],
  ])("retry %i waits %i ms", (attempt, expected) => {
    expect(backoffMs(attempt, range)).toBe(expected);
  });

  it("with jitter, waits in the upper half of the ceiling", () => {
    expect(backoffMs(3, { ...range, jitter: () => 0 })).toBe(2_000);
    expect(backoffMs(3, { ...range, jitter: () => 0.999 })).toBe(3_998);
  });
});
