/**
 * `npm run dev` keeps ONE server process and ONE database client while routes are edited
 * (docs/decisions/026-dev-loop-in-process-reload.md).
 *
 * The project is copied to a temporary directory (its files as git lists them, node_modules linked), and `npm run dev`
 * runs there on a free port, once on the embedded PGlite and once on a throwaway PostgreSQL. A problem is reported
 * through the public machine page; then a route's visible text is edited five times. After each edit, once the new text
 * is served: the same server process answers (the process tree and its development-only `X-Dev-Pid` header), the
 * database was opened once (server log; `X-Dev-Database-Opens`; on PostgreSQL the app's backends in pg_stat_activity
 * are the same ones as before the edits), and the report is still there. The output never mentions an unhandled
 * rejection. On PGlite a server file is edited as well: the server restarts, closing the database before the next one
 * opens it. Finally the whole process group is stopped like Ctrl+C (SIGINT) or a process manager (SIGTERM) does: every
 * process exits, PGlite's lock is released and its control file says it was shut down cleanly; on PostgreSQL no
 * connection of the app is left.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startThrowawayPostgres, type ThrowawayPostgres } from "../../scripts/postgres-throwaway";

const ROUTE = "app/routes/follow.$token.tsx";
/** The visible text the test edits: the small heading above a report's title on its follow page. */
const VISIBLE = />Your report[^<]*<\/p>/;
const EDITS = 5;
/** An unhandled rejection, or any error that ended a Node process (Node prints its version last). */
const CRASH = /unhandled|^Node\.js v\d+/im;

let project: string;
const groups: number[] = [];
let pg: ThrowawayPostgres | undefined;

/** The project's files (tracked, and new ones not ignored) copied to a temporary directory, node_modules linked. */
function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-devloop-"));
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean);
  for (const file of new Set(files)) {
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) continue; // deleted in the working tree
    fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    fs.copyFileSync(file, path.join(dir, file));
  }
  fs.symlinkSync(fs.realpathSync("node_modules"), path.join(dir, "node_modules"));
  return dir;
}

interface DevServer {
  child: ChildProcess;
  port: number;
  base: string;
  /** Where this run keeps its data: pglite/, its lock file, uploads. */
  dataDir: string;
  /** How long until /healthz answered (for the log line). */
  readyMs: number;
  output(): string;
}

/** `npm run dev` in the copy, in a process group of its own (as in a terminal), with the env the test servers use. */
async function startDev(env: Record<string, string>): Promise<DevServer> {
  const port = await freePort();
  const devPort = await freePort();
  // Inside the project, as ./data is by default: data written there must not restart anything.
  const data = fs.mkdtempSync(path.join(project, "data-"));
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "development", // not vitest's "test"; remix dev sets the same for the app server
    PORT: String(port),
    HOST: "127.0.0.1",
    PGLITE_DIR: path.join(data, "pglite"),
    SESSION_SECRET_FILE: path.join(data, "secret"),
    UPLOAD_DIR: path.join(data, "uploads"),
    DATABASE_URL: "",
    SEED_DEMO: "false",
    RATE_LIMIT_MULTIPLIER: "1000",
    NO_COLOR: "1",
    LOG_LEVEL: "info", // the test reads the server's lines (vitest.config.ts makes this process silent)
    ...env,
  };
  const child = spawn("npm", ["run", "dev", "--", "--port", String(devPort)], {
    cwd: project,
    env: childEnv,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  groups.push(child.pid!);
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const dev: DevServer = {
    child,
    port,
    base: `http://127.0.0.1:${port}`,
    dataDir: data,
    readyMs: 0,
    output: () => output,
  };
  const t0 = Date.now();
  await waitFor(dev, "the server to answer /healthz", async () => {
    const res = await fetch(`${dev.base}/healthz`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
    return res?.status === 200;
  });
  dev.readyMs = Date.now() - t0;
  return dev;
}

/** Polls `check` every 200 ms until it is true; fails with the dev output when the time is up or npm exited. */
async function waitFor(dev: DevServer, what: string, check: () => Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (dev.child.exitCode !== null) throw new Error(`npm run dev exited while waiting for ${what}:\n${dev.output()}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${dev.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Processes of a group, from /proc (the test runs on Linux): pid, parent, state and arguments. */
function groupProcesses(pgid: number): Array<{ pid: number; ppid: number; state: string; args: string[] }> {
  const found = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // state ppid pgrp …
      if (Number(fields[2]) !== pgid) continue;
      const args = fs.readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").filter(Boolean);
      found.push({ pid: Number(name), ppid: Number(fields[1]), state: fields[0], args });
    } catch {
      /* exited meanwhile */
    }
  }
  return found;
}

/** The pids running server/index.ts in the dev group (a watcher naming it in its arguments is not one of them). */
function serverPids(dev: DevServer): number[] {
  const candidates = groupProcesses(dev.child.pid!).filter(
    (p) => p.state !== "Z" && p.args.some((a) => a.endsWith("server/index.ts")),
  );
  return candidates.filter((p) => !candidates.some((c) => c.ppid === p.pid)).map((p) => p.pid);
}

/** True while a process of the group is running (zombies, exited but not yet reaped, do not count). */
function groupAlive(pgid: number): boolean {
  return groupProcesses(pgid).some((p) => p.state !== "Z");
}

async function get(dev: DevServer, pathname: string) {
  const res = await fetch(dev.base + pathname, { redirect: "manual", signal: AbortSignal.timeout(15_000) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Reports a problem on a seeded machine's public page; returns its follow page and title. */
async function reportProblem(dev: DevServer, title: string): Promise<string> {
  const machineId = /href="\/m\/([A-Za-z0-9_-]+)"/.exec((await get(dev, "/report")).text)?.[1];
  expect(machineId, "a machine link on /report").toBeTruthy();
  const res = await fetch(`${dev.base}/m/${machineId}`, {
    method: "POST",
    body: new URLSearchParams({
      intent: "report",
      title,
      description: "written before the edits",
      website: "",
      confirmNew: "1",
    }),
    headers: { Origin: dev.base },
    redirect: "manual",
  });
  expect(res.status, await res.text()).toBe(302);
  const follow = res.headers.get("location") ?? "";
  expect(follow).toMatch(/^\/follow\/[^/?]+\?new=1$/);
  return follow.replace("?new=1", "");
}

/** The route file with its visible text replaced by `text`. */
function editRoute(text: string) {
  const file = path.join(project, ROUTE);
  const source = fs.readFileSync(file, "utf8");
  fs.writeFileSync(file, source.replace(VISIBLE, `>${text}</p>`));
}

interface Loop {
  /** Called once before the edits and after each one. */
  sample?: () => Promise<void>;
}

/**
 * Writes a report, then edits the route EDITS times; after each edit waits for the new text and checks that the same
 * process and database client served it, with the report intact.
 */
async function editLoop(dev: DevServer, kind: "pglite" | "postgres", loop: Loop = {}) {
  const title = `Flipper sticks (${kind} dev loop)`;
  const follow = await reportProblem(dev, title);
  const first = await get(dev, follow);
  expect(first.status).toBe(200);
  expect(first.text).toContain(title);
  const [pid] = serverPids(dev);
  expect(serverPids(dev), "one server process").toEqual([pid]);
  await loop.sample?.();

  const servedMs: number[] = [];
  for (let i = 1; i <= EDITS; i++) {
    const marker = `Your report (${kind} edit ${i})`;
    const te = Date.now();
    editRoute(marker);
    let page = first;
    await waitFor(dev, `edit ${i} to be served`, async () => {
      page = await get(dev, follow);
      return page.text.includes(marker);
    });
    servedMs.push(Date.now() - te);
    expect(serverPids(dev), `edit ${i}: the same server process`).toEqual([pid]);
    const opens = dev.output().match(new RegExp(`^Database: ${kind} `, "gm")) ?? [];
    expect(opens.length, `edit ${i}: the database was opened once`).toBe(1);
    expect(page.headers.get("x-dev-pid"), `edit ${i}: X-Dev-Pid`).toBe(String(pid));
    expect(page.headers.get("x-dev-database-opens"), `edit ${i}: X-Dev-Database-Opens`).toBe("1");
    expect(page.status).toBe(200);
    expect(page.text, `edit ${i}: the report written before the edits`).toContain(title);
    await loop.sample?.();
  }
  expect(dev.output()).toMatch(/Loaded build /);
  expect(dev.output(), "no crash and no unhandled rejection").not.toMatch(CRASH);
  expect(dev.output()).not.toMatch(/failed to load/);
  return { pid, follow, title, servedMs };
}

/** Sends `signal` to the whole dev process group (what Ctrl+C in a terminal does) and waits until all of it is gone. */
async function stopGroup(dev: DevServer, signal: NodeJS.Signals) {
  const pgid = dev.child.pid!;
  const ts = Date.now();
  process.kill(-pgid, signal);
  const deadline = Date.now() + 20_000;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(groupAlive(pgid), `every dev process exited after ${signal}:\n${dev.output()}`).toBe(false);
  return Date.now() - ts;
}

function report(kind: string, dev: DevServer, servedMs: number[], stopMs: number) {
  console.log(
    `[dev-loop] ${kind}: ready after ${dev.readyMs} ms; edits served after ${servedMs.join(", ")} ms; ` +
      `every process gone ${stopMs} ms after the signal`,
  );
}

describe("npm run dev: one server process and one database client across rebuilds", () => {
  beforeAll(() => {
    project = copyProject();
    const route = fs.readFileSync(path.join(project, ROUTE), "utf8");
    expect(route.match(new RegExp(VISIBLE, "g")), `${ROUTE} has the text this test edits`).toHaveLength(1);
  });
  afterAll(async () => {
    for (const pgid of groups) {
      try {
        if (groupAlive(pgid)) process.kill(-pgid, "SIGKILL"); // a failed run: leave nothing behind
      } catch {
        /* gone meanwhile */
      }
    }
    pg?.stop();
    fs.rmSync(project, { recursive: true, force: true });
  });

  it("on PGlite: edits are served by the same process, the database is opened once and closed cleanly", async () => {
    const dev = await startDev({ DATABASE_URL: "" });
    const pglite = path.join(dev.dataDir, "pglite");
    expect(fs.existsSync(`${pglite}.lock`), "the server holds the PGlite lock").toBe(true);
    const { pid, follow, title, servedMs } = await editLoop(dev, "pglite");

    // A file of the server itself: one restart, the old process closes PGlite before the new one opens it.
    const security = path.join(project, "server/security.ts");
    fs.appendFileSync(security, "\n// edited by tests/dev/dev-loop.test.ts\n");
    await waitFor(dev, "the server to restart", async () => {
      const pids = serverPids(dev);
      if (pids.length !== 1 || pids[0] === pid) return false;
      return (await get(dev, follow)).status === 200;
    });
    const restarted = dev.output();
    expect(restarted).toMatch(/server\/security\.ts changed: restarting the server/);
    const closing = restarted.indexOf("SIGTERM received: closing the server and the database");
    expect(closing, "the old server closed the database").toBeGreaterThan(0);
    expect(restarted.lastIndexOf("Database: pglite ")).toBeGreaterThan(closing);
    expect(restarted).not.toMatch(/Shutdown took too long|already in use/);
    expect(restarted).not.toMatch(CRASH);
    expect((await get(dev, follow)).text).toContain(title);

    const stopMs = await stopGroup(dev, "SIGINT");
    report("pglite", dev, servedMs, stopMs);
    expect(fs.existsSync(`${pglite}.lock`), "the PGlite lock is released").toBe(false);
    // PostgreSQL's control file: 1 = shut down cleanly, 6 = still "in production" (the process died with it open).
    const state = fs.readFileSync(path.join(pglite, "global", "pg_control")).readUInt32LE(16);
    expect(state, "PGlite was closed cleanly").toBe(1);
  }, 240_000);

  it("on PostgreSQL: edits are served by the same process and the same connections", async () => {
    pg = await startThrowawayPostgres({ database: "pinpoint_devloop" });
    const dev = await startDev({ DATABASE_URL: pg.url, DATABASE_IDLE_TIMEOUT: "0" });
    const sql = postgres(pg.url, { max: 1, onnotice: () => {}, connection: { application_name: "dev-loop-test" } });
    try {
      const backends = async () =>
        (
          await sql<{ pid: number }[]>`
            select pid from pg_stat_activity where datname = 'pinpoint_devloop' and application_name = 'pinpoint'`
        ).map((r) => r.pid);
      const samples: number[][] = [];
      const { servedMs } = await editLoop(dev, "postgres", { sample: async () => void samples.push(await backends()) });
      const before = new Set(samples[0]);
      expect(before.size, "the app holds connections").toBeGreaterThan(0);
      for (const [i, sample] of samples.entries()) {
        expect(sample.length, `after edit ${i}: no more connections than before the edits`).toBeLessThanOrEqual(
          before.size,
        );
        expect(
          sample.filter((p) => !before.has(p)),
          `after edit ${i}: no new connections`,
        ).toEqual([]);
      }

      const stopMs = await stopGroup(dev, "SIGTERM");
      report("postgres", dev, servedMs, stopMs);
      // A backend ends a moment after its client said goodbye.
      const deadline = Date.now() + 10_000;
      while ((await backends()).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await backends(), "the pool was closed").toEqual([]);
    } finally {
      await sql.end({ timeout: 5 });
    }
  }, 240_000);
});
