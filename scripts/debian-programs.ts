/**
 * Programs from Debian's packages that tests and the bench run for real: Chromium for Playwright (scripts/test-all.ts)
 * and Lighthouse (bench/lighthouse.ts), nginx for the two-instance suite (tests/reliability/two-instances.test.ts).
 * Each is taken from its environment variable or its usual path, and installed with apt-get when missing and we are
 * root. Never downloads a browser build.
 */
import { execSync } from "node:child_process";
import fs from "node:fs";

interface DebianProgram {
  /** What people call it, for messages. */
  label: string;
  /** The environment variable that may point at it. */
  envVar: string;
  paths: string[];
  /** The Debian package that provides `paths[0]`. */
  debianPackage: string;
}

function ensureDebianProgram({ label, envVar, paths, debianPackage }: DebianProgram): string {
  const candidates = [process.env[envVar], ...paths].filter(Boolean) as string[];
  const found = candidates.find((p) => fs.existsSync(p));
  if (found) return found;
  if (process.getuid?.() !== 0)
    throw new Error(
      `${label} is missing and we are not root: run \`apt-get install -y ${debianPackage}\` (Debian) or set ${envVar}.`,
    );
  console.log(`Installing Debian's ${label} (apt-get install ${debianPackage})…`);
  execSync(
    `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${debianPackage}`,
    { stdio: "inherit" },
  );
  if (!fs.existsSync(paths[0])) throw new Error(`apt-get install ${debianPackage} did not provide ${paths[0]}`);
  return paths[0];
}

export const ensureChromium = () =>
  ensureDebianProgram({
    label: "Chromium",
    envVar: "CHROMIUM_PATH",
    paths: ["/usr/bin/chromium", "/usr/bin/chromium-browser"],
    debianPackage: "chromium",
  });

export const ensureNginx = () =>
  ensureDebianProgram({
    label: "nginx",
    envVar: "NGINX_PATH",
    paths: ["/usr/sbin/nginx"],
    debianPackage: "nginx-light",
  });
