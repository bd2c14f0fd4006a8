/**
 * The HTTP layer: Express with the Remix adapter. We use our own server instead of remix-serve because
 * (1) security headers must be on every response, static files and redirects included, (2) every non-GET request
 * gets an Origin check, (3) the database must be closed on SIGTERM (PGlite loses writes otherwise).
 * `createHttpApp` is also what the integration tests start, with a database of their own.
 */
import crypto from "node:crypto";
import path from "node:path";
import express, { type Request, type Response, type NextFunction } from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import type { DbHandle } from "../db/client.server";
import { outageGuard } from "./outage";
import { buildSecurityHeaders, isCrossSiteRequest } from "./security";

export interface HttpAppOptions {
  /** The Remix server build, or a function returning the latest one (development rebuilds). */
  build: ServerBuild | (() => Promise<ServerBuild>);
  database: DbHandle;
  mode: "production" | "development" | "test";
  /** Directory with the client build (public/). */
  publicDir: string;
  /** Trust X-Forwarded-* headers (set when running behind a reverse proxy). */
  trustProxy?: boolean;
}

export function createHttpApp(options: HttpAppOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxy) app.set("trust proxy", true);

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
    next();
  });

  // Cross-site request forgery: a state-changing request must come from our own origin, for document, single-fetch
  // (`.data`) and resource-route requests alike (Remix's own check covers documents only and answers 500).
  // See docs/decisions/002-sessions-and-csrf.md.
  app.use((req: Request, res: Response, next: NextFunction) => {
    // Behind a trusted proxy the address the browser used is in X-Forwarded-Host (first value).
    const forwardedHost = options.trustProxy ? req.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
    const host = forwardedHost || req.get("host") || "";
    if (isCrossSiteRequest({ method: req.method, headers: req.headers, host })) {
      res.status(403).type("text/plain").send("Forbidden: this request came from another site and was refused.");
      return;
    }
    next();
  });

  // A response sent before the request body was read (a redirect to /login, a 404 …) leaves the rest of the body
  // unread on a keep-alive connection: Node cannot parse the next request on it, which hangs ~5 s and is reset
  // (clients and reverse proxies reuse connections). The Remix adapter has taken the request stream, so Node's own
  // draining does not happen: drain it here.
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.once("finish", () => {
      if (req.complete || req.destroyed) return;
      req.removeAllListeners("data");
      req.on("data", () => {});
      req.resume();
    });
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

  app.get(["/healthz", "/api/health"], async (_req, res) => {
    try {
      await withTimeout(options.database.ping(), 3000);
      res.set("Cache-Control", "no-store").json({ status: "healthy", database: options.database.kind });
    } catch {
      res.status(503).set("Cache-Control", "no-store").json({ status: "unhealthy", database: options.database.kind });
    }
  });

  // Fingerprinted client assets can be cached forever; everything else in public/ briefly.
  app.use(
    "/build",
    express.static(path.join(options.publicDir, "build"), { immutable: true, maxAge: "1y", fallthrough: true }),
  );
  // The other public files (favicon.svg, robots.txt …) all have an extension: page URLs and single-fetch `.data`
  // requests skip express.static's file-system stat(), which was a measurable share of a cheap page (bench/ANALYSIS.md).
  const publicFiles = express.static(options.publicDir, { maxAge: "1h" });
  app.use((req: Request, res: Response, next: NextFunction) => {
    const ext = path.extname(req.path);
    if (ext && ext !== ".data") return publicFiles(req, res, next);
    next();
  });

  app.use(outageGuard(options.database));

  app.all(
    "*",
    createRequestHandler({
      build: options.build as never,
      mode: options.mode === "test" ? "production" : options.mode,
      getLoadContext: (req, res) => ({
        db: options.database.db,
        nonce: res.locals.cspNonce as string,
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
        requestMemo: {},
      }),
    }),
  );

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
