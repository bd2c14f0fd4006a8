/** Recognising PostgreSQL errors, also when the driver or Drizzle wraps them (the SQLSTATE sits on a `cause`). */

/** True for a unique violation (23505): a unique index (a name already used, a second default) refused the row. */
export function isUniqueViolation(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if ((current as { code?: unknown }).code === "23505") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
