/**
 * Integration tests that go through real HTTP run the production server build. Build it once per run, unless the
 * test runner (scripts/test-all.ts) already did.
 */
import { execSync } from "node:child_process";

export default function setup() {
  if (process.env.TEST_SKIP_BUILD === "1") return;
  execSync("npx remix build", { stdio: "inherit" });
}
