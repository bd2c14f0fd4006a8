/**
 * DB_VALIDATE: the reads of the pages people use (issue list, issue page, machine pages, notifications, collections,
 * plus the permission check and the QR lookup) also run a hand-written reference SQL query (db/reference/*) and
 * compare the two results, normalized to the ids and the fields the page shows, in the page's order. This is the
 * Remix counterpart of the original plan's "validation layer" during the Prisma → Drizzle cutover.
 *
 * - `DB_VALIDATE=1` with `NODE_ENV=development`: a difference is logged and the page is served as usual.
 * - `DB_VALIDATE=1` with `NODE_ENV=test`: a difference throws, so the request answers 500 and the test fails.
 * - Anything else, `NODE_ENV=production` above all: off. Call sites skip the reference entirely
 *   (`if (validationEnabled()) …`), so it costs one environment lookup.
 *
 * Queries run as separate statements: a write landing between a read and its reference can look like a difference.
 * Nothing in tests writes while the same request reads, and development only logs.
 */
import type { SQL } from "drizzle-orm";
import type { DbOrTx } from "./client.server";

export type ValidationMode = "off" | "log" | "throw";

/**
 * NODE_ENV as the process runs, not as it was built: the Remix compiler replaces the literal `process.env.NODE_ENV`
 * in the server build with the build's mode, and the integration tests serve a production build under NODE_ENV=test.
 */
function runtimeEnv(name: "NODE_ENV"): string | undefined {
  return process.env[name];
}

export function validationMode(): ValidationMode {
  if (process.env.DB_VALIDATE !== "1") return "off";
  const env = runtimeEnv("NODE_ENV");
  if (env === "test") return "throw";
  if (env === "development") return "log";
  return "off";
}

export function validationEnabled(): boolean {
  return validationMode() !== "off";
}

export type ValidationLogger = (
  message: string,
  detail: { label: string; drizzle: unknown; reference: unknown },
) => void;

/**
 * Shared through globalThis: the server build bundles its own copy of this module, and tests that serve it in their
 * own process observe its checks (how many ran, what was reported) through this one object.
 */
interface ValidationState {
  logger: ValidationLogger;
  counts: Map<string, number>;
}

const defaultLogger: ValidationLogger = (message, detail) =>
  console.warn(`[db-validate] ${message}`, JSON.stringify(detail));

const STATE = Symbol.for("pinpoint.db-validate");

function state(): ValidationState {
  const g = globalThis as { [STATE]?: ValidationState };
  g[STATE] ??= { logger: defaultLogger, counts: new Map() };
  return g[STATE];
}

/** Tests replace the logger to observe differences; returns a function that puts the previous one back. */
export function setValidationLogger(next: ValidationLogger): () => void {
  const s = state();
  const previous = s.logger;
  s.logger = next;
  return () => {
    s.logger = previous;
  };
}

/** How many cross-checks ran per label since the last reset (tests prove that a page's reads were checked). */
export function validationCounts(): Record<string, number> {
  return Object.fromEntries(state().counts);
}

export function resetValidationCounts(): void {
  state().counts.clear();
}

export class ValidationMismatch extends Error {
  readonly label: string;
  constructor(label: string, message: string) {
    super(`[db-validate] ${message}`);
    this.name = "ValidationMismatch";
    this.label = label;
  }
}

export function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  return ((result as { rows?: Record<string, unknown>[] }).rows ?? []) as Record<string, unknown>[];
}

/** JSON with dates as ISO strings and object keys sorted, so equal values compare equal whatever built them. */
export function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof Date) return v.toISOString();
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
    }
    return v;
  });
}

/** Where two normalized values first differ, for a readable message. */
function firstDifference(a: unknown, b: unknown, path = "$"): string {
  if (Array.isArray(a) && Array.isArray(b)) {
    // Rows with ids: name the rows only one side has before comparing positions (a missing row shifts the rest).
    const ids = (rows: unknown[]) =>
      rows.every((r) => r && typeof r === "object" && "id" in r)
        ? rows.map((r) => String((r as { id: unknown }).id))
        : null;
    const left = ids(a);
    const right = ids(b);
    if (left && right) {
      const onlyLeft = left.filter((id) => !right.includes(id));
      const onlyRight = right.filter((id) => !left.includes(id));
      if (onlyLeft.length || onlyRight.length) {
        return `${path}: rows only Drizzle has ${clip(stable(onlyLeft))}, rows only the reference has ${clip(stable(onlyRight))}`;
      }
    }
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (stable(a[i]) !== stable(b[i])) return firstDifference(a[i], b[i], `${path}[${i}]`);
    }
    return path;
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const x = (a as Record<string, unknown>)[k];
      const y = (b as Record<string, unknown>)[k];
      if (stable(x) !== stable(y)) return firstDifference(x, y, `${path}.${k}`);
    }
    return path;
  }
  return `${path}: Drizzle ${clip(stable(a))}, reference ${clip(stable(b))}`;
}

function clip(s: string | undefined): string {
  if (s === undefined) return "(nothing)";
  return s.length > 200 ? `${s.slice(0, 199)}…` : s;
}

function report(label: string, message: string, drizzle: unknown, reference: unknown): void {
  state().logger(message, { label, drizzle, reference });
  if (validationMode() === "throw") throw new ValidationMismatch(label, message);
}

/**
 * Runs `reference` and compares its rows, mapped by `normalize`, with `drizzleValue` (the caller's result mapped the
 * same way). Returns true when they match. On a difference, or when the reference query fails: logs, and throws
 * under NODE_ENV=test.
 */
export async function crossCheck(
  db: DbOrTx,
  label: string,
  drizzleValue: unknown,
  reference: SQL,
  normalize: (rows: Record<string, unknown>[]) => unknown,
): Promise<boolean> {
  const s = state();
  s.counts.set(label, (s.counts.get(label) ?? 0) + 1);
  let referenceValue: unknown;
  try {
    referenceValue = normalize(rowsOf(await db.execute(reference)));
  } catch (error) {
    report(label, `${label}: reference query failed: ${(error as Error).message}`, drizzleValue, null);
    return false;
  }
  if (stable(referenceValue) === stable(drizzleValue)) return true;
  report(
    label,
    `${label}: Drizzle and reference SQL disagree at ${firstDifference(drizzleValue, referenceValue)}`,
    drizzleValue,
    referenceValue,
  );
  return false;
}
