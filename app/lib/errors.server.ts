/** Error helpers: user-safe 4xx responses and recognising a database outage (answered with 503). */
import { data } from "@remix-run/node";

/** Throw when a row is missing or belongs to another organization: both look the same from outside (404). */
export function notFound(message = "Not found"): never {
  throw data({ message }, { status: 404 });
}

export function badRequest(message: string): never {
  throw data({ message }, { status: 400 });
}

export function forbidden(message = "You do not have permission to do that."): never {
  throw data({ message }, { status: 403 });
}

export function invariantResponse(condition: unknown, message: string, status = 404): asserts condition {
  if (!condition) throw data({ message }, { status });
}

const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

/** True when an error means "the database cannot be reached right now" rather than a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: string }).code;
    if (code && UNAVAILABLE_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The page every request gets while the database is unreachable (server/outage.ts and entry.server.tsx). */
export const DATABASE_OUTAGE_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Temporarily unavailable · PinPoint</title></head><body><main>
<h1>PinPoint is temporarily unavailable</h1>
<p>We cannot reach the database right now. Nothing you sent was lost: if you were submitting a form, it was not
saved, so please submit it again in a moment. This page does not need a refresh from us; try again in a few seconds.</p>
</main></body></html>`;

// ---------------------------------------------------------------------------------------------------------------
// Database outage signal. The Remix bundle and the HTTP server are separate module graphs, so they meet on a
// globalThis slot: the bundle reports "the database is unreachable" from handleError, the server then answers 503
// with a clear page until its own health probe succeeds again.

interface OutageState {
  down: boolean;
  listeners: Set<() => void>;
  flagged: WeakSet<Request>;
}
const outageKey = Symbol.for("pinpoint.databaseOutage");
function outage(): OutageState {
  const g = globalThis as Record<symbol, OutageState | undefined>;
  g[outageKey] ??= { down: false, listeners: new Set(), flagged: new WeakSet() };
  return g[outageKey];
}

export function reportDatabaseUnavailable(request?: Request) {
  const state = outage();
  if (request) state.flagged.add(request);
  if (!state.down) {
    state.down = true;
    for (const listener of state.listeners) listener();
  }
}

export function requestHitDatabaseOutage(request: Request): boolean {
  return outage().flagged.has(request);
}

export function databaseMarkedDown(): boolean {
  return outage().down;
}

export function markDatabaseUp() {
  outage().down = false;
}

export function onDatabaseDown(listener: () => void): () => void {
  const state = outage();
  state.listeners.add(listener);
  return () => state.listeners.delete(listener);
}
