import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "~": path.resolve(import.meta.dirname, "app") };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          hookTimeout: 120_000,
          testTimeout: 60_000,
          // Each file opens its own database (about 200-700 MB for PGlite); two at a time fits the 2-core box.
          maxWorkers: 2,
          globalSetup: ["tests/helpers/global-setup.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "reliability",
          include: ["tests/reliability/**/*.test.ts"],
          environment: "node",
          hookTimeout: 180_000,
          testTimeout: 180_000,
          fileParallelism: false,
          globalSetup: ["tests/helpers/global-setup.ts"],
        },
      },
    ],
  },
});
