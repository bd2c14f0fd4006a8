/**
 * The app server under `npm run dev` (`remix dev --manual -c "node --import tsx scripts/dev.ts"`).
 *
 * Runs server/index.ts as one child process and restarts it only when a file that process itself imports changes
 * (server/, db/, core/ and the app/lib modules server/app.ts uses). Route and component edits are rebuilt by remix dev
 * into build/, which the running server loads in-process (server/build-loader.ts): build/, public/build/, data and
 * uploads are never watched here. A restart or Ctrl+C sends the server ONE SIGTERM/SIGINT and waits for it to close
 * the HTTP server and the database; it is killed only if it is still there after 10 s.
 * Why not `tsx watch`: docs/decisions/026-dev-loop-in-process-reload.md.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = process.cwd();
const entry = path.join(root, "server", "index.ts");
const KILL_AFTER_MS = 10_000;
const SETTLE_MS = 150;

for (const stream of [process.stdout, process.stderr]) {
  // remix dev, which reads our output, exits on Ctrl+C before the server has closed the database: keep going.
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}
const log = (message: string) => console.log(`[dev] ${message}`);

// ---------------------------------------------------------------------------------------------------------------
// Which files the server process loads: its import graph from server/index.ts, our own files only (relative and `~/`
// specifiers). The Remix build is imported by URL at run time, so it is not part of the graph.

const IMPORTS =
  /(?:^|[\s;}])(?:import|export)\s+(?!type\s)(?:[^'"`;]*?\bfrom\s*)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

function resolveSpecifier(from: string, specifier: string): string | undefined {
  let base: string;
  if (specifier.startsWith("./") || specifier.startsWith("../")) base = path.resolve(path.dirname(from), specifier);
  else if (specifier.startsWith("~/")) base = path.join(root, "app", specifier.slice(2));
  else return undefined; // a package
  const candidates = [base, `${base}.ts`, `${base}.tsx`, base.replace(/\.js$/, ".ts"), path.join(base, "index.ts")];
  return candidates.find((file) => fs.existsSync(file) && fs.statSync(file).isFile());
}

function serverFiles(start = entry): Set<string> {
  const seen = new Set<string>();
  const queue = [start];
  for (let file = queue.pop(); file; file = queue.pop()) {
    if (seen.has(file) || !file.startsWith(root + path.sep) || file.includes(`${path.sep}node_modules${path.sep}`))
      continue;
    seen.add(file);
    if (!/\.(ts|tsx|js|mjs)$/.test(file)) continue;
    const source = fs.readFileSync(file, "utf8");
    for (const match of source.matchAll(IMPORTS)) {
      const resolved = resolveSpecifier(file, match[1] ?? match[2]);
      if (resolved) queue.push(resolved);
    }
  }
  return seen;
}

// One watcher per directory (not per file): editors that save by writing a new file and renaming it keep working.
const watchers = new Map<string, fs.FSWatcher>();
let watched = new Set<string>();

function watchDirectory(dir: string): fs.FSWatcher {
  const watcher = fs.watch(dir, (_event, name) => {
    const file = name ? path.join(dir, name.toString()) : "";
    if (watched.has(file)) changed(file);
  });
  watcher.on("error", () => {
    watcher.close();
    watchers.delete(dir);
  });
  return watcher;
}

function watchServerFiles() {
  try {
    // A new migration (drizzle-kit updates the journal) is applied when the server starts.
    watched = serverFiles().add(path.join(root, "migrations", "meta", "_journal.json"));
  } catch (error) {
    log(`could not read the server's imports (${String(error)}); watching the previous set`);
  }
  const dirs = new Set([...watched].map((file) => path.dirname(file)));
  for (const [dir, watcher] of watchers) {
    if (dirs.has(dir)) continue;
    watcher.close();
    watchers.delete(dir);
  }
  for (const dir of dirs) {
    if (watchers.has(dir)) continue;
    watchers.set(dir, watchDirectory(dir));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The server child.

let child: ChildProcess | undefined;
let exited: Promise<number> = Promise.resolve(0);
let phase: "running" | "restarting" | "stopping" = "running";
const pending = new Set<string>();
let timer: NodeJS.Timeout | undefined;

function startServer() {
  const current = spawn(process.execPath, ["--import", "tsx", entry], { stdio: ["ignore", "inherit", "inherit"] });
  child = current;
  exited = new Promise((resolve) => {
    current.once("exit", (code, signal) => {
      if (child === current) child = undefined;
      const status = code ?? 128 + (signal ? os.constants.signals[signal] : 0);
      if (phase === "running") log(`the server stopped (exit code ${status}); save a file it uses to start it again`);
      resolve(status);
    });
  });
}

/** One signal, then wait; SIGKILL only if the server hangs (its own shutdown gives up after 4 s). */
async function stopServer(signal: NodeJS.Signals): Promise<number> {
  const current = child;
  if (!current) return exited;
  current.kill(signal);
  const kill = setTimeout(() => {
    log(`the server did not stop within ${KILL_AFTER_MS / 1000} s; killing it`);
    current.kill("SIGKILL");
  }, KILL_AFTER_MS);
  const status = await exited;
  clearTimeout(kill);
  return status;
}

function changed(file: string) {
  if (phase !== "running") return; // a server starting after this stop loads the file as it is now
  pending.add(path.relative(root, file));
  clearTimeout(timer);
  timer = setTimeout(() => void restart(), SETTLE_MS);
}

async function restart() {
  if (phase !== "running") return;
  phase = "restarting";
  log(`${[...pending].join(", ")} changed: restarting the server`);
  pending.clear();
  await stopServer("SIGTERM");
  if (phase !== "restarting") return; // Ctrl+C while the old server was stopping
  watchServerFiles();
  startServer();
  phase = "running";
}

async function shutDown(signal: NodeJS.Signals) {
  if (phase === "stopping") return; // Ctrl+C in a terminal reaches us twice (the terminal, then remix dev)
  phase = "stopping";
  clearTimeout(timer);
  for (const watcher of watchers.values()) watcher.close();
  const status = await stopServer(signal);
  process.exit(status);
}

process.on("SIGINT", () => void shutDown("SIGINT"));
process.on("SIGTERM", () => void shutDown("SIGTERM"));

// remix dev killed without a chance to stop us (kill -9): do not leave the server holding the port and the database.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutDown("SIGTERM");
}, 1000).unref();

watchServerFiles();
startServer();
