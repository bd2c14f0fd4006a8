/**
 * The real server process on the embedded database: it starts on an empty directory (migrate + seed), answers
 * /healthz, stops on SIGTERM within 5 s, keeps everything written before the stop, and a second server on the same
 * directory refuses to start instead of corrupting data.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/postgres-throwaway";

// This test is about the embedded database; with DATABASE_URL set the same server code is covered elsewhere.
const embedded = !process.env.DATABASE_URL;

let dir: string;
let port: number;

function startServer(env: Record<string, string> = {}): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      PGLITE_DIR: path.join(dir, "pglite"),
      SESSION_SECRET_FILE: path.join(dir, "secret"),
      DATABASE_URL: "",
      SEED_DEMO: "false",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForHealthy(timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("server did not become healthy");
}

async function signUp(email: string) {
  const body = new URLSearchParams({ name: "Lifecycle Tester", email, password: "a long passphrase 42", confirm: "a long passphrase 42" });
  return fetch(`http://127.0.0.1:${port}/signup`, { method: "POST", body, redirect: "manual", headers: { Origin: `http://127.0.0.1:${port}` } });
}

async function signIn(email: string) {
  const body = new URLSearchParams({ email, password: "a long passphrase 42", redirectTo: "/" });
  return fetch(`http://127.0.0.1:${port}/login`, { method: "POST", body, redirect: "manual", headers: { Origin: `http://127.0.0.1:${port}` } });
}

describe.skipIf(!embedded)("server process on the embedded database", () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-lifecycle-"));
    port = await freePort();
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("starts on an empty directory, stops on SIGTERM in under 5 s, and keeps acknowledged writes", async () => {
    const first = startServer();
    await waitForHealthy();
    const headers = (await fetch(`http://127.0.0.1:${port}/`)).headers;
    expect(headers.get("content-security-policy")).toMatch(/script-src 'nonce-[^']+' 'strict-dynamic'/);
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    expect(headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");

    const created = await signUp("lifecycle@example.com");
    expect(created.status).toBe(302);

    const stopAt = Date.now();
    first.child.kill("SIGTERM");
    const code = await first.exited;
    const stopMs = Date.now() - stopAt;
    expect(code).toBe(0);
    expect(stopMs).toBeLessThan(5000);
    expect(fs.existsSync(path.join(dir, "pglite.lock"))).toBe(false);

    const second = startServer();
    try {
      await waitForHealthy();
      expect(second.output()).not.toContain("seeding");
      const login = await signIn("lifecycle@example.com");
      expect(login.status).toBe(302);
      expect(login.headers.get("set-cookie")).toContain("__Host-pinpoint_session=");
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  }, 180_000);

  it("refuses a second server on the same data directory with a clear message", async () => {
    const first = startServer();
    try {
      await waitForHealthy();
      const otherPort = await freePort();
      const intruder = startServer({ PORT: String(otherPort) });
      const code = await intruder.exited;
      expect(code).not.toBe(0);
      expect(intruder.output()).toMatch(/already in use by process \d+/);
      // The first server is unharmed.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      first.child.kill("SIGTERM");
      await first.exited;
    }
  }, 180_000);
});
