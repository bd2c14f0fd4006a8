/**
 * Lighthouse 12.2.3 (pinned in package.json) on the QR landing page, with its default settings: the mobile preset
 * (Moto G Power screen, simulated slow 4G, 4× CPU slowdown). Debian's Chromium (scripts/debian-programs.ts), started here
 * with a DevTools port; never a downloaded browser. Bench only: scores depend on the machine's load, so no test
 * asserts them (tests/e2e/accessibility.spec.ts checks the page's accessibility with axe instead).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureChromium } from "../scripts/debian-programs";

export interface LighthouseRun {
  url: string;
  lighthouse: string;
  chromium: string;
  performance: number | null;
  accessibility: number | null;
  bestPractices: number | null;
  lcpMs: number | null;
  fcpMs: number | null;
  tbtMs: number | null;
  cls: number | null;
  transferBytes: number | null;
  /** Audits of the two categories that did not pass (score < 1), with Lighthouse's title. */
  failing: { id: string; title: string; score: number | null; display?: string }[];
  /** Set when the figures come from another run than the rest of the report (said next to them). */
  source?: string;
}

interface Lhr {
  lighthouseVersion: string;
  categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<
    string,
    {
      id: string;
      title: string;
      score: number | null;
      scoreDisplayMode: string;
      numericValue?: number;
      displayValue?: string;
    }
  >;
}

type LighthouseFn = (url: string, flags: Record<string, unknown>) => Promise<{ lhr: Lhr } | undefined>;

/** Starts Chromium headless with a DevTools port of its choosing and reads the port from its stderr. */
async function startChromium(executable: string): Promise<{ port: number; version: string; stop(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-lighthouse-"));
  const child = spawn(
    executable,
    [
      "--headless=new",
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      // Running as root in a container: Chromium's sandbox needs user namespaces it may not have.
      ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    child.kill("SIGKILL");
    // Chromium's helpers may still write into the profile for a moment after the kill.
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    try {
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {
      /* a temporary directory left behind is harmless */
    }
  };
  const port = await new Promise<number>((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`Chromium gave no DevTools port: ${text.slice(0, 500)}`)), 30_000);
    child.stderr!.on("data", (c: Buffer) => {
      text += c.toString();
      const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once("exit", (code) => reject(new Error(`Chromium exited with ${code}: ${text.slice(0, 500)}`)));
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  const version = await fetch(`http://127.0.0.1:${port}/json/version`)
    .then((r) => r.json() as Promise<{ Browser?: string }>)
    .then((j) => j.Browser ?? "unknown")
    .catch(() => "unknown");
  return { port, version, stop };
}

export async function runLighthouse(url: string, log: (m: string) => void): Promise<LighthouseRun> {
  const executable = ensureChromium();
  const { default: lighthouse } = (await import("lighthouse")) as unknown as { default: LighthouseFn };
  const chrome = await startChromium(executable);
  try {
    log(`lighthouse: ${url} in ${chrome.version} (mobile preset)`);
    const result = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices"],
    });
    if (!result) throw new Error("Lighthouse returned no result");
    const { lhr } = result;
    const num = (id: string) => lhr.audits[id]?.numericValue ?? null;
    const failing: LighthouseRun["failing"] = [];
    for (const key of ["performance", "accessibility"]) {
      for (const ref of lhr.categories[key]?.auditRefs ?? []) {
        const a = lhr.audits[ref.id];
        if (!a || a.scoreDisplayMode === "notApplicable" || a.scoreDisplayMode === "informative") continue;
        // score null: diagnostics without a pass/fail (LCP element, savings estimates).
        if (a.scoreDisplayMode === "manual" || a.score === null || a.score >= 1) continue;
        failing.push({ id: a.id, title: a.title, score: a.score, display: a.displayValue });
      }
    }
    return {
      url,
      lighthouse: lhr.lighthouseVersion,
      chromium: chrome.version,
      performance: lhr.categories.performance?.score ?? null,
      accessibility: lhr.categories.accessibility?.score ?? null,
      bestPractices: lhr.categories["best-practices"]?.score ?? null,
      lcpMs: num("largest-contentful-paint"),
      fcpMs: num("first-contentful-paint"),
      tbtMs: num("total-blocking-time"),
      cls: num("cumulative-layout-shift"),
      transferBytes: num("total-byte-weight"),
      failing,
    };
  } finally {
    await chrome.stop();
  }
}
