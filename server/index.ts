/**
 * `npm start` / `npm run dev`: opens the database (PGlite in ./data by default, or DATABASE_URL), applies migrations,
 * seeds demo data on an empty database, serves the app, and shuts down cleanly on SIGTERM/SIGINT.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { broadcastDevReady, installGlobals } from "@remix-run/node";
import { closeDatabase, getDatabase } from "../db/client.server";
import { DataDirLockedError } from "../db/lock.server";
import { ensureSeeded } from "../db/seed-on-start.server";
import { validationMode } from "../db/validate.server";
import { createHttpApp } from "./app";

installGlobals({ nativeFetch: true });

const mode = process.env.NODE_ENV === "production" ? "production" : "development";
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const root = process.cwd();
const buildPath = path.resolve(root, "build/index.js");

async function importBuild(): Promise<ServerBuild> {
  // A query string defeats the ESM cache so development rebuilds are picked up.
  const url = pathToFileURL(buildPath).href + (mode === "development" ? `?t=${fs.statSync(buildPath).mtimeMs}` : "");
  return (await import(url)) as ServerBuild;
}

async function main() {
  if (!fs.existsSync(buildPath)) {
    console.error("No build found at build/index.js. Run `npm run build` first (npm start does this for you).");
    process.exit(1);
  }
  const started = Date.now();
  let database;
  try {
    database = await getDatabase();
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  console.log(`Database: ${database.kind} (${database.location})`);
  if (validationMode() === "log") console.log("DB_VALIDATE: page reads are cross-checked; differences are logged");
  else if (process.env.DB_VALIDATE === "1")
    console.log(`DB_VALIDATE=1 is ignored under NODE_ENV=${process.env.NODE_ENV}`);
  await ensureSeeded(database.db, { log: (m) => console.log(m) });

  let build = await importBuild();
  const app = createHttpApp({
    build: mode === "development" ? async () => build : build,
    database,
    mode,
    publicDir: path.resolve(root, "public"),
    trustProxy: process.env.TRUST_PROXY === "true",
    listenHost: host,
  });

  const server = app.listen(port, host, () => {
    console.log(`PinPoint listening on http://localhost:${port} (ready in ${Date.now() - started} ms)`);
    if (mode === "development") broadcastDevReady(build);
  });

  if (mode === "development") {
    // `remix dev --manual` rebuilds into build/; we re-import it without restarting, so the database stays open.
    fs.watch(path.dirname(buildPath), { persistent: false }, async () => {
      try {
        build = await importBuild();
        broadcastDevReady(build);
      } catch {
        /* the build is being written; the next event picks it up */
      }
    });
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: closing the server and the database`);
    // Give in-flight requests a moment, but never hang: PGlite must be closed to keep its writes.
    const force = setTimeout(() => {
      console.error("Shutdown took too long; exiting");
      process.exit(1);
    }, 4000);
    force.unref();
    // Stop accepting connections, let requests in flight finish (at most ~2 s), then close the database.
    server.close(() => {
      closeDatabase()
        .then(() => process.exit(0))
        .catch((error) => {
          console.error("Error while closing the database", error);
          process.exit(1);
        });
    });
    server.closeIdleConnections?.();
    setTimeout(() => server.closeAllConnections?.(), 2000).unref();
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
