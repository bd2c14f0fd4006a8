/**
 * For tests of one migration on a database that already holds data: apply the migrations up to the one before it,
 * write the data (often with today's seed helpers), then apply the rest. Shared by the *-migration.test.ts files.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { is, sql } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { migrationsFolder, type Db } from "../../db/client.server";
import * as schema from "../../db/schema";
import type { TestDb } from "./db";

/** Applies the migrations in `folder` (every one by default) to the test database. */
export async function runMigrations(t: TestDb, folder = migrationsFolder): Promise<void> {
  if (t.kind === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(t.db as never, { migrationsFolder: folder });
  } else {
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    await migrate(t.db as never, { migrationsFolder: folder });
  }
}

/** A copy of the migrations that stops at `last` (a tag such as "0009_issue_subscribers"), and its removal. */
export function migrationsUpTo(last: string): { folder: string; remove(): void } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-migrations-"));
  const out = path.join(tmp, "migrations");
  fs.mkdirSync(path.join(out, "meta"), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string }[];
  };
  const end = journal.entries.findIndex((e) => e.tag === last);
  if (end < 0) throw new Error(`migrationsUpTo: no migration ${last} in ${migrationsFolder}`);
  journal.entries = journal.entries.slice(0, end + 1);
  for (const e of journal.entries)
    fs.copyFileSync(path.join(migrationsFolder, `${e.tag}.sql`), path.join(out, `${e.tag}.sql`));
  fs.writeFileSync(path.join(out, "meta", "_journal.json"), JSON.stringify(journal));
  return { folder: out, remove: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}

/** The rows of a raw SQL query, on PGlite and postgres-js alike. */
export async function rawRows<T>(db: Db, query: string): Promise<T[]> {
  const res = await db.execute(sql.raw(query));
  return ((res as unknown as { rows?: T[] }).rows ?? (res as unknown as T[])) as T[];
}

/**
 * Runs `write` on an older schema as if later migrations' columns existed: today's inserts name columns that later
 * migrations add (Machine.presence, Organization.timeZone…), so each column of today's schema missing from an
 * existing table is added, nullable and without constraints, for the writing only, and dropped again before those
 * migrations run.
 */
export async function withLaterColumns<T>(db: Db, write: () => Promise<T>): Promise<T> {
  const existing = await rawRows<{ table_name: string; column_name: string }>(
    db,
    `select table_name, column_name from information_schema.columns where table_schema = 'public'`,
  );
  const has = new Set(existing.map((c) => `${c.table_name}.${c.column_name}`));
  const tables = new Set(existing.map((c) => c.table_name));
  const added: [table: string, column: string][] = [];
  for (const value of Object.values(schema) as unknown[]) {
    if (!is(value, PgTable)) continue;
    const config = getTableConfig(value);
    if (!tables.has(config.name)) continue;
    for (const column of config.columns) {
      if (has.has(`${config.name}.${column.name}`)) continue;
      has.add(`${config.name}.${column.name}`);
      await db.execute(sql.raw(`ALTER TABLE "${config.name}" ADD COLUMN "${column.name}" ${column.getSQLType()}`));
      added.push([config.name, column.name]);
    }
  }
  try {
    return await write();
  } finally {
    for (const [table, column] of added) await db.execute(sql.raw(`ALTER TABLE "${table}" DROP COLUMN "${column}"`));
  }
}
