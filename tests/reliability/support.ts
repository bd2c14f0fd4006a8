/**
 * Shared pieces of the reliability tests (not a test file itself):
 * - `serveApp(handle)`: the production server build behind createHttpApp with a REAL DbHandle, so /healthz, the
 *   outage guard and its probe talk to the actual database (tests/helpers/http.ts uses a dummy ping);
 * - async `pg_ctl stop/start` for a throwaway cluster (the ThrowawayPostgres pause/resume are synchronous and would
 *   freeze this process, which is also the HTTP server under test, while PostgreSQL stops and starts);
 * - `fetchTimed`: one HTTP request with its status, latency, body and a hard client-side timeout;
 * - `runPool`: bounded concurrent traffic until told to stop;
 * - `startPgBouncer`: PgBouncer in transaction mode in front of a throwaway cluster.
 */
import { execFile, execFileSync, execSync, spawn } from "node:child_process";
import fs from "node:fs";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { ServerBuild } from "@remix-run/node";
import type { DbHandle } from "../../db/client.server";
import { freePort, type ThrowawayPostgres } from "../../scripts/postgres-throwaway";
import { createHttpApp } from "../../server/app";

const execFileAsync = promisify(execFile);

let buildPromise: Promise<ServerBuild> | undefined;
export function loadBuild(): Promise<ServerBuild> {
  buildPromise ??= import(pathToFileURL(path.resolve("build/index.js")).href) as Promise<ServerBuild>;
  return buildPromise;
}

export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

export async function serveApp(database: DbHandle): Promise<ServedApp> {
  const app = createHttpApp({ build: await loadBuild(), database, mode: "test", publicDir: path.resolve("public") });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs a PostgreSQL binary of the throwaway cluster as the postgres user (initdb/pg_ctl refuse root). */
async function pgRun(pg: ThrowawayPostgres, cmd: string, args: string[]) {
  const bin = path.join(pg.bin, cmd);
  if (process.getuid?.() === 0) await execFileAsync("runuser", ["-u", "postgres", "--", bin, ...args]);
  else await execFileAsync(bin, args);
}

/** `pg_ctl stop -m fast` without blocking the event loop. */
export function pgStop(pg: ThrowawayPostgres): Promise<void> {
  return pgRun(pg, "pg_ctl", ["-D", pg.dataDir, "-m", "fast", "-w", "stop"]);
}

/** `pg_ctl start` with the same options as scripts/postgres-throwaway.ts, without blocking the event loop. */
export function pgStart(pg: ThrowawayPostgres): Promise<void> {
  const options = `-p ${pg.port} -k ${pg.dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  return pgRun(pg, "pg_ctl", [
    "-D",
    pg.dataDir,
    "-l",
    path.join(pg.dataDir, "server.log"),
    "-w",
    "-t",
    "30",
    "-o",
    options,
    "start",
  ]);
}

export interface Timed {
  label: string;
  method: string;
  path: string;
  /** HTTP status, or 0 when the request failed or timed out on the client side. */
  status: number;
  startedAt: number;
  ms: number;
  text: string;
  location: string | null;
  retryAfter: string | null;
  error?: string;
}

export async function fetchTimed(
  base: string,
  pathname: string,
  init: RequestInit & { label?: string; timeoutMs?: number } = {},
): Promise<Timed> {
  const startedAt = Date.now();
  const method = init.method ?? "GET";
  const { label = `${method} ${pathname}`, timeoutMs = 30_000, ...rest } = init;
  try {
    const res = await fetch(base + pathname, { redirect: "manual", signal: AbortSignal.timeout(timeoutMs), ...rest });
    const text = await res.text();
    return {
      label,
      method,
      path: pathname,
      status: res.status,
      startedAt,
      ms: Date.now() - startedAt,
      text,
      location: res.headers.get("location"),
      retryAfter: res.headers.get("retry-after"),
    };
  } catch (error) {
    return {
      label,
      method,
      path: pathname,
      status: 0,
      startedAt,
      ms: Date.now() - startedAt,
      text: "",
      location: null,
      retryAfter: null,
      error: String(error),
    };
  }
}

/** `workers` loops calling `task(worker, iteration)` until `stop()` is called; resolves when all loops ended. */
export function runPool(workers: number, task: (worker: number, iteration: number) => Promise<void>) {
  let stopped = false;
  const loops = Array.from({ length: workers }, async (_, w) => {
    for (let i = 0; !stopped; i++) await task(w, i);
  });
  return {
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One line per status, e.g. "200×120 302×40 503×33", for logs and assertion messages. */
export function histogram(results: Timed[]): string {
  const byStatus = new Map<number, number>();
  for (const r of results) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
  return [...byStatus]
    .sort((a, b) => a[0] - b[0])
    .map(([s, n]) => `${s}×${n}`)
    .join(" ");
}

// ---------------------------------------------------------------------------------------------------------------
// PgBouncer

export interface PgBouncer {
  port: number;
  /** postgres://postgres@127.0.0.1:PORT/<alias> */
  url(alias: string): string;
  log(): string;
  stop(): Promise<void>;
}

/** Debian's PgBouncer binary; installed with apt-get when missing and we are root (as npm test does for PostgreSQL). */
export function ensurePgBouncer(): string {
  const bin = "/usr/sbin/pgbouncer";
  if (fs.existsSync(bin)) return bin;
  if (process.getuid?.() !== 0)
    throw new Error("PgBouncer is missing and we are not root: run `apt-get install -y pgbouncer`.");
  console.log("Installing PgBouncer (apt-get install pgbouncer)…");
  execSync(
    "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends pgbouncer",
    { stdio: "inherit" },
  );
  if (!fs.existsSync(bin)) throw new Error("apt-get install pgbouncer did not provide /usr/sbin/pgbouncer");
  return bin;
}

/**
 * PgBouncer in TRANSACTION mode on a free loopback port in front of `upstreamPort`, with `databases` as
 * alias → { dbname, poolSize }. Stock settings otherwise (ignore_startup_parameters = extra_float_digits, as in
 * Debian's sample config), trust auth. Runs as the postgres user when we are root (PgBouncer refuses root).
 */
export async function startPgBouncer(
  upstreamPort: number,
  databases: Record<string, { dbname: string; poolSize: number }>,
): Promise<PgBouncer> {
  const bin = ensurePgBouncer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-pgbouncer-"));
  const port = await freePort();
  const logFile = path.join(dir, "pgbouncer.log");
  const dbLines = Object.entries(databases)
    .map(([alias, d]) => `${alias} = host=127.0.0.1 port=${upstreamPort} dbname=${d.dbname} pool_size=${d.poolSize}`)
    .join("\n");
  fs.writeFileSync(path.join(dir, "userlist.txt"), '"postgres" ""\n');
  fs.writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      dbLines,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${path.join(dir, "userlist.txt")}`,
      "pool_mode = transaction",
      "max_client_conn = 200",
      "admin_users = postgres",
      "ignore_startup_parameters = extra_float_digits",
      `logfile = ${logFile}`,
      "",
    ].join("\n"),
  );
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync("chown", ["-R", "postgres:postgres", dir]);
  const args = [path.join(dir, "pgbouncer.ini")];
  const child = asRoot
    ? spawn("runuser", ["-u", "postgres", "--", bin, ...args], { stdio: ["ignore", "ignore", "pipe"] })
    : spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "") + stderr;

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited at start:\n${log()}`);
    if (await canConnect(port)) break;
    if (Date.now() > deadline) throw new Error(`pgbouncer did not listen on ${port}:\n${log()}`);
    await sleep(100);
  }
  return {
    port,
    url: (alias) => `postgres://postgres@127.0.0.1:${port}/${alias}`,
    log,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await Promise.race([exited, sleep(5000)]);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
