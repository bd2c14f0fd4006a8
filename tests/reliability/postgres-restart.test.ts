/**
 * PostgreSQL goes away under load and comes back.
 *
 * A throwaway PostgreSQL 15 cluster, the app (production build, createHttpApp) on a real postgres-js handle, and
 * bounded concurrent traffic: readers load the public machine page, writers send anonymous reports through the
 * public form on /m/<machineId> (each with a unique title). Mid-stream the cluster is stopped (`pg_ctl stop -m fast`),
 * kept down for a few seconds and started again. We assert:
 * - never a 500 and never a dropped connection: before/after the outage 200/302, during it 503 with the clear
 *   "temporarily unavailable" page and Retry-After;
 * - no request hangs longer than the connect timeout (DATABASE_CONNECT_TIMEOUT, set small here) plus slack;
 * - the app recovers on its own (outage probe) within RECOVERY_MS after PostgreSQL is back, /healthz included;
 * - EVERY acknowledged write (302 to the follow page) is in the database afterwards, with its history row.
 * A second, deterministic case cuts the connection of an open transaction (what `pg_ctl stop` does to every
 * in-flight report): the transaction must reject, the process must not see an uncaught exception, and the next
 * queries on the pool must work.
 */
import { eq, inArray, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, withTransaction, type DbHandle } from "../../db/client.server";
import { issueHistory, issues, machines } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../scripts/postgres-throwaway";
import { orgIdOf } from "../helpers/fixtures";
import {
  fetchTimed,
  histogram,
  pgStart,
  pgStop,
  runPool,
  serveApp,
  sleep,
  type ServedApp,
  type Timed,
} from "./support";

const CONNECT_TIMEOUT_S = 2;
const DOWN_MS = 5000;
const RECOVERY_MS = 5000;
/** Extra latency we tolerate on a loaded 2-core box on top of the connect timeout. */
const SLACK_MS = 6000;
const READERS = 3;
const WRITERS = 3;

process.env.SESSION_SECRET ??= "reliability-session-secret-that-is-long-enough-0123456789";
process.env.RATE_LIMIT_MULTIPLIER = "100000";

let pg: ThrowawayPostgres;
let handle: DbHandle;
let app: ServedApp;
let machineId: string;
let savedConnectTimeout: string | undefined;

const OUTAGE_TEXT = /temporarily unavailable/i;

beforeAll(async () => {
  pg = await startThrowawayPostgres({ database: "pinpoint_restart" });
  savedConnectTimeout = process.env.DATABASE_CONNECT_TIMEOUT;
  process.env.DATABASE_CONNECT_TIMEOUT = String(CONNECT_TIMEOUT_S);
  handle = await openDatabase({ url: pg.url, poolSize: 4 });
  await migrateDatabase(handle);
  await seedDatabase(handle.db, { demo: true });
  const apcId = await orgIdOf(handle.db, "apc");
  const [m] = await handle.db
    .select({ id: machines.id })
    .from(machines)
    .where(eq(machines.organizationId, apcId))
    .limit(1);
  machineId = m.id;
  app = await serveApp(handle);
});

afterAll(async () => {
  await app?.close();
  await handle?.close().catch(() => {});
  pg?.stop();
  if (savedConnectTimeout === undefined) delete process.env.DATABASE_CONNECT_TIMEOUT;
  else process.env.DATABASE_CONNECT_TIMEOUT = savedConnectTimeout;
});

function report(title: string): Promise<Timed> {
  const body = new URLSearchParams({
    intent: "report",
    title,
    description: "reliability test",
    website: "",
    confirmNew: "1",
  });
  return fetchTimed(app.url, `/m/${machineId}`, {
    method: "POST",
    body,
    headers: { Origin: app.url, "X-Organization": "apc" },
    label: title,
  });
}

describe("PostgreSQL stops and starts under traffic", () => {
  it("answers 503 with a clear page during the outage, recovers on its own and loses no acknowledged write", async () => {
    const results: Timed[] = [];
    const pool = runPool(READERS + WRITERS, async (w, i) => {
      if (w < READERS) {
        results.push(await fetchTimed(app.url, `/m/${machineId}`, { headers: { "X-Organization": "apc" } }));
      } else {
        results.push(await report(`restart-w${w}-n${i}`));
      }
      // Keep the traffic bounded (and the 2-core box usable) while the outage lasts: 503s come back instantly.
      await sleep(results.at(-1)!.status === 503 ? 100 : 20);
    });

    await sleep(2000);
    const pauseAt = Date.now();
    await pgStop(pg);
    const downAt = Date.now();
    await sleep(DOWN_MS);
    const resumeAt = Date.now();
    await pgStart(pg);
    const upAt = Date.now();

    // Recovery: the outage probe must bring the app back without any help.
    let recoveredAt = 0;
    while (Date.now() - upAt < RECOVERY_MS + 5000) {
      const ok = results.filter((r) => r.startedAt >= upAt && (r.status === 200 || r.status === 302));
      if (ok.length >= READERS + WRITERS) {
        recoveredAt = Math.min(...ok.map((r) => r.startedAt + r.ms));
        break;
      }
      await sleep(100);
    }
    await sleep(1500);
    await pool.stop();
    const health = await fetchTimed(app.url, "/healthz");

    const summary =
      `before: ${histogram(results.filter((r) => r.startedAt + r.ms < pauseAt))} | ` +
      `outage: ${histogram(results.filter((r) => r.startedAt + r.ms >= pauseAt && r.startedAt <= upAt))} | ` +
      `after: ${histogram(results.filter((r) => r.startedAt > upAt))} | ` +
      `stop ${downAt - pauseAt} ms, start ${upAt - resumeAt} ms, recovered ${recoveredAt ? recoveredAt - upAt : "never"} ms after start`;
    console.log(`[postgres-restart] ${results.length} requests; ${summary}`);

    // Never a 500, never a dropped or hung connection: only success or the outage answer.
    const unexpected = results.filter((r) => ![200, 302, 503].includes(r.status));
    expect(
      unexpected.map((r) => `${r.label} → ${r.status} ${r.error ?? ""} ${r.text.replace(/\s+/g, " ").slice(0, 200)}`),
      summary,
    ).toEqual([]);

    // Every 503 is the clear outage answer, with Retry-After.
    const unavailable = results.filter((r) => r.status === 503);
    expect(unavailable.length, `the outage was not observed: ${summary}`).toBeGreaterThan(0);
    const unclear = unavailable.filter((r) => !OUTAGE_TEXT.test(r.text) || !r.retryAfter);
    expect
      .soft(
        unclear.map(
          (r) =>
            `${r.label}: retry-after=${r.retryAfter} ${r.text
              .replace(/<[^>]+>/g, " ")
              .replace(/\s+/g, " ")
              .slice(0, 240)}`,
        ),
        "503 without the clear message or Retry-After",
      )
      .toEqual([]);

    // No request waited much longer than the connect timeout.
    const slowest = results.reduce((a, b) => (b.ms > a.ms ? b : a));
    expect
      .soft(slowest.ms, `slowest: ${slowest.label} ${slowest.status} in ${slowest.ms} ms`)
      .toBeLessThan(CONNECT_TIMEOUT_S * 1000 + SLACK_MS);

    // 503s only while PostgreSQL was really down (or just after), never long after it came back.
    const late503 = unavailable.filter((r) => r.startedAt > upAt + RECOVERY_MS);
    expect(
      late503.map((r) => r.label),
      summary,
    ).toEqual([]);
    expect(recoveredAt, summary).toBeGreaterThan(0);
    expect(recoveredAt - upAt).toBeLessThan(RECOVERY_MS);
    expect(health.status).toBe(200);

    // Every acknowledged write is stored; unacknowledged ones may or may not be (the client was told to retry).
    const acknowledged = results.filter(
      (r) => r.method === "POST" && r.status === 302 && r.location?.startsWith("/follow/"),
    );
    expect(acknowledged.length).toBeGreaterThan(0);
    const stored = await handle.db.select({ title: issues.title }).from(issues).where(like(issues.title, "restart-%"));
    const storedTitles = new Set(stored.map((s) => s.title));
    const lost = acknowledged.filter((r) => !storedTitles.has(r.label)).map((r) => r.label);
    expect(lost, "acknowledged writes missing from the database").toEqual([]);
    const refusedButStored = results.filter(
      (r) => r.method === "POST" && r.status === 503 && storedTitles.has(r.label),
    );
    console.log(
      `[postgres-restart] writes: ${acknowledged.length} acknowledged and stored, ${refusedButStored.length} answered 503 yet committed ` +
        `(the client retries; at-least-once), ${stored.length} stored in all`,
    );
    // No duplicate rows for one submission, and every stored issue has its history (issue + history are atomic).
    const rows = await handle.db.select({ id: issues.id }).from(issues).where(like(issues.title, "restart-%"));
    expect(rows.length).toBe(storedTitles.size);
    const withHistory = await handle.db
      .selectDistinct({ issueId: issueHistory.issueId })
      .from(issueHistory)
      .where(
        inArray(
          issueHistory.issueId,
          rows.map((r) => r.id),
        ),
      );
    expect(withHistory.length, "issues stored without their history row").toBe(rows.length);
  });

  it("a transaction whose connection is cut rejects cleanly, without an uncaught exception, and the pool keeps working", async () => {
    const uncaught: string[] = [];
    const onUncaught = (error: unknown) => uncaught.push(String(error));
    process.on("uncaughtException", onUncaught);
    const killer = await openDatabase({ url: pg.url, poolSize: 1 });
    try {
      for (let round = 0; round < 3; round++) {
        let pid: number | undefined;
        // The outcome handler is attached at once: the rejection can arrive while we await the kill below, and a
        // rejection without a handler at that moment is reported as unhandled (vitest fails the run for it).
        const settled = withTransaction(handle.db, async (t) => {
          const [row] = (await t.execute(sql`select pg_backend_pid() as pid`)) as unknown as Array<{ pid: number }>;
          pid = row.pid;
          await t.execute(sql`select pg_sleep(3)`);
        }).then(
          () => null,
          (error: unknown) => error,
        );
        while (pid === undefined) await sleep(20);
        // What `pg_ctl stop -m fast`, a failover or an admin does to an in-flight transaction.
        await killer.db.execute(sql`select pg_terminate_backend(${pid})`);
        const failure = await settled;
        expect(failure, "the transaction must reject").not.toBeNull();
        await sleep(100);
        // The pool must serve the next queries, promptly and without the dead backend's error.
        for (let k = 0; k < 3; k++) {
          const started = Date.now();
          const outcome = await Promise.race([
            handle.db.execute(sql`select 1 as ok`).then(
              () => "ok",
              (error: unknown) => `error: ${String((error as { cause?: unknown }).cause ?? error).slice(0, 160)}`,
            ),
            sleep(CONNECT_TIMEOUT_S * 1000 + 3000).then(() => "hung"),
          ]);
          expect(outcome, `round ${round}, query ${k} after the cut (${Date.now() - started} ms)`).toBe("ok");
        }
      }
      await sleep(200);
      expect(uncaught, "uncaught exceptions (a real server process would have exited)").toEqual([]);
    } finally {
      process.off("uncaughtException", onUncaught);
      await killer.close();
    }
  });
});
