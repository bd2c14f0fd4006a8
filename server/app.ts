/**
 * The HTTP layer: Express in front of Remix (server/remix-handler.ts). We use our own server instead of remix-serve
 * because (1) security headers must be on every response, static files and redirects included, (2) bodies over the
 * limit, foreign hosts and cross-site non-GET requests must be refused before any route runs, (3) the database must
 * be closed on SIGTERM (PGlite loses writes otherwise).
 * `createHttpApp` is also what the integration tests start, with a database of their own.
 */
import crypto from "node:crypto";
import { STATUS_CODES } from "node:http";
import path from "node:path";
import compression from "compression";
import express, { type Request, type Response, type NextFunction } from "express";
import type { ServerBuild } from "@remix-run/node";
import { BAD_HOST_MESSAGE, hostPolicy, isAllowedHost, machineNames } from "../app/lib/allowed-hosts.server";
import { bodyLimitFor } from "../app/lib/body-limits";
import { migrationsFolder, type DbHandle } from "../db/client.server";
import { migrationStatus } from "../db/migration-status.server";
import { bodyLimit } from "./body-limit";
import { errorFields, log } from "./log";
import { createMetrics } from "./metrics";
import { outageGuard } from "./outage";
import { precompressedAssets } from "./precompressed";
import { remixHandler } from "./remix-handler";
import { requestScope } from "./request-log";
import { ROUTE_LABEL, remixRouteLabel } from "./route-label";
import { ONE_CLICK_UNSUBSCRIBE_PATH, buildSecurityHeaders, isCrossSiteRequest } from "./security";

export interface HttpAppOptions {
  /** The Remix server build, or a function returning the latest one (development rebuilds). */
  build: ServerBuild | (() => Promise<ServerBuild>);
  database: DbHandle;
  mode: "production" | "development" | "test";
  /** Directory with the client build (public/). */
  publicDir: string;
  /** Trust X-Forwarded-* headers (set when running behind a reverse proxy). */
  trustProxy?: boolean;
  /** The address the server listens on (HOST): its names count as our own hosts in production without configuration
   * (app/lib/allowed-hosts.server.ts machineNames). */
  listenHost?: string;
  /** Headers added to every answer in development only (which process and database client served it); never in
   * production or tests, where they would tell visitors about the process. */
  devHeaders?: () => Record<string, string>;
  /** METRICS_TOKEN: with it `/metrics` serves Prometheus metrics to `Authorization: Bearer <token>`; without, 404. */
  metricsToken?: string;
  /** True once the process is shutting down (server/index.ts): `/readyz` then answers 503. */
  draining?: () => boolean;
}

export function createHttpApp(options: HttpAppOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxy) app.set("trust proxy", true);
  const getBuild = typeof options.build === "function" ? options.build : async () => options.build as ServerBuild;

  // The request id, the access log line (server/request-log.ts) and the request metrics come first, so refused
  // requests are counted too.
  const metrics = options.metricsToken ? createMetrics(options.database, options.metricsToken) : undefined;
  app.use(requestScope(metrics?.observe));

  // Security headers first, so they reach static files, redirects, 404s and errors alike.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const nonce = crypto.randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    const headers = buildSecurityHeaders({
      nonce,
      dev: options.mode === "development",
      https: req.secure,
    });
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (options.mode === "development" && options.devHeaders) {
      for (const [name, value] of Object.entries(options.devHeaders())) res.setHeader(name, value);
    }
    next();
  });

  // Text answers (pages, single-fetch data, JSON, SVG, scripts without a precompressed variant) over 1 kB go out
  // brotli- or gzip-compressed when the client accepts it; images and other compressed types are left alone (the
  // middleware's filter asks the `compressible` type list). Streamed pages stay streamed: Remix flushes the
  // compressor after every chunk it writes (res.flush). docs/decisions/030-compression.md.
  app.use(compression());

  // Bodies over the route's limit are refused with 413 before anything reads them (server/body-limit.ts).
  app.use(bodyLimit(bodyLimitFor));

  // The health checks name no host, database or version: load balancers probe them by address, whatever the host.
  // Liveness: the process answers HTTP. It never touches the database, so a database outage does not get every
  // instance restarted.
  app.get(["/healthz", "/api/health"], (_req, res) => {
    res.locals.route = "/healthz";
    res.set("Cache-Control", "no-store").json({ status: "healthy" });
  });

  // Prometheus metrics (server/metrics.ts): only with METRICS_TOKEN; otherwise the address does not exist.
  app.get("/metrics", (req, res, next) => {
    if (!metrics) return next();
    res.locals.route = "/metrics";
    metrics.handler(req, res).catch(next);
  });

  // Readiness: send traffic here? Not while shutting down, not when the database does not answer, and not before
  // this build's migrations are applied.
  app.get("/readyz", async (_req, res) => {
    res.locals.route = "/readyz";
    res.set("Cache-Control", "no-store");
    if (options.draining?.()) {
      res.status(503).json({ status: "unready", reason: "shutting down" });
      return;
    }
    let pending: number;
    try {
      pending = (await withTimeout(migrationStatus(options.database.db, migrationsFolder), 3000)).pending;
    } catch {
      res.status(503).json({ status: "unready", reason: "the database does not answer" });
      return;
    }
    if (pending > 0) {
      res.status(503).json({ status: "unready", reason: `${pending} migration(s) not applied yet` });
      return;
    }
    res.json({ status: "ready" });
  });

  // Only hosts of this deployment (app/lib/allowed-hosts.server.ts): the host ends up in QR codes and absolute links.
  // Read per request, so PUBLIC_URL/BASE_DOMAIN changes in tests apply at once; the machine's names are fixed.
  const ownNames = machineNames(options.listenHost);
  app.use((req: Request, res: Response, next: NextFunction) => {
    // Behind a trusted proxy the address the browser used is in X-Forwarded-Host (first value).
    const forwardedHost = options.trustProxy ? req.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
    const host = (forwardedHost || req.get("host") || "").toLowerCase();
    const policy = hostPolicy({
      publicUrl: process.env.PUBLIC_URL,
      baseDomain: process.env.BASE_DOMAIN,
      mode: options.mode,
      ownNames,
    });
    // An absolute request target ("GET http://other/ HTTP/1.1") names a host of its own: refused as well.
    if (!isAllowedHost(host, policy) || !req.originalUrl.startsWith("/")) {
      res.status(400).type("text/plain").send(BAD_HOST_MESSAGE);
      return;
    }
    res.locals.host = host;
    next();
  });

  // Cross-site request forgery: a state-changing request must come from our own origin (scheme, host and port), for
  // document, single-fetch (`.data`) and resource-route requests alike (Remix's own check covers documents only and
  // answers 500). See docs/decisions/006-csrf-origin-check.md.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const crossSite = isCrossSiteRequest({
      method: req.method,
      headers: req.headers,
      host: res.locals.host as string,
      // "https" over TLS, or behind a trusted proxy that says so (X-Forwarded-Proto).
      scheme: req.protocol,
      allowedOrigins: process.env.PUBLIC_URL ? [process.env.PUBLIC_URL] : [],
    });
    // One-click unsubscribe is the exception; its route accepts only the RFC 8058 body from another site.
    if (crossSite && req.method === "POST" && ONE_CLICK_UNSUBSCRIBE_PATH.test(req.path)) {
      res.locals.crossSite = true;
      next();
      return;
    }
    if (crossSite) {
      res.status(403).type("text/plain").send("Forbidden: this request came from another site and was refused.");
      return;
    }
    next();
  });

  // PostgreSQL text cannot hold NUL (U+0000): a %00 in a route parameter or query would reach a query and fail with
  // 22021 (a 500). No valid address contains one.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.originalUrl.includes("%00")) {
      res.status(400).type("text/plain").send("Bad request: the address contains a NUL character.");
      return;
    }
    next();
  });

  // Fingerprinted client assets can be cached forever (`public, max-age=31536000, immutable`), their .br/.gz variants
  // written by `npm run build` included (server/precompressed.ts); everything else in public/ briefly.
  const buildDir = path.join(options.publicDir, "build");
  const forever = { immutable: true, maxAge: "1y" };
  app.use(
    "/build",
    (_req: Request, res: Response, next: NextFunction) => {
      res.locals.route = ROUTE_LABEL.static;
      next();
    },
    precompressedAssets(buildDir, forever),
    express.static(buildDir, { ...forever, fallthrough: true }),
  );
  // The other public files (favicon.svg, robots.txt …) all have an extension: page URLs and single-fetch `.data`
  // requests skip express.static's file-system stat(), which was a measurable share of a cheap page (bench/ANALYSIS.md).
  const publicFiles = express.static(options.publicDir, { maxAge: "1h" });
  app.use((req: Request, res: Response, next: NextFunction) => {
    const ext = path.extname(req.path);
    // A file of public/, unless none exists and a Remix resource route (`/issues.csv`) answers: see below.
    if (ext && ext !== ".data") {
      res.locals.route = ROUTE_LABEL.static;
      return publicFiles(req, res, next);
    }
    next();
  });

  // The route label of logs and metrics: the Remix route that will answer.
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    try {
      res.locals.route = remixRouteLabel(await getBuild(), req.path);
    } catch {
      res.locals.route = ROUTE_LABEL.noMatch;
    }
    next();
  });

  app.use(outageGuard(options.database));

  app.all(
    "*",
    remixHandler({
      build: options.build,
      mode: options.mode === "test" ? "production" : options.mode,
      hostOf: (_req, res) => res.locals.host as string,
      getLoadContext: (req, res) => ({
        db: options.database.db,
        nonce: res.locals.cspNonce as string,
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
        requestMemo: {},
        crossSite: res.locals.crossSite === true,
        requestId: res.locals.requestId as string,
      }),
    }),
  );

  // Anything thrown past Remix (it answers its own errors with the error page) is a bug: logged with the request id,
  // answered with a page that shows the id, never the error. Errors that carry a 4xx status are the request's fault
  // (Express's own 400 for a path with a broken percent-escape such as /invite/%E0%A4%A): that status, plainly.
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    void next;
    const clientStatus = clientErrorStatusOf(error);
    if (clientStatus) log().warn({ status: clientStatus, ...errorFields(error) }, "bad request");
    else log().error(errorFields(error), "unhandled error");
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const reference = `Reference: ${res.locals.requestId as string}`;
    if (clientStatus) {
      res
        .status(clientStatus)
        .type("text/plain")
        .send(`${STATUS_CODES[clientStatus] ?? "Bad request"}: this address or request is malformed. ${reference}\n`);
      return;
    }
    res.status(500).type("text/plain").send(`Something went wrong on our side. ${reference}\n`);
  });

  return app;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The 4xx status an error thrown by Express or a middleware carries (`status` or `statusCode`), else null. */
function clientErrorStatusOf(error: unknown): number | null {
  if (typeof error !== "object" || error === null) return null;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const code = typeof status === "number" ? status : typeof statusCode === "number" ? statusCode : null;
  return code !== null && code >= 400 && code < 500 ? code : null;
}
