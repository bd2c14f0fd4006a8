/**
 * Loading the Remix server build (build/index.js), and under `npm run dev` loading it again after each rebuild inside
 * the same process, so the HTTP server and the database client stay open (docs/decisions/026-dev-loop-in-process-reload.md).
 *
 * `remix dev` writes build/index.js in place (truncate, then write): a read can see half a file. Such a build fails to
 * import, or imports without its exports; we keep serving the previous build and try again on the next write event.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";

/** True when `mod` has what Remix needs to serve requests (a half-written file has none of it). */
export function isCompleteBuild(mod: unknown): mod is ServerBuild {
  const build = mod as Partial<ServerBuild> | undefined;
  return (
    typeof build?.assets?.version === "string" &&
    typeof build.entry?.module?.default === "function" &&
    typeof build.routes === "object" &&
    build.routes !== null &&
    "root" in build.routes
  );
}

/** Imports the build once (production, and the first load in development). */
export async function importBuild(buildPath: string, cacheKey?: string): Promise<ServerBuild> {
  // A query string makes a new module URL: the ESM cache would otherwise hand back the first build forever.
  const url = pathToFileURL(buildPath).href + (cacheKey ? `?v=${cacheKey}` : "");
  const mod = (await import(url)) as unknown;
  if (!isCompleteBuild(mod)) throw new Error(`${buildPath} is not a complete Remix server build`);
  return mod;
}

/** Tells `remix dev` (manual mode) that `build` is being served; only when running under it. */
export async function announceBuild(build: ServerBuild, log: (message: string) => void): Promise<void> {
  if (!process.env.REMIX_DEV_ORIGIN) return;
  try {
    await broadcastDevReady(build);
  } catch (error) {
    log(`Could not tell remix dev that build ${build.assets.version} is ready: ${String(error)}`);
  }
}

export interface BuildWatcher {
  close(): void;
}

/**
 * Development: watches the build's directory and, once writes settle, imports the new build under a fresh URL, hands
 * it to `onBuild`, then awaits `broadcastDevReady`. One load at a time; writes during a load start another after it.
 * A build that fails to load is logged and the previous one keeps being served.
 */
export function watchBuild(opts: {
  buildPath: string;
  /** `buildStamp(buildPath)` taken before the build being served was imported. */
  loadedStamp: string | undefined;
  onBuild: (build: ServerBuild) => void;
  log: (message: string) => void;
  /** Wait this long after the last write event before loading (ms). */
  settleMs?: number;
}): BuildWatcher {
  const { buildPath, onBuild, log } = opts;
  const fileName = path.basename(buildPath);
  let lastStamp = opts.loadedStamp;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  let loading = false;
  let again = false;
  let closed = false;
  let lastError = "";

  async function loadOnce(): Promise<void> {
    const stamp = buildStamp(buildPath);
    if (!stamp || stamp === lastStamp) return;
    attempt += 1;
    let mod: unknown;
    try {
      mod = await import(`${pathToFileURL(buildPath).href}?v=${process.pid}-${attempt}`);
    } catch (error) {
      // A half-written file fails to parse; the write that completes it brings another event. If the file did not
      // change meanwhile, the build itself is broken (a route module throwing while it loads): say so once.
      if (buildStamp(buildPath) !== stamp) return;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      if (message !== lastError)
        log(`The new server build failed to load; still serving the previous one.\n${message}`);
      lastError = message;
      lastStamp = stamp;
      return;
    }
    if (!isCompleteBuild(mod)) return; // read mid-write; the rest of the write brings another event
    lastStamp = stamp;
    lastError = "";
    onBuild(mod);
    await announceBuild(mod, log);
  }

  async function load(): Promise<void> {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    try {
      do {
        again = false;
        await loadOnce();
      } while (again && !closed);
    } catch (error) {
      log(`Reloading the server build failed: ${String(error)}`);
    } finally {
      loading = false;
    }
  }

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void load(), opts.settleMs ?? 100);
  };
  const watcher = fs.watch(path.dirname(buildPath), { persistent: false }, (_event, name) => {
    if (!closed && (!name || name === fileName)) schedule();
  });
  watcher.on("error", (error) => log(`Watching ${path.dirname(buildPath)} failed: ${String(error)}`));
  // A rebuild written between the first import and this watcher would bring no further event.
  if (buildStamp(buildPath) !== lastStamp) schedule();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      watcher.close();
    },
  };
}

/** Size and modification time: changes with every write (the file is rewritten in place). */
export function buildStamp(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
}
