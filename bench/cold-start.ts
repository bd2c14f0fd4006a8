/**
 * Cold start: spawn the real entry point (`node --import tsx server/index.ts`, NODE_ENV=production, SEED_DEMO=true)
 * on a fresh temporary PGlite directory and time the first 200 of /healthz and of `/`; then again on the directory
 * the previous start left behind (migrations already applied, data already seeded).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { freePort } from "../scripts/postgres-throwaway";

export interface ColdStartRun {
  kind: "fresh" | "existing";
  /** ms from spawn to the "listening" log line. */
  listeningMs: number | null;
  healthzMs: number | null;
  rootMs: number | null;
  /** ms from SIGTERM to exit. */
  shutdownMs: number | null;
  /** What the server logged: "Seeded in N ms" (fresh directory) and "ready in N ms" (its own clock, after imports). */
  seedMs: number | null;
  serverReadyMs: number | null;
  exitCode: number | null;
}

function probe(port: number, pathname: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: pathname, agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", () => resolve(0));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
  });
}

async function startOnce(
  kind: ColdStartRun["kind"],
  dir: string,
  roots: Roots,
  timeoutMs: number,
): Promise<ColdStartRun> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  Object.assign(env, {
    NODE_ENV: "production",
    PGLITE_DIR: dir,
    SEED_DEMO: "true",
    PORT: String(port),
    HOST: "127.0.0.1",
    UPLOAD_DIR: path.join(path.dirname(dir), "uploads"),
    SESSION_SECRET_FILE: path.join(path.dirname(dir), "session-secret"),
    // The working directory holds the private build copy; TypeScript paths (~/…) come from the repository.
    TSX_TSCONFIG_PATH: path.join(roots.repoRoot, "tsconfig.json"),
  });
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(roots.repoRoot, "server", "index.ts")], {
    cwd: roots.serverRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let listeningMs: number | null = null;
  let output = "";
  const onData = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    if (listeningMs === null && /listening on/i.test(output)) listeningMs = performance.now() - started;
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve((exited = code))));

  const firstOk: { healthz: number | null; root: number | null } = { healthz: null, root: null };
  const check = async (key: "healthz" | "root", pathname: string) => {
    if (firstOk[key] !== null) return;
    const status = await probe(port, pathname);
    if (status === 200 && firstOk[key] === null) firstOk[key] = performance.now() - started;
  };
  while (
    (firstOk.healthz === null || firstOk.root === null) &&
    exited === undefined &&
    performance.now() - started < timeoutMs
  ) {
    await Promise.all([check("healthz", "/healthz"), check("root", "/")]);
    await new Promise((r) => setTimeout(r, 20));
  }
  const healthzMs = firstOk.healthz;
  const rootMs = firstOk.root;
  let shutdownMs: number | null = null;
  if (exited === undefined) {
    const stopAt = performance.now();
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exit;
    clearTimeout(killer);
    shutdownMs = performance.now() - stopAt;
  }
  const exitCode = await exit;
  if (healthzMs === null || rootMs === null) {
    console.error(`[cold start] ${kind} start did not answer in time; server output:\n${output.slice(-2000)}`);
  }
  const seeded = output.match(/Seeded in (\d+) ms/);
  const ready = output.match(/ready in (\d+) ms/);
  return {
    kind,
    listeningMs,
    healthzMs,
    rootMs,
    shutdownMs,
    exitCode,
    seedMs: seeded ? Number(seeded[1]) : null,
    serverReadyMs: ready ? Number(ready[1]) : null,
  };
}

interface Roots {
  /** The repository (server/index.ts, tsconfig.json). */
  repoRoot: string;
  /** Working directory of the server: build/index.js and public/ (the benchmark's private build copy). */
  serverRoot: string;
}

export async function measureColdStart(
  opts: Roots & { repeats: number; timeoutMs?: number; log?: (m: string) => void },
): Promise<ColdStartRun[]> {
  const runs: ColdStartRun[] = [];
  const log = opts.log ?? (() => {});
  const timeoutMs = opts.timeoutMs ?? 180_000;
  const parents: string[] = [];
  try {
    let lastDir = "";
    for (let i = 0; i < opts.repeats; i++) {
      const parent = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-bench-cold-"));
      parents.push(parent);
      lastDir = path.join(parent, "pglite");
      const run = await startOnce("fresh", lastDir, opts, timeoutMs);
      log(
        `cold start (fresh directory) #${i + 1}: /healthz ${run.healthzMs?.toFixed(0)} ms, / ${run.rootMs?.toFixed(0)} ms`,
      );
      runs.push(run);
    }
    for (let i = 0; i < opts.repeats; i++) {
      const run = await startOnce("existing", lastDir, opts, timeoutMs);
      log(
        `cold start (existing directory) #${i + 1}: /healthz ${run.healthzMs?.toFixed(0)} ms, / ${run.rootMs?.toFixed(0)} ms`,
      );
      runs.push(run);
    }
  } finally {
    for (const p of parents) fs.rmSync(p, { recursive: true, force: true });
  }
  return runs;
}
