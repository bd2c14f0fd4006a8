/**
 * A throwaway PostgreSQL 15 cluster for tests: initdb + pg_ctl on a free loopback port, removed afterwards.
 * Installs Debian's postgresql package when the binaries are missing (we run as root in CI).
 */
import { execFileSync, execSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface ThrowawayPostgres {
  url: string;
  port: number;
  dataDir: string;
  bin: string;
  stop(): void;
  restart(): void;
  /** Stops the server without removing the data (reliability tests). */
  pause(): void;
  resume(): void;
}

function findPgBin(): string | null {
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], "bin") : null;
}

export function ensurePostgresInstalled(): string {
  let bin = findPgBin();
  if (bin) return bin;
  if (process.getuid?.() !== 0) {
    throw new Error(
      "PostgreSQL server binaries are missing and we are not root: run `apt-get install -y postgresql` or set DATABASE_URL.",
    );
  }
  console.log("Installing PostgreSQL (apt-get install postgresql)…");
  execSync(
    "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql",
    {
      stdio: "inherit",
    },
  );
  bin = findPgBin();
  if (!bin) throw new Error("apt-get install postgresql did not provide initdb under /usr/lib/postgresql/*/bin");
  return bin;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startThrowawayPostgres(opts: { database?: string } = {}): Promise<ThrowawayPostgres> {
  const bin = ensurePostgresInstalled();
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-pg-"));
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: run the server as the postgres system user.
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args], { stdio: "pipe" })
      : execFileSync(path.join(bin, cmd), args, { stdio: "pipe" });
  if (asRoot) execFileSync("chown", ["postgres:postgres", dataDir]);
  run("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const startArgs = [
    "-D",
    dataDir,
    "-l",
    path.join(dataDir, "server.log"),
    "-w",
    "-t",
    "30",
    "-o",
    `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
  ];
  const start = () => run("pg_ctl", [...startArgs, "start"]);
  const stop = () => run("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
  start();
  const database = opts.database ?? "pinpoint_test";
  execFileSync(path.join(bin, "createdb"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", database]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/${database}`,
    port,
    dataDir,
    bin,
    pause: stop,
    resume: start,
    // Stop, then start with the same arguments: `pg_ctl restart` without -l would leave the server attached to
    // execFileSync's pipe, and the call would never return.
    restart() {
      stop();
      start();
    },
    stop() {
      try {
        stop();
      } catch {
        /* already stopped */
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
