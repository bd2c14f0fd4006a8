/**
 * `npm test`: every suite, with everything it needs provided here (no manual steps).
 *   1. typecheck and lint
 *   2. production build (used by HTTP integration tests and Playwright)
 *   3. unit + integration tests on the embedded PGlite
 *   4. integration tests again on a real PostgreSQL server (a throwaway PostgreSQL 15 cluster unless DATABASE_URL is set)
 *   5. reliability tests (PostgreSQL restarts, PgBouncer, SIGTERM mid-write, two instances behind Debian's nginx,
 *      installed with apt-get when missing)
 *   6. the dev loop: `npm run dev` in a copy of the project, on PGlite and on a throwaway PostgreSQL (builds itself)
 *   7. Playwright end-to-end tests in Debian's Chromium (installed with apt-get when missing; never downloaded)
 * Prints one closing line "tests: N passed, M failed" and exits non-zero when anything failed.
 * `--only unit|integration|pg|e2e|static|reliability|dev` runs one part.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureChromium, ensureNginx } from "./debian-programs";
import { startThrowawayPostgres, type ThrowawayPostgres } from "./postgres-throwaway";

const args = process.argv.slice(2);
const onlyIndex = args.indexOf("--only");
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
const wants = (part: string) => !only || only === part;

const resultsDir = path.resolve("test-results");
fs.mkdirSync(resultsDir, { recursive: true });

let passed = 0;
let failed = 0;
const failures: string[] = [];
const timings: string[] = [];

async function step(name: string, fn: () => boolean | Promise<boolean>) {
  const started = Date.now();
  console.log(`\n=== ${name}`);
  let ok = false;
  try {
    ok = await fn();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    ok = false;
  }
  timings.push(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s${ok ? "" : " (FAILED)"}`);
  if (!ok) failures.push(name);
  return ok;
}

function run(command: string, env: Record<string, string> = {}): boolean {
  const result = spawnSync(command, { shell: true, stdio: "inherit", env: { ...process.env, ...env } });
  return result.status === 0;
}

/** Runs vitest with a JSON report and adds its counts. */
function vitest(label: string, project: string, env: Record<string, string> = {}): boolean {
  const out = path.join(resultsDir, `vitest-${label}.json`);
  fs.rmSync(out, { force: true });
  const ok = run(`npx vitest run --project ${project} --reporter=default --reporter=json --outputFile=${out}`, {
    TEST_SKIP_BUILD: "1",
    ...env,
  });
  try {
    const report = JSON.parse(fs.readFileSync(out, "utf8")) as {
      numPassedTests: number;
      numFailedTests: number;
      numTotalTests: number;
    };
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    if (report.numTotalTests === 0) {
      console.error(`${label}: no tests ran`);
      return false;
    }
  } catch {
    failed += 1;
    console.error(`${label}: no report was written`);
    return false;
  }
  return ok;
}

function playwright(env: Record<string, string>): boolean {
  const out = path.join(resultsDir, "e2e.json");
  fs.rmSync(out, { force: true });
  const ok = run("npx playwright test", { CI: "1", ...env });
  try {
    const report = JSON.parse(fs.readFileSync(out, "utf8")) as {
      stats: { expected: number; unexpected: number; flaky: number };
    };
    passed += report.stats.expected + report.stats.flaky;
    failed += report.stats.unexpected;
    if (report.stats.expected + report.stats.unexpected + report.stats.flaky === 0) return false;
  } catch {
    failed += 1;
    console.error("e2e: no report was written");
    return false;
  }
  return ok;
}

const started = Date.now();
let pg: ThrowawayPostgres | undefined;
const cleanup: Array<() => void> = [];
process.on("exit", () => {
  for (const fn of cleanup.reverse()) {
    try {
      fn();
    } catch {
      /* best effort */
    }
  }
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));

if (wants("static")) {
  await step("typecheck", () => run("npx tsc"));
  await step("lint", () => run("npx eslint --max-warnings 0 ."));
}

const needsBuild = ["integration", "pg", "e2e", "reliability", undefined].includes(only);
let built = true;
if (needsBuild) built = await step("build", () => run("npm run build"));

if (wants("unit")) await step("unit tests", () => vitest("unit", "unit"));

if (wants("integration") && built)
  await step("integration tests (PGlite)", () => vitest("integration-pglite", "integration", { DATABASE_URL: "" }));

if (wants("pg") && built) {
  await step("integration tests (PostgreSQL)", async () => {
    let url = process.env.DATABASE_URL;
    if (!url) {
      pg = await startThrowawayPostgres();
      const server = pg;
      cleanup.push(() => server.stop());
      url = pg.url;
      console.log(`Started a throwaway PostgreSQL at ${url}`);
    }
    return vitest("integration-postgres", "integration", { DATABASE_URL: url });
  });
}

if (wants("reliability") && built) {
  await step("reliability tests (outages, PgBouncer, SIGTERM, concurrent start, two instances behind nginx)", () =>
    vitest("reliability", "reliability", { NGINX_PATH: ensureNginx() }),
  );
}

if (wants("dev")) {
  await step("dev loop (npm run dev on PGlite and PostgreSQL)", () => vitest("dev", "dev"));
}

if (wants("e2e") && built) {
  await step("end-to-end tests (Playwright + Chromium)", () => {
    const chromium = ensureChromium();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-e2e-"));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return playwright({ CHROMIUM_PATH: chromium, E2E_PGLITE_DIR: path.join(dir, "pglite") });
  });
}

console.log(`\n${timings.join("\n")}`);
console.log(`total: ${((Date.now() - started) / 1000).toFixed(0)} s`);
if (failures.length) console.log(`failed steps: ${failures.join(", ")}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
pg?.stop();
process.exit(failures.length || failed ? 1 : 0);
