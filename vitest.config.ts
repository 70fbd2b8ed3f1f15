import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          // Unit tests first, then integration tests with their own worker limit.
          sequence: { groupOrder: 0 },
          include: ["{apps,packages}/*/src/**/*.test.ts"],
          environment: "node",
          silent: "passed-only",
        },
      },
      {
        test: {
          name: "integration",
          sequence: { groupOrder: 1 },
          include: ["{apps,packages}/*/src/**/*.integration-test.ts"],
          environment: "node",
          silent: "passed-only",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file gets its own database; two at a time keeps a 2-core machine responsive.
          maxWorkers: 2,
        },
      },
    ],
  },
});
