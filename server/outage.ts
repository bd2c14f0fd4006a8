/**
 * While the database is unreachable, answer 503 with a clear page at once instead of letting every request wait
 * for a connection timeout; probe the database in the background and resume as soon as it answers.
 * The Remix bundle reports an outage through app/lib/errors.server.ts (a globalThis slot shared with this module).
 */
import type { NextFunction, Request, Response } from "express";
import type { DbHandle } from "../db/client.server";
import {
  DATABASE_OUTAGE_PAGE as PAGE,
  databaseMarkedDown,
  markDatabaseUp,
  onDatabaseDown,
} from "../app/lib/errors.server";

export function outageGuard(database: DbHandle, probeMs = 1000) {
  let probing: NodeJS.Timeout | undefined;
  const probe = () => {
    if (probing) return;
    probing = setInterval(async () => {
      try {
        await database.ping();
        markDatabaseUp();
        clearInterval(probing);
        probing = undefined;
      } catch {
        /* still down */
      }
    }, probeMs);
    probing.unref();
  };
  onDatabaseDown(probe);
  return (req: Request, res: Response, next: NextFunction) => {
    if (!databaseMarkedDown() || req.path === "/healthz" || req.path === "/api/health") return next();
    res.status(503).set("Retry-After", "5").set("Cache-Control", "no-store");
    if (req.accepts(["html", "json"]) === "json")
      res.json({ error: "The database is temporarily unavailable. Please retry shortly." });
    else res.type("html").send(PAGE);
  };
}
