/**
 * Debian's Chromium for Playwright (scripts/test-all.ts) and Lighthouse (bench/lighthouse.ts): CHROMIUM_PATH or
 * /usr/bin/chromium, installed with apt-get when missing and we are root. Never downloads a browser build.
 */
import { execSync } from "node:child_process";
import fs from "node:fs";

export function ensureChromium(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
    Boolean,
  ) as string[];
  const found = candidates.find((p) => fs.existsSync(p));
  if (found) return found;
  if (process.getuid?.() !== 0)
    throw new Error(
      "Chromium is missing and we are not root: run `apt-get install -y chromium` (Debian) or set CHROMIUM_PATH.",
    );
  console.log("Installing Debian's Chromium (apt-get install chromium)…");
  execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", {
    stdio: "inherit",
  });
  if (!fs.existsSync("/usr/bin/chromium"))
    throw new Error("apt-get install chromium did not provide /usr/bin/chromium");
  return "/usr/bin/chromium";
}
