/**
 * Prometheus metrics at `/metrics` (prom-client; docs/decisions/036-operations.md), only when METRICS_TOKEN is set
 * and only for `Authorization: Bearer <METRICS_TOKEN>`:
 * - `pinpoint_http_requests_total` and `pinpoint_http_request_duration_seconds` by method, route (the Remix route id
 *   or a fixed label, server/route-label.ts: never the URL, so ids and tokens make no series of their own) and status
 *   class (2xx … 5xx);
 * - `pinpoint_db_pool_connections` by state (max; in_use and waiting on PostgreSQL), from DbHandle.poolStats;
 * - `pinpoint_mail_outbox_messages` by status (pending, failed), counted when scraped;
 * - the process's default metrics (CPU, memory, event loop lag, GC), prefixed `pinpoint_`.
 */
import crypto from "node:crypto";
import type { Request, Response } from "express";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { DbHandle } from "../db/client.server";
import { outboxBacklog } from "../db/queries/outbox-backlog.server";
import { errorFields, log } from "./log";
import type { FinishedRequest } from "./request-log";
import { statusClass } from "./route-label";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export interface Metrics {
  observe(request: FinishedRequest): void;
  /** The `/metrics` handler: 401 without the right bearer token. */
  handler(req: Request, res: Response): Promise<void>;
}

export function createMetrics(database: DbHandle, token: string): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "pinpoint_" });
  const labelNames = ["method", "route", "status_class"] as const;
  const requests = new Counter({
    name: "pinpoint_http_requests_total",
    help: "HTTP requests answered, by method, route and status class.",
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "pinpoint_http_request_duration_seconds",
    help: "Time from the request's arrival to the end of its answer, by method, route and status class.",
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: "pinpoint_db_pool_connections",
    help: "Database connections: the most the client opens (max), and on PostgreSQL those in use and waited for.",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const stats = database.poolStats?.();
      if (!stats) return;
      this.set({ state: "max" }, stats.max);
      if (stats.inUse !== undefined) this.set({ state: "in_use" }, stats.inUse);
      if (stats.waiting !== undefined) this.set({ state: "waiting" }, stats.waiting);
    },
  });
  new Gauge({
    name: "pinpoint_mail_outbox_messages",
    help: "E-mails in the outbox waiting to be sent (pending) and given up on (failed).",
    labelNames: ["status"] as const,
    registers: [registry],
    async collect() {
      try {
        const backlog = await outboxBacklog(database.db);
        this.set({ status: "pending" }, backlog.pending);
        this.set({ status: "failed" }, backlog.failed);
      } catch (error) {
        // No stale numbers while the database does not answer: the series disappear until it does.
        this.reset();
        log().warn(errorFields(error), "metrics: could not count the outbox");
      }
    },
  });

  const expected = crypto.createHash("sha256").update(`Bearer ${token}`).digest();
  return {
    observe({ method, route, status, seconds }) {
      const labels = { method: METHODS.has(method) ? method : "other", route, status_class: statusClass(status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
    async handler(req, res) {
      res.set("Cache-Control", "no-store");
      // Compared as hashes, in constant time: the token's length and prefix are not revealed by timing.
      const given = crypto
        .createHash("sha256")
        .update(req.get("authorization") ?? "")
        .digest();
      if (!crypto.timingSafeEqual(given, expected)) {
        res.status(401).set("WWW-Authenticate", 'Bearer realm="metrics"').type("text/plain").send("Unauthorized\n");
        return;
      }
      res.set("Content-Type", registry.contentType).send(await registry.metrics());
    },
  };
}
