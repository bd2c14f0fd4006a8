/**
 * Two real server processes (`server/index.ts`, NODE_ENV=production) started at the same moment on one EMPTY
 * throwaway PostgreSQL database, as two replicas of a deployment do: once connected directly, once through PgBouncer
 * in transaction mode (`?pgbouncer=true`, the README's pooled setup). Both must become healthy with nothing but
 * ordinary start-up lines in their logs, and the database must be migrated and seeded exactly once: every migration
 * recorded once, one `apc` organization with the 41 machines of the seed, the demo issues once, and exactly one of
 * the two processes saying it seeded the empty database. The transaction-scoped advisory lock of
 * db/startup-lock.server.ts is what makes the second process wait and then find the database ready; without it one
 * of the two crashed on "duplicate key value violates unique constraint pg_type_typname_nsp_index".
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder, openDatabase, type DbHandle } from "../../db/client.server";
import { DEMO_ISSUES } from "../../db/seed.server";
import { freePort, startThrowawayPostgres, type ThrowawayPostgres } from "../../scripts/postgres-throwaway";
import { spawnServer, waitForHealthy, type ServerProcess } from "../helpers/server-process";
import { startPgBouncer, type PgBouncer } from "./support";

let pg: ThrowawayPostgres;
let bouncer: PgBouncer | undefined;
let dir: string;
const handles: DbHandle[] = [];
const servers: ServerProcess[] = [];

beforeAll(async () => {
  pg = await startThrowawayPostgres({ database: "pinpoint_twostart" });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-twostart-"));
});

afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
  await Promise.all(servers.map((s) => Promise.race([s.exited, new Promise((r) => setTimeout(r, 5000))])));
  for (const h of handles) await h.close().catch(() => {});
  await bouncer?.stop();
  pg?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts two servers on `url` at the same moment, waits until both are healthy and returns their logs. */
async function startTwo(label: string, url: string): Promise<string[]> {
  const ports = [await freePort(), await freePort()];
  const started = ports.map((port, i) => {
    const own = path.join(dir, `${label}-${i}`);
    fs.mkdirSync(own);
    const server = spawnServer({ port, dir: own, env: { DATABASE_URL: url, SEED_DEMO: "true" } });
    servers.push(server);
    return server;
  });
  await Promise.all(started.map((s, i) => waitForHealthy(s, ports[i])));
  return started.map((s) => s.output());
}

/** Checks the logs and, through a direct connection, that the database was migrated and seeded once. */
async function expectMigratedAndSeededOnce(logs: string[], directUrl: string) {
  const all = logs.join("\n----\n");
  for (const log of logs) {
    expect(log, all).toMatch(/PinPoint listening on/);
    expect(log, all).not.toMatch(/error|exception|unhandled|duplicate|already exists/i);
  }
  // The one that found the database empty says so; the other waited and found it seeded.
  expect(logs.filter((l) => l.includes("Empty database: seeding")).length, all).toBe(1);

  const check = await openDatabase({ url: directUrl, poolSize: 1 });
  handles.push(check);
  const count = async (query: string) =>
    Number(((await check.db.execute(sql.raw(query))) as unknown as { n: number }[])[0].n);
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
    entries: unknown[];
  };
  expect(await count(`select count(*)::int as n from drizzle.__drizzle_migrations`)).toBe(journal.entries.length);
  expect(await count(`select count(distinct hash)::int as n from drizzle.__drizzle_migrations`)).toBe(
    journal.entries.length,
  );
  expect(await count(`select count(*)::int as n from "Organization" where subdomain = 'apc'`)).toBe(1);
  expect(await count(`select count(*)::int as n from "Organization"`)).toBe(2);
  const inApc = (table: string) =>
    count(
      `select count(*)::int as n from "${table}" t join "Organization" o on o.id = t."organizationId" where o.subdomain = 'apc'`,
    );
  expect(await inApc("Machine")).toBe(41);
  expect(await inApc("Issue")).toBe(DEMO_ISSUES.length);
  expect(await count(`select count(*)::int as n from "User" where email = 'admin@dev.local'`)).toBe(1);
}

describe("two servers starting at once on one empty PostgreSQL database", () => {
  it("directly connected: both become healthy; migrations and seed ran once", async () => {
    const logs = await startTwo("direct", pg.url);
    await expectMigratedAndSeededOnce(logs, pg.url);
  });

  it("through PgBouncer in transaction mode: the same", async () => {
    const admin = await openDatabase({ url: pg.url, poolSize: 1 });
    handles.push(admin);
    await admin.db.execute(sql.raw(`create database pinpoint_twostart_pgb`));
    // Two server connections: the two start-up transactions, each on its own (one runs, the other waits for the lock).
    bouncer = await startPgBouncer(pg.port, { twostart: { dbname: "pinpoint_twostart_pgb", poolSize: 2 } });
    const logs = await startTwo("pgbouncer", `${bouncer.url("twostart")}?pgbouncer=true`);
    const direct = new URL(pg.url);
    direct.pathname = "/pinpoint_twostart_pgb";
    await expectMigratedAndSeededOnce(logs, direct.toString());
  });
});
