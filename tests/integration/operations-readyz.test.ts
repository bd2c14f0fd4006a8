/**
 * `/readyz` and `/healthz` over real HTTP (server/app.ts): readiness needs a database that answers and has every
 * migration of this build applied (db/migration-status.server.ts), and says why not in JSON with a 503; liveness
 * never touches the database. Draining during shutdown: tests/reliability/graceful-shutdown.test.ts.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../helpers/db";
import { startTestServer, type TestServer } from "../helpers/http";

let t: TestDb;
let server: TestServer;

beforeAll(async () => {
  t = await createTestDb();
  server = await startTestServer(t.db);
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

async function probe(base: string, path: string) {
  const res = await fetch(base + path);
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    cache: res.headers.get("cache-control"),
  };
}

describe("/readyz", () => {
  it("is ready when the database answers and every migration is applied", async () => {
    expect(await probe(server.url, "/readyz")).toEqual({ status: 200, body: { status: "ready" }, cache: "no-store" });
  });

  it("answers 503 with the reason while a migration of this build is not applied", async () => {
    const rows = (await t.db.execute(
      sql`delete from "drizzle"."__drizzle_migrations" where created_at = (select max(created_at) from "drizzle"."__drizzle_migrations") returning hash, created_at`,
    )) as unknown as { rows?: { hash: string; created_at: string }[] } & { hash: string; created_at: string }[];
    const removed = (rows.rows ?? rows)[0];
    try {
      expect(await probe(server.url, "/readyz")).toEqual({
        status: 503,
        body: { status: "unready", reason: "1 migration(s) not applied yet" },
        cache: "no-store",
      });
      // Liveness is not readiness: the process is fine.
      expect((await probe(server.url, "/healthz")).status).toBe(200);
    } finally {
      await t.db.execute(
        sql`insert into "drizzle"."__drizzle_migrations" (hash, created_at) values (${removed.hash}, ${removed.created_at})`,
      );
    }
    expect((await probe(server.url, "/readyz")).status).toBe(200);
  });

  it("answers 503 when the database does not answer, while /healthz stays 200 without touching it", async () => {
    const gone = await createTestDb();
    const other = await startTestServer(gone.db);
    try {
      expect((await probe(other.url, "/readyz")).status).toBe(200);
      await gone.close();
      expect(await probe(other.url, "/readyz")).toEqual({
        status: 503,
        body: { status: "unready", reason: "the database does not answer" },
        cache: "no-store",
      });
      expect(await probe(other.url, "/healthz")).toEqual({
        status: 200,
        body: { status: "healthy" },
        cache: "no-store",
      });
    } finally {
      await other.close();
    }
  });
});
