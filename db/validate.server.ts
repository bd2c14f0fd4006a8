/**
 * Development-only cross-checking of key reads (DB_VALIDATE=1, never in production): a helper runs a hand-written
 * reference SQL query beside its Drizzle query and logs any difference. This is the Remix counterpart of the
 * original plan's "validation layer" during the Prisma → Drizzle cutover. When off, call sites skip it entirely
 * (`if (validationEnabled()) …`), so it costs one boolean check.
 */
import type { SQL } from "drizzle-orm";
import type { DbOrTx } from "./client.server";

export function validationEnabled(): boolean {
  return process.env.DB_VALIDATE === "1" && process.env.NODE_ENV !== "production";
}

export type ValidationLogger = (
  message: string,
  detail: { label: string; drizzle: unknown; reference: unknown },
) => void;

let logger: ValidationLogger = (message, detail) => console.warn(`[db-validate] ${message}`, JSON.stringify(detail));

/** Tests replace the logger to observe mismatches. */
export function setValidationLogger(next: ValidationLogger): () => void {
  const previous = logger;
  logger = next;
  return () => {
    logger = previous;
  };
}

function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  return ((result as { rows?: Record<string, unknown>[] }).rows ?? []) as Record<string, unknown>[];
}

function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v instanceof Date ? v.toISOString() : v));
}

/**
 * Runs `reference` and compares its rows, mapped by `normalize`, with `drizzleValue` mapped the same way by the
 * caller. Returns true when they match. Never throws: a failing reference query is logged, not raised.
 */
export async function crossCheck(
  db: DbOrTx,
  label: string,
  drizzleValue: unknown,
  reference: SQL,
  normalize: (rows: Record<string, unknown>[]) => unknown,
): Promise<boolean> {
  try {
    const referenceValue = normalize(rowsOf(await db.execute(reference)));
    if (stable(referenceValue) === stable(drizzleValue)) return true;
    logger(`${label}: Drizzle and reference SQL disagree`, { label, drizzle: drizzleValue, reference: referenceValue });
    return false;
  } catch (error) {
    logger(`${label}: reference query failed: ${(error as Error).message}`, {
      label,
      drizzle: drizzleValue,
      reference: null,
    });
    return false;
  }
}
