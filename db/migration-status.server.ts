/**
 * Are this build's migrations (migrations/meta/_journal.json) all applied to the database? For `/readyz`
 * (server/app.ts): an instance of a newer build must not take traffic before its migrations ran. Same bookkeeping as
 * db/startup-lock.server.ts applyMigrations: a migration is applied when the newest row of
 * `drizzle.__drizzle_migrations` is at least as new as its journal entry.
 */
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Db } from "./client.server";

export interface MigrationStatus {
  /** Migrations of this build that the database has not applied yet. */
  pending: number;
}

const journals = new Map<string, number[]>();

/** The `when` of every migration in the folder's journal (read once per folder). */
function journalTimes(migrationsFolder: string): number[] {
  let times = journals.get(migrationsFolder);
  if (!times) {
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
      entries: { when: number }[];
    };
    times = journal.entries.map((e) => e.when);
    journals.set(migrationsFolder, times);
  }
  return times;
}

/** Throws when the database cannot be queried. */
export async function migrationStatus(db: Db, migrationsFolder: string): Promise<MigrationStatus> {
  const times = journalTimes(migrationsFolder);
  const rowsOf = (result: unknown) =>
    ((result as { rows?: unknown[] }).rows ?? (result as unknown[])) as Record<string, unknown>[];
  const [table] = rowsOf(
    await db.execute(sql`select to_regclass('"drizzle"."__drizzle_migrations"') is not null as ok`),
  );
  let last: number | null = null;
  if (table?.ok === true) {
    const [row] = rowsOf(await db.execute(sql`select max(created_at) as last from "drizzle"."__drizzle_migrations"`));
    last = row?.last == null ? null : Number(row.last);
  }
  return { pending: times.filter((when) => last === null || when > last).length };
}
