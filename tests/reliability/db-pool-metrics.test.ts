/**
 * The PostgreSQL connection counts behind `pinpoint_db_pool_connections` (db/client.server.ts countingClient,
 * server/metrics.ts) on a throwaway PostgreSQL: with a pool of 2, four slow statements (one of them a transaction)
 * are 2 in use and 2 waiting while they run, and nothing once they are done.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DbHandle } from "../../db/client.server";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../scripts/postgres-throwaway";
import { sleep } from "./support";

let pg: ThrowawayPostgres;
let handle: DbHandle;

beforeAll(async () => {
  pg = await startThrowawayPostgres({ database: "pinpoint_poolstats" });
  handle = await openDatabase({ url: pg.url, poolSize: 2 });
});

afterAll(async () => {
  await handle?.close();
  pg?.stop();
});

describe("database pool metrics on PostgreSQL", () => {
  it("counts statements and transactions in use and waiting for a connection", async () => {
    expect(handle.poolStats?.()).toEqual({ max: 2, inUse: 0, waiting: 0 });
    const slow = () => handle.db.execute(sql`select pg_sleep(1.5)`);
    const work = Promise.all([
      slow(),
      slow(),
      slow(),
      handle.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_sleep(1.5)`);
        await tx.execute(sql`select 1`);
      }),
    ]);
    // drizzle starts each statement a few microtasks later: wait until all four are counted.
    for (let i = 0; i < 100; i++) {
      const s = handle.poolStats!();
      if ((s.inUse ?? 0) + (s.waiting ?? 0) === 4) break;
      await sleep(5);
    }
    expect(handle.poolStats?.()).toEqual({ max: 2, inUse: 2, waiting: 2 });
    await work;
    expect(handle.poolStats?.()).toEqual({ max: 2, inUse: 0, waiting: 0 });
  }, 60_000);
});
