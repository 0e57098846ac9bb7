import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // better-sqlite3 is a native addon: separate processes keep each test file's database private.
    pool: "forks",
    reporters: ["default", "./tests/support/summary-reporter.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
