/**
 * The pooled configuration: PgBouncer in TRANSACTION mode (pool_size 2) in front of a throwaway PostgreSQL 15, and the
 * app connected with the URL the README documents for it (`?pgbouncer=true`, so prepared statements are off).
 * - the documented URL connects at all (PgBouncer rejects unknown startup parameters);
 * - key pages, sign-up, sign-in, an anonymous report, a status change and issue creation (issue + history + a
 *   nested assignment in one transaction, with a savepoint) work through PgBouncer;
 * - a burst of concurrent reads and writes with many more clients than server connections all succeed, every write
 *   is stored with its history, and PgBouncer never opened more than pool_size server connections;
 * - why prepared statements must be off: the same transaction with a statement prepared on another server connection
 *   fails deterministically with them on ("prepared statement … does not exist") and works with them off.
 * Schema and seed go through a direct connection first (the README's advice for poolers that reject DDL).
 */
import { and, eq, inArray, like, ne } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTransactionPooler, migrateDatabase, openDatabase, type DbHandle } from "../../db/client.server";
import { issueHistory, issueStatuses, issues, machines, users } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../scripts/postgres-throwaway";
import { orgIdOf, userIdOf } from "../helpers/fixtures";
import { TestClient } from "../helpers/http";
import { serveApp, startPgBouncer, type PgBouncer, type ServedApp } from "./support";

const POOL_SIZE = 2;
const DB_NAME = "pinpoint_pgb";
const PASSWORD = "a long passphrase 42";

process.env.SESSION_SECRET ??= "reliability-session-secret-that-is-long-enough-0123456789";
process.env.RATE_LIMIT_MULTIPLIER = "100000";

let pg: ThrowawayPostgres;
let bouncer: PgBouncer;
let direct: DbHandle;
let pooled: DbHandle;
let app: ServedApp;
let pooledUrl: string;
let apcId: string;
let machineId: string;

beforeAll(async () => {
  pg = await startThrowawayPostgres({ database: DB_NAME });
  direct = await openDatabase({ url: pg.url, poolSize: 2 });
  await migrateDatabase(direct);
  await seedDatabase(direct.db, { demo: true });
  apcId = await orgIdOf(direct.db, "apc");
  const [m] = await direct.db
    .select({ id: machines.id })
    .from(machines)
    .where(eq(machines.organizationId, apcId))
    .limit(1);
  machineId = m.id;
  bouncer = await startPgBouncer(pg.port, {
    pinpoint: { dbname: DB_NAME, poolSize: POOL_SIZE },
    prepared: { dbname: DB_NAME, poolSize: 2 },
  });
  pooledUrl = `${bouncer.url("pinpoint")}?pgbouncer=true`;
  // More client connections than PgBouncer has server connections: PgBouncer must multiplex them.
  pooled = await openDatabase({ url: pooledUrl, poolSize: 8 });
  app = await serveApp(pooled);
});

afterAll(async () => {
  await app?.close();
  await pooled?.close().catch(() => {});
  await direct?.close().catch(() => {});
  await bouncer?.stop();
  pg?.stop();
});

function client(): TestClient {
  return new TestClient(app.url, "apc");
}

async function adminClient(): Promise<TestClient> {
  const c = client();
  await c.login("admin@dev.local");
  return c;
}

/** Server connections PgBouncer holds for the app's pool (admin console, simple protocol). */
async function serverConnections(): Promise<number> {
  const admin = postgres(bouncer.url("pgbouncer"), { max: 1, prepare: false, fetch_types: false, onnotice: () => {} });
  try {
    const rows = await admin.unsafe("SHOW SERVERS");
    return rows.filter((r) => r.database === "pinpoint").length;
  } finally {
    await admin.end({ timeout: 2 });
  }
}

async function historyCount(issueId: string): Promise<number> {
  const rows = await direct.db
    .select({ id: issueHistory.id })
    .from(issueHistory)
    .where(eq(issueHistory.issueId, issueId));
  return rows.length;
}

describe("PgBouncer in transaction mode", () => {
  it("accepts the documented pooler URL (?pgbouncer=true turns prepared statements off)", async () => {
    expect(isTransactionPooler(pooledUrl)).toBe(true);
    const error = await pooled.ping().then(
      () => null,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(
      error && `${error.code}: ${error.message}`,
      "the app cannot connect with the URL the README documents; PgBouncer log:\n" +
        bouncer
          .log()
          .split("\n")
          .filter((l) => /WARN|ERR/.test(l))
          .slice(-3)
          .join("\n"),
    ).toBeNull();
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it("serves the key pages and takes sign-up, sign-in, a report, a status change and a new issue", async () => {
    const anon = client();
    for (const path of ["/", "/machines", `/m/${machineId}`, "/login", "/signup", "/report"]) {
      const res = await anon.get(path);
      expect(res.status, `GET ${path}: ${res.text.slice(0, 200)}`).toBe(200);
    }

    // Sign-up (user + password + session rows) and sign-in through the pooler.
    const email = `pgbouncer-${Date.now()}@example.com`;
    const signup = await client().post("/signup", {
      name: "Pooled Player",
      email,
      password: PASSWORD,
      confirm: PASSWORD,
      website: "",
    });
    expect(signup.status, signup.text.slice(0, 300)).toBe(302);
    const [created] = await direct.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    expect(created).toBeDefined();
    const login = await client().post("/login", { email, password: PASSWORD, redirectTo: "/" });
    expect(login.status, login.text.slice(0, 300)).toBe(302);

    // Anonymous report on the public machine page: issue + history in one transaction.
    const title = `pgbouncer report ${Date.now()}`;
    const report = await anon.post(`/m/${machineId}`, {
      intent: "report",
      confirmNew: "1",
      title,
      description: "through PgBouncer",
      website: "",
    });
    expect(report.status, report.text.slice(0, 300)).toBe(302);
    expect(report.location).toMatch(/^\/follow\//);
    const [reported] = await direct.db.select({ id: issues.id }).from(issues).where(eq(issues.title, title));
    expect(reported).toBeDefined();
    expect(await historyCount(reported.id)).toBeGreaterThan(0);

    // A member's pages and a status change (issue update + history in one transaction).
    const admin = await adminClient();
    // /insights sets `jit = off` locally in its statements' own transactions (db/queries/insights.server.ts).
    for (const path of ["/issues", `/issues/${reported.id}`, "/notifications", "/admin", "/insights", "/insights.csv"]) {
      const res = await admin.get(path);
      expect(res.status, `GET ${path}: ${res.text.slice(0, 200)}`).toBe(200);
    }
    const [issueRow] = await direct.db
      .select({ statusId: issues.statusId })
      .from(issues)
      .where(eq(issues.id, reported.id));
    const [otherStatus] = await direct.db
      .select({ id: issueStatuses.id })
      .from(issueStatuses)
      .where(and(eq(issueStatuses.organizationId, apcId), ne(issueStatuses.id, issueRow.statusId)))
      .limit(1);
    const historyBefore = await historyCount(reported.id);
    const change = await admin.post(`/issues/${reported.id}`, { intent: "status", statusId: otherStatus.id });
    expect(change.status, change.text.slice(0, 300)).toBe(200);
    const [after] = await direct.db
      .select({ statusId: issues.statusId })
      .from(issues)
      .where(eq(issues.id, reported.id));
    expect(after.statusId).toBe(otherStatus.id);
    expect(await historyCount(reported.id)).toBeGreaterThan(historyBefore);

    // A new issue with "assign to me": reportIssue nested in the route's transaction (a savepoint) + the assignment.
    const newTitle = `pgbouncer new issue ${Date.now()}`;
    const createdIssue = await admin.post("/issues/new", {
      machineId,
      title: newTitle,
      description: "nested transaction",
      assignToMe: "on",
    });
    expect(createdIssue.status, createdIssue.text.slice(0, 300)).toBe(302);
    const [newIssue] = await direct.db
      .select({ id: issues.id, assignedToId: issues.assignedToId })
      .from(issues)
      .where(eq(issues.title, newTitle));
    expect(newIssue).toBeDefined();
    expect(createdIssue.location).toBe(`/issues/${newIssue.id}`);
    expect(newIssue.assignedToId).toBe(await userIdOf(direct.db, "admin@dev.local"));
    expect(await historyCount(newIssue.id)).toBeGreaterThanOrEqual(2);
  });

  it("multiplexes a concurrent burst over pool_size server connections without errors or lost writes", async () => {
    const admin = await adminClient();
    const openIssues = await direct.db
      .select({ id: issues.id, statusId: issues.statusId })
      .from(issues)
      .where(eq(issues.organizationId, apcId))
      .limit(4);
    const statuses = await direct.db
      .select({ id: issueStatuses.id })
      .from(issueStatuses)
      .where(eq(issueStatuses.organizationId, apcId));
    const stamp = Date.now();
    const titles = Array.from({ length: 10 }, (_, i) => `pgbouncer burst ${stamp} #${i}`);
    const jobs: Array<Promise<{ what: string; status: number; text: string }>> = [];
    const track = (what: string, p: Promise<{ status: number; text: string }>) =>
      jobs.push(p.then((r) => ({ what, status: r.status, text: r.text })));
    for (let i = 0; i < 10; i++) track(`GET /m (${i})`, client().get(`/m/${machineId}`));
    for (const title of titles)
      track(
        `report ${title}`,
        client().post(`/m/${machineId}`, { intent: "report", title, website: "", confirmNew: "1" }),
      );
    for (let i = 0; i < 4; i++) track(`GET /issues (${i})`, admin.get("/issues"));
    openIssues.forEach((issue, i) => {
      const next = statuses.find((s) => s.id !== issue.statusId) ?? statuses[i % statuses.length];
      track(`status ${issue.id}`, admin.post(`/issues/${issue.id}`, { intent: "status", statusId: next.id }));
    });
    const results = await Promise.all(jobs);
    const failed = results
      .filter((r) => r.status >= 400)
      .map((r) => `${r.what} → ${r.status} ${r.text.replace(/\s+/g, " ").slice(0, 160)}`);
    expect(failed).toEqual([]);

    const stored = await direct.db
      .select({ id: issues.id, title: issues.title })
      .from(issues)
      .where(like(issues.title, `pgbouncer burst ${stamp} #%`));
    expect(stored.map((s) => s.title).sort()).toEqual([...titles].sort());
    const withHistory = await direct.db
      .selectDistinct({ issueId: issueHistory.issueId })
      .from(issueHistory)
      .where(
        inArray(
          issueHistory.issueId,
          stored.map((s) => s.id),
        ),
      );
    expect(withHistory.length).toBe(stored.length);

    const servers = await serverConnections();
    expect(servers).toBeGreaterThan(0);
    expect(servers).toBeLessThanOrEqual(POOL_SIZE);
  });

  it("shows why prepared statements are off: with them on, a transaction on another server connection fails", async () => {
    // Deterministic sequence on a fresh pool of 2 server connections (S1, S2):
    //   1. the client prepares a statement (runs on S1, which returns to the pool);
    //   2. another client opens a transaction and holds S1;
    //   3. the first client runs the same statement inside a transaction → PgBouncer gives it S2, where the
    //      statement was never prepared. Outside a transaction postgres-js re-prepares and retries; inside one the
    //      transaction is already aborted, so the error surfaces.
    async function scenario(prepare: boolean): Promise<string> {
      const sql = postgres(bouncer.url("prepared"), { max: 1, prepare, onnotice: () => {} });
      const holder = postgres(bouncer.url("prepared"), { max: 1, prepare: false, onnotice: () => {} });
      try {
        await sql`select ${1}::int as x`;
        let release!: () => void;
        let holding!: () => void;
        const held = new Promise<void>((r) => (release = r));
        const isHolding = new Promise<void>((r) => (holding = r));
        const hold = holder.begin(async (t) => {
          await t`select 1`;
          holding();
          await held;
        });
        await isHolding;
        const outcome = await sql
          .begin(async (t) => t`select ${1}::int as x`)
          .then(
            () => "ok",
            (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`,
          );
        release();
        await hold;
        return outcome;
      } finally {
        await sql.end({ timeout: 2 });
        await holder.end({ timeout: 2 });
      }
    }
    expect(await scenario(true)).toMatch(/^26000: prepared statement ".+" does not exist/);
    // What db/client.server.ts does for this URL: prepare = !isTransactionPooler(url).
    expect(await scenario(!isTransactionPooler(`${bouncer.url("prepared")}?pgbouncer=true`))).toBe("ok");
  });
});
