/**
 * A private copy of the production server build. build/ is shared with the test suites, which rebuild it (vitest
 * builds under NODE_ENV=test, which yields a development build that cannot run under NODE_ENV=production). The
 * benchmark copies a production build into .cache/pinpoint-bench/<pid>/build once and uses only that copy, so a
 * rebuild during the run changes nothing. `public` is copied with it.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface PrivateBuild {
  /** Directory to use as the server's working directory (has build/index.js and public/). */
  root: string;
  buildPath: string;
  /** true when this run had to (re)build. */
  rebuilt: boolean;
  remove(): void;
}

function isProductionBuild(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const text = fs.readFileSync(file, "utf8");
  // A development build calls jsxDEV from react/jsx-dev-runtime, which is undefined under NODE_ENV=production.
  return text.length > 1000 && !text.includes("jsx-dev-runtime");
}

export function preparePrivateBuild(repoRoot: string, log: (m: string) => void): PrivateBuild {
  const shared = path.join(repoRoot, "build", "index.js");
  let rebuilt = false;
  if (!isProductionBuild(shared)) {
    log(
      `build/index.js is ${fs.existsSync(shared) ? "a development build" : "missing"}: running \`npx remix build\` (NODE_ENV=production)`,
    );
    execFileSync("npx", ["remix", "build"], {
      cwd: repoRoot,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, NODE_ENV: "production" },
    });
    rebuilt = true;
  }
  const root = path.join(repoRoot, ".cache", "pinpoint-bench", String(process.pid));
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(path.join(root, "build"), { recursive: true });
  const buildPath = path.join(root, "build", "index.js");
  fs.copyFileSync(shared, buildPath);
  if (!isProductionBuild(buildPath))
    throw new Error(
      "could not get a production build (build/ changed while copying?); run `npx remix build` and retry",
    );
  // public/ is copied too (2 MB): its build/ assets must be the ones this server build names, also when a test run
  // rebuilds the shared build/ and public/build/ (a development build, other hashes) during the bench.
  fs.cpSync(path.join(repoRoot, "public"), path.join(root, "public"), { recursive: true });
  return {
    root,
    buildPath,
    rebuilt,
    remove() {
      fs.rmSync(root, { recursive: true, force: true });
      try {
        fs.rmdirSync(path.dirname(root)); // .cache/pinpoint-bench, when no other run uses it
      } catch {
        /* not empty */
      }
    },
  };
}
