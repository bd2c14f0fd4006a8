/**
 * The real server as a child process (`node --import tsx server/index.ts`, NODE_ENV=production, embedded database in
 * a directory of the test's own), for tests about start-up, shutdown and what survives a restart.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export interface ServerProcess {
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  exited: Promise<number | null>;
}

/** Starts the server on `port` with its data (database, secret, uploads) under `dir`; `env` overrides. */
export function spawnServer(opts: { port: number; dir: string; env?: Record<string, string> }): ServerProcess {
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(opts.port),
      HOST: "127.0.0.1",
      PGLITE_DIR: path.join(opts.dir, "pglite"),
      SESSION_SECRET_FILE: path.join(opts.dir, "secret"),
      UPLOAD_DIR: path.join(opts.dir, "uploads"),
      DATABASE_URL: "",
      SEED_DEMO: "false",
      // Tests read the process's output (vitest.config.ts makes the test process itself silent).
      LOG_LEVEL: "info",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Polls /healthz on `port` until it answers 200; fails at once (with the output) if the process exits first. */
export async function waitForHealthy(server: ServerProcess, port: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`server exited early:\n${server.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not become healthy:\n${server.output()}`);
}
