/**
 * `npm start` / `npm run dev`: opens the database (PGlite in ./data by default, or DATABASE_URL), applies migrations,
 * seeds demo data on an empty database, serves the app, and shuts down cleanly on SIGTERM/SIGINT.
 * Under `npm run dev` (scripts/dev.ts runs this file) a rebuild is loaded into this same process
 * (server/build-loader.ts), so the database is opened once per process, not once per edit.
 */
import fs from "node:fs";
import path from "node:path";
import type { Server, ServerResponse } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import { installGlobals } from "@remix-run/node";
import { closeDatabase, databaseOpenCount, getDatabase } from "../db/client.server";
import { DataDirLockedError } from "../db/lock.server";
import { ensureSeeded } from "../db/seed-on-start.server";
import { validationMode } from "../db/validate.server";
import { createHttpApp } from "./app";
import { errorFields, log } from "./log";
import { announceBuild, buildStamp, importBuild, watchBuild, type BuildWatcher } from "./build-loader";
import { MailConfigError, mailConfigFromEnv, redactSmtpUrl, type MailConfig } from "./mail/config";
import { startDigestScheduler, type DigestScheduler } from "./mail/digest";
import { startMailWorker, watchUnsentMail, type MailWorker } from "./mail/worker";

installGlobals({ nativeFetch: true });

// Logging to a closed pipe must not kill the process halfway through closing the database: under `remix dev`, Ctrl+C
// ends remix dev (which reads our output) at once, while we are still shutting down.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}

const mode = process.env.NODE_ENV === "production" ? "production" : "development";
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const root = process.cwd();
const buildPath = path.resolve(root, "build/index.js");

let server: Server | undefined;
let buildWatcher: BuildWatcher | undefined;
let mailWorker: MailWorker | null = null;
let stopWatchingMail: (() => void) | null = null;
let digestScheduler: DigestScheduler | null = null;
let stopping = false;
let draining = false;

async function main() {
  if (!fs.existsSync(buildPath)) {
    log().fatal("No build found at build/index.js. Run `npm run build` first (npm start does this for you).");
    process.exit(1);
  }
  let mailConfig: MailConfig;
  try {
    mailConfig = mailConfigFromEnv();
  } catch (error) {
    if (error instanceof MailConfigError) {
      log().fatal(error.message);
      process.exit(1);
    }
    throw error;
  }
  const started = Date.now();
  let database;
  try {
    database = await getDatabase();
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      log().fatal(error.message);
      process.exit(1);
    }
    throw error;
  }
  log().info(`Database: ${database.kind} (${database.location})`);
  if (validationMode() === "log") log().info("DB_VALIDATE: page reads are cross-checked; differences are logged");
  else if (process.env.DB_VALIDATE === "1")
    log().warn(`DB_VALIDATE=1 is ignored under NODE_ENV=${process.env.NODE_ENV}`);
  await ensureSeeded(database.db, { log: (m) => log().info(m) });
  if (stopping) return;

  // E-mail: the worker delivers the outbox (server/mail/worker.ts); without SMTP_URL messages wait there.
  if (mailConfig.smtpUrl) {
    mailWorker = startMailWorker({ db: database.db, config: { ...mailConfig, smtpUrl: mailConfig.smtpUrl } });
    log().info(`E-mail: sending through ${redactSmtpUrl(mailConfig.smtpUrl)} as ${mailConfig.from}`);
  } else {
    stopWatchingMail = watchUnsentMail();
    log().info("E-mail: SMTP_URL is not set; messages wait in the outbox (/admin/outbox, npm run mail:outbox)");
  }
  // Daily notification digests of the previous UTC day (server/mail/digest.ts).
  digestScheduler = startDigestScheduler({ db: database.db, port, log: (m) => log().info(m) });

  let loadedStamp = buildStamp(buildPath);
  let build: ServerBuild;
  if (mode === "production") build = await importBuild(buildPath);
  else {
    // After a restart for a server file, remix dev may be writing build/index.js right now: wait for a whole one.
    for (let attempt = 0; ; attempt++) {
      loadedStamp = buildStamp(buildPath);
      try {
        build = await importBuild(buildPath, `${process.pid}-start-${attempt}`);
        break;
      } catch (error) {
        if (attempt >= 40) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }
  const app = createHttpApp({
    build: mode === "development" ? async () => build : build,
    database,
    mode,
    publicDir: path.resolve(root, "public"),
    trustProxy: process.env.TRUST_PROXY === "true",
    metricsToken: process.env.METRICS_TOKEN || undefined,
    draining: () => draining,
    listenHost: host,
    // Development only (createHttpApp also ignores it in other modes): tests/dev/dev-loop.test.ts checks that edits
    // are served by the same process and the same database client.
    devHeaders:
      mode === "development"
        ? () => ({
            "X-Dev-Pid": String(process.pid),
            "X-Dev-Database-Opens": String(databaseOpenCount()),
            "X-Dev-Build": build.assets.version,
          })
        : undefined,
  });

  await new Promise<void>((resolve, reject) => {
    server = app.listen(port, host, () => resolve());
    server.once("error", reject);
  });
  // While draining, a keep-alive connection closes once its answer is out (closeHttpServer).
  server!.on("request", (_req, res: ServerResponse) => {
    res.once("finish", () => {
      if (draining) setImmediate(() => server?.closeIdleConnections());
    });
  });
  log().info(`PinPoint listening on http://localhost:${port} (ready in ${Date.now() - started} ms)`);

  if (mode === "development") {
    // `remix dev --manual` rebuilds into build/; we load the new build here instead of restarting.
    buildWatcher = watchBuild({
      buildPath,
      loadedStamp,
      onBuild: (next) => {
        build = next;
        log().info(`Loaded build ${next.assets.version}`);
      },
      log: (message) => log().warn(message),
    });
    await announceBuild(build, (message) => log().warn(message));
  }
}

/**
 * Stops accepting connections and waits for the requests in flight, at most `timeoutMs`; then cuts the connections
 * still open. Each keep-alive connection is closed as soon as its last answer is out, so no new request starts on it.
 */
function closeHttpServer(timeoutMs: number): Promise<void> {
  const current = server;
  if (!current) return Promise.resolve();
  return new Promise((resolve) => {
    const cut = setTimeout(() => {
      log().warn({ timeoutMs }, "requests still running at SHUTDOWN_TIMEOUT_MS; closing their connections");
      current.closeAllConnections();
    }, timeoutMs);
    cut.unref();
    current.close(() => {
      clearTimeout(cut);
      resolve();
    });
    current.closeIdleConnections();
  });
}

/** SHUTDOWN_TIMEOUT_MS: how long in-flight requests may take to finish after SIGTERM (default 10 s). */
function shutdownTimeoutMs(): number {
  const value = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000);
  return Number.isFinite(value) && value >= 0 ? value : 10_000;
}

const startup = main();

function stop(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  // From now on /readyz answers 503 (server/app.ts), so a load balancer stops sending here.
  draining = true;
  const timeoutMs = shutdownTimeoutMs();
  log().info(
    { signal, timeoutMs },
    `${signal} received: closing the server and the database (no new connections; draining requests in flight)`,
  );
  buildWatcher?.close();
  // Migrations or the first seed are never cut halfway; after that, requests in flight get SHUTDOWN_TIMEOUT_MS to
  // finish, but the process never hangs: PGlite must be closed to keep its writes.
  void startup
    .catch(() => {})
    .then(() => {
      const force = setTimeout(() => {
        log().error("Shutdown took too long; exiting");
        process.exit(1);
      }, timeoutMs + 5000);
      force.unref();
      // The mail worker stops taking messages at once; a delivery in flight finishes (at most ~2 s) before the
      // database closes, as do the requests in flight.
      stopWatchingMail?.();
      digestScheduler?.stop();
      return Promise.all([closeHttpServer(timeoutMs), mailWorker ? mailWorker.stop(2000) : undefined]);
    })
    .then(() => log().info("requests drained and mail worker stopped; closing the database"))
    .then(() => closeDatabase())
    .then(() => {
      log().info("stopped");
      process.exit(0);
    })
    .catch((error) => {
      log().error(errorFields(error), "Error while closing the database");
      process.exit(1);
    });
}

// `on`, not `once`: under `npm run dev` a Ctrl+C reaches us twice (from the terminal, and again from the dev runner);
// a second signal without a listener would kill the process before the database is closed.
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));

startup.catch(async (error) => {
  log().fatal(errorFields(error), "start-up failed");
  await closeDatabase().catch(() => {});
  process.exit(1);
});
