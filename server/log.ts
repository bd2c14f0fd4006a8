/**
 * The process's one logger: pino, one JSON object per line on stdout (docs/decisions/036-operations.md).
 *
 * - `LOG_LEVEL` (trace, debug, info, warn, error, fatal, silent; default info). Tests run with `silent`
 *   (vitest.config.ts) unless LOG_LEVEL is set.
 * - Under `npm run dev` (NODE_ENV other than production) lines are printed as plain text for people: the message,
 *   then the fields as JSON.
 * - Every line written while a request is handled carries its id (`reqId`, from `runWithRequestId`), whichever
 *   module logged it: server/ and the Remix bundle (app/lib/log.server.ts) are separate module graphs, so the logger
 *   and the request scope live on a globalThis slot, like app/lib/errors.server.ts's outage signal.
 * - Never log passwords, tokens, cookies or whole e-mail addresses: `maskEmail` keeps the domain only, and the
 *   redaction below is the safety net for fields with those names.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

interface LogState {
  logger: Logger;
  scope: AsyncLocalStorage<{ requestId: string }>;
}

const LEVELS = new Set(["trace", "debug", "info", "warn", "error", "fatal", "silent"]);
const stateKey = Symbol.for("pinpoint.log");

/** Field names whose values never reach a log line, at the top level or one level down. */
const SECRET_FIELDS = ["password", "token", "cookie", "authorization", "secret", "email"];

export function logLevel(env: NodeJS.ProcessEnv = process.env): string {
  const level = (env.LOG_LEVEL ?? "").trim().toLowerCase();
  return LEVELS.has(level) ? level : "info";
}

/** A pino logger writing to `destination` (stdout by default) with our fields, levels and redaction. */
export function createLogger(
  destination: DestinationStream = defaultDestination(),
  level = logLevel(),
  scope: AsyncLocalStorage<{ requestId: string }> = state().scope,
): Logger {
  return pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `headers["${f}"]`]),
        censor: "[redacted]",
      },
      mixin() {
        const current = scope.getStore();
        return current ? { reqId: current.requestId } : {};
      },
    },
    destination,
  );
}

function defaultDestination(): DestinationStream {
  // process.stdout, not pino's own file descriptor stream: server/index.ts ignores EPIPE on it (remix dev may close
  // our pipe while we shut down), and on Linux its writes to pipes and files are synchronous, so the last lines
  // before process.exit are not lost.
  if (process.env.NODE_ENV === "production") return process.stdout;
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      process.stdout.write(plainLine(chunk.toString()));
      callback();
    },
  });
}

/** Development output: `[level] message {fields}` (info without the level), so `npm run dev` stays readable. */
function plainLine(json: string): string {
  try {
    const { level, msg, time, pid, hostname, ...fields } = JSON.parse(json) as Record<string, unknown>;
    void time;
    void pid;
    void hostname;
    const rest = Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : "";
    return `${level === "info" ? "" : `[${String(level)}] `}${String(msg ?? "")}${rest}\n`;
  } catch {
    return json;
  }
}

function state(): LogState {
  const g = globalThis as Record<symbol, LogState | undefined>;
  if (!g[stateKey]) {
    const scope = new AsyncLocalStorage<{ requestId: string }>();
    g[stateKey] = { scope, logger: undefined as unknown as Logger };
    g[stateKey].logger = createLogger(defaultDestination(), logLevel(), scope);
  }
  return g[stateKey];
}

/** The process's logger (shared by server/ and the Remix bundle). */
export function log(): Logger {
  return state().logger;
}

/** Replaces the process's logger (tests capture lines with `createLogger(stream, "debug")`); returns the old one. */
export function setLogger(logger: Logger): Logger {
  const s = state();
  const previous = s.logger;
  s.logger = logger;
  return previous;
}

/** Runs `fn` with `requestId` attached to every line logged inside it, across awaits. */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return state().scope.run({ requestId }, fn);
}

/** The id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return state().scope.getStore()?.requestId;
}

/** What a client or proxy may send as X-Request-Id: short, and only characters that are safe in a log line. */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/** The incoming `X-Request-Id` when it is sane, else a new random one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** `someone@example.com` → `s…@example.com`: enough to tell accounts apart in an incident, not the address. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "…";
  return `${email[0]}…${email.slice(at)}`;
}

/**
 * An error as log fields: type, message, code and stack, and the same of its cause. Never the query parameters that
 * drizzle appends to a failed query's message (they may hold an e-mail address or a token), nor a driver's `detail`
 * (row values).
 */
export function errorFields(error: unknown): { error: Record<string, unknown> } {
  return { error: describeError(error, 0) };
}

function describeError(error: unknown, depth: number): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: withoutParams(String(error)) };
  const code = (error as { code?: unknown }).code;
  const message = withoutParams(error.message);
  const frames = error.stack?.slice(error.stack.indexOf("\n    at ")) ?? "";
  const cause = (error as { cause?: unknown }).cause;
  return {
    type: error.name,
    message,
    ...(code !== undefined ? { code } : {}),
    ...(error.stack?.includes("\n    at ") ? { stack: `${error.name}: ${message}${frames}` } : {}),
    ...(cause !== undefined && depth < 3 ? { cause: describeError(cause, depth + 1) } : {}),
  };
}

function withoutParams(message: string): string {
  const at = message.indexOf("\nparams:");
  return at === -1 ? message : message.slice(0, at);
}
