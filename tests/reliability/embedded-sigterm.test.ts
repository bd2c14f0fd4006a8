/**
 * The real server process on the embedded database (PGlite), stopped with SIGTERM in the middle of a stream of
 * writes: sign-ups (user + password + session) and anonymous reports (issue + history). The process must exit
 * cleanly within 5 s, and after a restart on the same directory EVERY acknowledged write must be there: each
 * acknowledged sign-up can sign in, each acknowledged report's follow page (/follow/<token>) exists.
 * Requests cut off by the shutdown may fail (connection reset, 503); they were not acknowledged.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/postgres-throwaway";
import { spawnServer, waitForHealthy, type ServerProcess } from "../helpers/server-process";
import { fetchTimed, histogram, runPool, sleep, type Timed } from "./support";

const PASSWORD = "a long passphrase 42";
const WORKERS = 4;

let dir: string;
let port: number;
let base: string;
const running: ChildProcess[] = [];

function startServer(): ServerProcess {
  const server = spawnServer({ port, dir, env: { RATE_LIMIT_MULTIPLIER: "100000" } });
  running.push(server.child);
  return server;
}

const form = (fields: Record<string, string>) => ({
  method: "POST",
  body: new URLSearchParams(fields),
  headers: { Origin: base },
  timeoutMs: 15_000,
});

// The child always gets DATABASE_URL="" (embedded), so this runs whatever the caller's DATABASE_URL is.
describe("SIGTERM during writes on the embedded database", () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-sigterm-"));
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("exits within 5 s and keeps every acknowledged sign-up and report", async () => {
    const first = startServer();
    await waitForHealthy(first, port);
    const reportPage = await fetchTimed(base, "/report");
    const machineId = /href="\/m\/([A-Za-z0-9_-]+)"/.exec(reportPage.text)?.[1];
    expect(machineId, "a machine link on /report").toBeTruthy();

    const results: Array<Timed & { kind: "signup" | "report"; key: string }> = [];
    let refused = 0;
    const pool = runPool(WORKERS, async (w, i) => {
      if (refused > WORKERS * 3) {
        await sleep(50);
        return;
      }
      let r: Timed & { kind: "signup" | "report"; key: string };
      if (w % 2 === 0) {
        const email = `sigterm-w${w}-n${i}@example.com`;
        const res = await fetchTimed(
          base,
          "/signup",
          form({ name: `Sigterm ${w}/${i}`, email, password: PASSWORD, confirm: PASSWORD, website: "" }),
        );
        r = { ...res, kind: "signup", key: email };
      } else {
        const title = `sigterm report w${w} n${i}`;
        const res = await fetchTimed(
          base,
          `/m/${machineId}`,
          form({ intent: "report", title, description: "stream", website: "", confirmNew: "1" }),
        );
        r = { ...res, kind: "report", key: title };
      }
      results.push(r);
      if (r.status === 0) refused++;
    });

    // Let the stream run until a good number of writes were acknowledged, then stop the server mid-stream.
    const streamStart = Date.now();
    while (results.filter((r) => r.status === 302).length < 12 && Date.now() - streamStart < 30_000) await sleep(50);
    const stopAt = Date.now();
    first.child.kill("SIGTERM");
    const code = await first.exited;
    const stopMs = Date.now() - stopAt;
    await pool.stop();

    const acknowledged = results.filter((r) => r.status === 302);
    const inFlight = results.filter((r) => r.startedAt < stopAt + stopMs && r.startedAt + r.ms > stopAt);
    console.log(
      `[embedded-sigterm] exit ${code} after ${stopMs} ms; ${results.length} writes: ${histogram(results)}; ` +
        `${acknowledged.length} acknowledged; at the stop: ${histogram(inFlight)}`,
    );
    const serverErrors = results.filter((r) => r.status >= 500 && r.status !== 503);
    if (serverErrors.length)
      console.log(
        `[embedded-sigterm] 5xx while stopping: ${serverErrors.map((r) => `${r.kind} ${r.status}`).join(", ")}`,
      );
    expect(code, first.output().slice(-2000)).toBe(0);
    expect(stopMs).toBeLessThan(5000);
    expect(first.output()).not.toMatch(/Shutdown took too long/);
    expect(acknowledged.length).toBeGreaterThanOrEqual(12);
    expect(fs.existsSync(path.join(dir, "pglite.lock")), "the data-directory lock is released").toBe(false);

    // Restart on the same directory: every acknowledged write is there.
    const second = startServer();
    try {
      await waitForHealthy(second, port);
      const missing: string[] = [];
      const acks = [...acknowledged];
      await Promise.all(
        Array.from({ length: 3 }, async () => {
          for (let r = acks.shift(); r; r = acks.shift()) {
            if (r.kind === "signup") {
              const login = await fetchTimed(
                base,
                "/login",
                form({ email: r.key, password: PASSWORD, redirectTo: "/" }),
              );
              if (login.status !== 302) missing.push(`sign-up ${r.key}: login → ${login.status}`);
            } else {
              expect(r.location ?? "").toMatch(/^\/follow\/[^/?]+\?new=1$/);
              const follow = await fetchTimed(base, r.location!.replace("?new=1", ""));
              if (follow.status !== 200 || !follow.text.includes(r.key))
                missing.push(`report "${r.key}": follow page → ${follow.status}`);
            }
          }
        }),
      );
      expect(missing, "acknowledged writes missing after the restart").toEqual([]);
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  }, 240_000);
});
