/**
 * The first middleware of every request: its id (a sane incoming `X-Request-Id`, else a new one), returned in the
 * `X-Request-Id` header and attached to every log line written while the request is handled (server/log.ts), and
 * one access line when it ends: method, route label (server/route-label.ts, never the URL: it may hold tokens),
 * status and duration. Health probes, metrics scrapes and static files log at debug, so they do not flood the log.
 */
import type { NextFunction, Request, Response } from "express";
import { log, requestIdFrom, runWithRequestId } from "./log";
import { ROUTE_LABEL } from "./route-label";

export interface FinishedRequest {
  method: string;
  route: string;
  status: number;
  seconds: number;
}

const QUIET_ROUTES = new Set<string>(["/healthz", "/readyz", "/metrics", ROUTE_LABEL.static]);

export function requestScope(onFinish?: (request: FinishedRequest) => void) {
  return (req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdFrom(req.headers["x-request-id"]);
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    const started = process.hrtime.bigint();
    res.once("close", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (res.locals.route as string | undefined) ?? ROUTE_LABEL.refused;
      const status = res.statusCode;
      const fields = {
        method: req.method,
        route,
        status,
        ms: Math.round(seconds * 1000),
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      runWithRequestId(requestId, () => {
        if (status >= 500) log().error(fields, "request");
        else if (QUIET_ROUTES.has(route)) log().debug(fields, "request");
        else log().info(fields, "request");
      });
      onFinish?.({ method: req.method, route, status, seconds });
    });
    runWithRequestId(requestId, () => {
      log().debug({ method: req.method }, "request started");
      next();
    });
  };
}
