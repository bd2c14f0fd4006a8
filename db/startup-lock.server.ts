/**
 * The start-up work that must happen once per database, not once per process: applying the migrations and seeding an
 * empty database. Several servers on one PostgreSQL database (replicas, a rolling deploy) may start at the same
 * moment; without coordination both create the same types and tables and one of them crashes
 * (tests/reliability/concurrent-start.test.ts). Each piece of that work therefore runs in ONE transaction that first
 * takes a transaction-scoped advisory lock: the second process waits until the first commits, then finds the
 * migrations applied and the organizations there, and does nothing.
 *
 * Why `pg_advisory_xact_lock` and not a session lock (`pg_advisory_lock`): behind a transaction-mode pooler
 * (PgBouncer, Supabase's port 6543; see README "Running against PostgreSQL") consecutive statements outside a
 * transaction may run on different server connections, so a session lock could be taken on one and "released" on
 * another, or stay held by a pooled connection. A transaction-scoped lock lives exactly as long as the one
 * transaction, which the pooler keeps on one server connection, and is released by COMMIT or ROLLBACK, also when the
 * process dies. The embedded database (PGlite) has one process anyway (db/lock.server.ts); the same code runs there.
 */
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type { Db, DbOrTx } from "./client.server";
import { withTransaction } from "./transaction.server";

/** Fixed key of the start-up advisory lock (any constant bigint; the same in every PinPoint process). */
export const STARTUP_LOCK_KEY = 7_265_011_939;

/** Runs `fn` in one transaction that holds the start-up lock: at most one process at a time, per database. */
export async function withStartupLock<T>(db: Db, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return withTransaction(db, async (tx) => {
    // A literal, not a parameter: the drivers would send a JS number as int4 or float8, not bigint.
    await tx.execute(sql.raw(`select pg_advisory_xact_lock(${STARTUP_LOCK_KEY}::bigint)`));
    return fn(tx);
  });
}

function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];
}

/**
 * Applies the pending migrations of `migrationsFolder` inside the caller's transaction, with the same bookkeeping as
 * drizzle-orm's own migrator (table `drizzle.__drizzle_migrations`, one row per migration with its hash and
 * timestamp; a migration is pending when it is newer than the newest row), so databases migrated by either stay
 * compatible. drizzle's migrator cannot be used here: it opens its own transaction, and creates its table outside
 * any, which is itself a race between two processes. Returns how many migrations it applied.
 */
export async function applyMigrations(tx: DbOrTx, migrationsFolder: string): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder });
  await tx.execute(sql`create schema if not exists "drizzle"`);
  await tx.execute(
    sql`create table if not exists "drizzle"."__drizzle_migrations" (id serial primary key, hash text not null, created_at bigint)`,
  );
  const [last] = rowsOf<{ created_at: string | number }>(
    await tx.execute(sql`select created_at from "drizzle"."__drizzle_migrations" order by created_at desc limit 1`),
  );
  let applied = 0;
  for (const migration of migrations) {
    if (last && Number(last.created_at) >= migration.folderMillis) continue;
    for (const statement of migration.sql) await tx.execute(sql.raw(statement));
    await tx.execute(
      sql`insert into "drizzle"."__drizzle_migrations" (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`,
    );
    applied += 1;
  }
  return applied;
}
