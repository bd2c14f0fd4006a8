/**
 * Rate-limit counters in PostgreSQL, shared by every app instance on the database (app/lib/rate-limit.server.ts
 * chooses this store on PostgreSQL). Each helper is one statement; a hit is one atomic upsert, so concurrent hits
 * from several instances never lose a count. Not tenant data: keys are addresses, accounts and organizations.
 */
import { and, eq, gt, inArray, lte, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { rateLimitCounters } from "../schema";

export interface CounterState {
  count: number;
  /** Milliseconds since 1970 when the window ends. */
  resetAt: number;
}

/** Counts one hit at `key`: starts a new window when there is none or it has ended. */
export async function hitCounter(db: DbOrTx, key: string, windowMs: number, now: number): Promise<CounterState> {
  const t = rateLimitCounters;
  const expired = sql`${t.resetAt} <= ${now}`;
  const [row] = await db
    .insert(t)
    .values({ key, count: 1, resetAt: now + windowMs })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        count: sql`CASE WHEN ${expired} THEN 1 ELSE ${t.count} + 1 END`,
        resetAt: sql`CASE WHEN ${expired} THEN excluded."resetAt" ELSE ${t.resetAt} END`,
      },
    })
    .returning({ count: t.count, resetAt: t.resetAt });
  return row;
}

/** The live windows among `keys` (ended ones are left out). */
export async function liveCounters(db: DbOrTx, keys: string[], now: number): Promise<Map<string, CounterState>> {
  if (!keys.length) return new Map();
  const t = rateLimitCounters;
  const rows = await db
    .select({ key: t.key, count: t.count, resetAt: t.resetAt })
    .from(t)
    .where(and(inArray(t.key, keys), gt(t.resetAt, now)));
  return new Map(rows.map((r) => [r.key, { count: r.count, resetAt: r.resetAt }]));
}

/** Takes back one hit at `key` in a live window. */
export async function decrementCounter(db: DbOrTx, key: string, now: number): Promise<void> {
  const t = rateLimitCounters;
  await db
    .update(t)
    .set({ count: sql`${t.count} - 1` })
    .where(and(eq(t.key, key), gt(t.resetAt, now), gt(t.count, 0)));
}

export async function deleteCounter(db: DbOrTx, key: string): Promise<void> {
  await db.delete(rateLimitCounters).where(eq(rateLimitCounters.key, key));
}

/** Drops ended windows. */
export async function purgeEndedCounters(db: DbOrTx, now: number): Promise<void> {
  await db.delete(rateLimitCounters).where(lte(rateLimitCounters.resetAt, now));
}

/** Forgets every counter (tests). */
export async function deleteAllCounters(db: DbOrTx): Promise<void> {
  await db.delete(rateLimitCounters);
}
