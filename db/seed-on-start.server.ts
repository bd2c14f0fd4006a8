/**
 * Seeds an empty database once, on first start, so `npm start` on a bare machine shows a working organization.
 * The check and the seed run in one transaction under the start-up lock (db/startup-lock.server.ts): of several
 * servers starting together on one empty PostgreSQL database, one seeds and the others wait, then find it seeded.
 */
import { sql } from "drizzle-orm";
import type { Db } from "./client.server";
import { seedDatabase } from "./seed.server";
import { withStartupLock } from "./startup-lock.server";

export async function ensureSeeded(db: Db, opts: { log?: (msg: string) => void } = {}): Promise<boolean> {
  return withStartupLock(db, async (tx) => {
    const rows = await tx.execute<{ n: number }>(sql`select count(*)::int as n from "Organization"`);
    const count = Number(
      (rows as unknown as { rows?: { n: number }[] }).rows?.[0]?.n ?? (rows as unknown as { n: number }[])[0]?.n ?? 0,
    );
    if (count > 0) return false;
    const demo = process.env.SEED_DEMO !== "false";
    opts.log?.(`Empty database: seeding ${demo ? "demo data" : "the base organization"}…`);
    const started = Date.now();
    // seedDatabase's own transaction becomes a savepoint inside this one.
    await seedDatabase(tx, { demo, log: opts.log });
    opts.log?.(`Seeded in ${Date.now() - started} ms`);
    return true;
  });
}
