import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "~": path.resolve(import.meta.dirname, "app") };
// Tests never write a generated secret into ./data; a fixed test-only secret signs their cookies.
// Quiet logs (server/log.ts) unless LOG_LEVEL asks for them; spawned servers log at info (tests/helpers/server-process.ts).
const env = {
  SESSION_SECRET: "test-only-session-secret-0123456789abcdef",
  LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
};
// Integration tests cross-check every page read they cause against its hand-written reference query; a difference
// fails the request with a 500 (db/validate.server.ts). About +10% CPU on the page-heavy files; DB_VALIDATE=0 turns it off.
const integrationEnv = { ...env, DB_VALIDATE: process.env.DB_VALIDATE ?? "1" };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", env, include: ["tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          env: integrationEnv,
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
          env,
          include: ["tests/reliability/**/*.test.ts"],
          environment: "node",
          hookTimeout: 180_000,
          testTimeout: 180_000,
          fileParallelism: false,
          globalSetup: ["tests/helpers/global-setup.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          // `npm run dev` in a copy of the project: it builds there itself, so no production build is needed.
          name: "dev",
          env,
          include: ["tests/dev/**/*.test.ts"],
          environment: "node",
          hookTimeout: 120_000,
          testTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
