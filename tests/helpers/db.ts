/**
 * A fresh, migrated database for one test file.
 *
 * - Default: an in-memory PGlite (embedded PostgreSQL 18). Migrated ones start from the dump of a database migrated
 *   once per run (tests/helpers/global-setup.ts), the same as migrating each, minus initdb and the migrations' time.
 * - With DATABASE_URL: a new database `t_<random>` on that server (created through an admin connection to the
 *   URL's database), dropped again by close().
 *
 * Open one per file (beforeAll), call reset() between tests (truncates every table), close() in afterAll.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { is, sql } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { inject } from "vitest";
import { migrateDatabase, openDatabase, type Db, type DbHandle } from "../../db/client.server";
import * as schema from "../../db/schema";

export interface TestDb {
  db: Db;
  kind: DbHandle["kind"];
  /** The URL of the test database (postgres only); e.g. for a server process under test. */
  url?: string;
  close(): Promise<void>;
  /** Empties every table (TRUNCATE … RESTART IDENTITY CASCADE). */
  reset(): Promise<void>;
}

/** Every table of the schema, quoted, for TRUNCATE. */
export function allTableNames(): string[] {
  const names = (Object.values(schema) as unknown[])
    .filter((v): v is PgTable => is(v, PgTable))
    .map((t) => getTableConfig(t).name);
  return [...new Set(names)].sort();
}

/** `migrate: false` leaves the database empty (a test of one migration applies the earlier ones itself). */
export async function createTestDb(opts: { migrate?: boolean } = {}): Promise<TestDb> {
  const adminUrl = process.env.DATABASE_URL;
  let handle: DbHandle;
  let url: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;

  if (adminUrl) {
    const { default: postgres } = await import("postgres");
    const name = `t_${randomBytes(6).toString("hex")}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`CREATE DATABASE "${name}"`);
    } catch (error) {
      await admin.end({ timeout: 5 });
      throw error;
    }
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    url = u.toString();
    dropDatabase = async () => {
      try {
        await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end({ timeout: 5 });
      }
    };
    try {
      handle = await openDatabase({ url, poolSize: 4 });
    } catch (error) {
      await dropDatabase();
      throw error;
    }
  } else {
    const dumpFile = opts.migrate !== false ? inject("pgliteMigratedDump") : undefined;
    const pgliteDump = dumpFile ? await fs.openAsBlob(dumpFile) : undefined;
    handle = await openDatabase({ pgliteDir: "memory://", pgliteDump });
  }

  try {
    if (opts.migrate !== false) await migrateDatabase(handle);
  } catch (error) {
    await handle.close().catch(() => {});
    await dropDatabase?.();
    throw error;
  }

  const truncate = sql.raw(
    `TRUNCATE ${allTableNames()
      .map((n) => `"${n}"`)
      .join(", ")} RESTART IDENTITY CASCADE`,
  );
  let closed = false;
  return {
    db: handle.db,
    kind: handle.kind,
    url,
    async reset() {
      await handle.db.execute(truncate);
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await handle.close();
      } finally {
        await dropDatabase?.();
      }
    },
  };
}
