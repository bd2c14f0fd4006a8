/**
 * Pieces shared by the DB_VALIDATE reference queries (db/validate.server.ts). The references are hand-written SQL
 * over the table and column names, never the Drizzle table objects, so they stay independent of the queries they
 * check. Besides the page's meaning they require every joined row to be of the same organization (a status,
 * priority, machine, location, model or collection location of another organization is left out), which the
 * foreign keys alone do not guarantee: such a row shows up as a difference.
 */
import { sql, type SQL } from "drizzle-orm";

/** `to_char` format of a `timestamp(3)` (stored as UTC) as JavaScript's `toISOString()` writes it. */
export const ISO = sql.raw(`'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`);

/** `(a, b, c)` of bound values, for `in`. */
export function list(values: readonly string[]): SQL {
  return sql`(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}

/** A number from a driver value (int8 comes back as a string from postgres-js). */
export function num(value: unknown): number {
  return Number(value);
}

export function numOrNull(value: unknown): number | null {
  return value == null ? null : Number(value);
}

export function str(value: unknown): string | null {
  return value == null ? null : String(value);
}

/** A json column: parsed by some drivers, a string from others. */
export function json(value: unknown): unknown {
  return typeof value === "string" ? JSON.parse(value) : value;
}

/** The issue pages' rule for a member's name: trimmed, or "Unnamed member". */
export function memberName(value: unknown): string {
  return (typeof value === "string" ? value.trim() : "") || "Unnamed member";
}
