/**
 * The process-wide client: one instance across module reloads (what `remix dev` rebuilds do), pooler detection,
 * and the single-process lock on an embedded data directory.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import type * as ClientModuleType from "../../db/client.server";
import { acquireDataDirLock, DataDirLockedError } from "../../db/lock.server";

type ClientModule = typeof ClientModuleType;

describe("database client singleton", () => {
  const saved = { url: process.env.DATABASE_URL, dir: process.env.PGLITE_DIR };
  afterAll(async () => {
    const client = (await import("../../db/client.server")) as ClientModule;
    await client.closeDatabase();
    process.env.DATABASE_URL = saved.url;
    process.env.PGLITE_DIR = saved.dir;
  });

  it("returns the same instance after the module is re-evaluated", async () => {
    if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = "memory://";
    const first = (await import("../../db/client.server")) as ClientModule;
    const a = await first.getDatabase();
    vi.resetModules();
    const second = (await import("../../db/client.server")) as ClientModule;
    expect(second).not.toBe(first); // really a fresh module evaluation
    const b = await second.getDatabase();
    expect(b).toBe(a);
    expect(second.databaseOpenCount()).toBe(1);
    await b.ping();
  });

  it("concurrent first calls share one opening", async () => {
    vi.resetModules();
    const client = (await import("../../db/client.server")) as ClientModule;
    await client.closeDatabase();
    const before = client.databaseOpenCount();
    const [x, y, z] = await Promise.all([client.getDatabase(), client.getDatabase(), client.getDatabase()]);
    expect(x).toBe(y);
    expect(y).toBe(z);
    expect(client.databaseOpenCount()).toBe(before + 1);
  });
});

describe("transaction-pooler detection (prepare: false)", () => {
  it("recognises Supabase's transaction pooler and PgBouncer URLs", async () => {
    const { isTransactionPooler } = (await import("../../db/client.server")) as ClientModule;
    expect(isTransactionPooler("postgres://u:p@aws-0-eu-central-1.pooler.supabase.com:6543/postgres")).toBe(true);
    expect(isTransactionPooler("postgres://u:p@db.example.com:6543/app")).toBe(true);
    expect(isTransactionPooler("postgres://u:p@127.0.0.1:6432/app?pgbouncer=true")).toBe(true);
    expect(isTransactionPooler("postgres://u:p@aws-0-eu-central-1.pooler.supabase.com:5432/postgres")).toBe(false);
    expect(isTransactionPooler("postgres://u:p@localhost:5432/app")).toBe(false);
    expect(isTransactionPooler("not a url")).toBe(false);
  });
});

describe("embedded data directory lock", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-lock-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("refuses a second holder while the first is alive, and takes over a stale lock", () => {
    const data = path.join(dir, "pglite");
    const lock = acquireDataDirLock(data);
    // Pretend another live process holds it: pid 1 always exists.
    fs.writeFileSync(lock.file, "1");
    expect(() => acquireDataDirLock(data)).toThrow(DataDirLockedError);
    // A lock whose process is gone is stale and taken over.
    fs.writeFileSync(lock.file, "999999999");
    const again = acquireDataDirLock(data);
    expect(fs.readFileSync(again.file, "utf8")).toBe(String(process.pid));
    again.release();
    expect(fs.existsSync(again.file)).toBe(false);
  });
});

describe("prepared statements on PostgreSQL", () => {
  // drizzle's postgres-js driver sends unprepared statements unless told otherwise (db/client.server.ts statementClient):
  // two round trips and a fresh parse + plan per statement. Direct connections must prepare; poolers must not.
  const url = process.env.DATABASE_URL;
  async function preparedOrganizationStatements(databaseUrl: string): Promise<number> {
    const { openDatabase } = (await import("../../db/client.server")) as ClientModule;
    const { eq, sql } = await import("drizzle-orm");
    const { organizations } = await import("../../db/schema");
    const handle = await openDatabase({ url: databaseUrl, poolSize: 1 });
    try {
      for (let i = 0; i < 2; i++) {
        await handle.db
          .select({ id: organizations.id })
          .from(organizations)
          .where(eq(organizations.subdomain, `nobody-${i}`));
      }
      await handle.db.transaction(async (tx) => {
        await tx
          .select({ id: organizations.id, name: organizations.name })
          .from(organizations)
          .where(eq(organizations.subdomain, "in-a-transaction"));
      });
      // A query built once and executed by name (db/reusable-query.server.ts): drizzle asks postgres-js to prepare it,
      // which a transaction pooler must not get either.
      const { loadRequestAccess } = await import("../../db/queries/access.server");
      for (const subdomain of ["reused-0", "reused-1"])
        await loadRequestAccess(handle.db, {
          subdomain,
          sessionToken: null,
          visitorRoleName: "Unauthenticated",
          withUnread: true,
        });
      const rows = (await handle.db.execute(sql`select statement from pg_prepared_statements`)) as unknown as {
        statement: string;
      }[];
      return rows.filter((r) => r.statement.includes(`from "Organization"`)).length;
    } finally {
      await handle.close();
    }
  }

  it.skipIf(!url)("prepares statements on a direct connection, also inside transactions, once per text", async () => {
    // The two selects outside share one prepared statement; the one in the transaction is the second; the reusable
    // query's two calls the third.
    expect(await preparedOrganizationStatements(url!)).toBe(3);
  });

  it.skipIf(!url)("does not prepare through a transaction pooler", async () => {
    const pooled = `${url}${url!.includes("?") ? "&" : "?"}pgbouncer=true`;
    expect(await preparedOrganizationStatements(pooled)).toBe(0);
  });
});
