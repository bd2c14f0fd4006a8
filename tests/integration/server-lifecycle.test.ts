/**
 * The real server process on the embedded database: it starts on an empty directory (migrate + seed), answers
 * /healthz, stops on SIGTERM within 5 s, keeps everything written before the stop, and a second server on the same
 * directory refuses to start instead of corrupting data.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/postgres-throwaway";
import { spawnServer, waitForHealthy, type ServerProcess } from "../helpers/server-process";

// This test is about the embedded database; with DATABASE_URL set the same server code is covered elsewhere.
const embedded = !process.env.DATABASE_URL;

let dir: string;
let port: number;

function startServer(env: Record<string, string> = {}): ServerProcess {
  return spawnServer({ port, dir, env });
}

async function signUp(email: string) {
  const body = new URLSearchParams({
    name: "Lifecycle Tester",
    email,
    password: "a long passphrase 42",
    confirm: "a long passphrase 42",
  });
  return fetch(`http://127.0.0.1:${port}/signup`, {
    method: "POST",
    body,
    redirect: "manual",
    headers: { Origin: `http://127.0.0.1:${port}` },
  });
}

async function signIn(email: string) {
  const body = new URLSearchParams({ email, password: "a long passphrase 42", redirectTo: "/" });
  return fetch(`http://127.0.0.1:${port}/login`, {
    method: "POST",
    body,
    redirect: "manual",
    headers: { Origin: `http://127.0.0.1:${port}` },
  });
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
    await waitForHealthy(first, port);
    const headers = (await fetch(`http://127.0.0.1:${port}/`)).headers;
    expect(headers.get("content-security-policy")).toMatch(/script-src 'nonce-[^']+' 'strict-dynamic'/);
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    expect(headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    // The development-only headers (server/index.ts devHeaders) name the process: never in production.
    expect([...headers.keys()].filter((name) => name.startsWith("x-dev-"))).toEqual([]);

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
      await waitForHealthy(second, port);
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
      await waitForHealthy(first, port);
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
