import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
// A fresh embedded database per run, seeded with the demo data on first start.
const dataDir =
  process.env.E2E_PGLITE_DIR ?? path.join(os.tmpdir(), `pinpoint-e2e-${process.pid}-${Date.now()}`, "pglite");

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "test-results/e2e.json" }]] : [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        // Debian's Chromium; Playwright never downloads a browser here.
        launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
      },
    },
  ],
  webServer: {
    // The build is made by `npm test` (scripts/test-all.ts) before Playwright starts.
    command: "node --import tsx server/index.ts",
    url: `http://localhost:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    env: {
      PORT: String(port),
      NODE_ENV: "production",
      PGLITE_DIR: dataDir,
      SESSION_SECRET_FILE: path.join(path.dirname(dataDir), "session-secret"),
      UPLOAD_DIR: path.join(path.dirname(dataDir), "uploads"),
      DATABASE_URL: "",
      // Many sign-ins from one address during the run; the limits themselves are tested in integration tests.
      RATE_LIMIT_MULTIPLIER: "100",
      // One JSON line per request would bury Playwright's own report; warnings and errors still show.
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    },
  },
});
