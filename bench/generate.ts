/**
 * Benchmark data: a large tenant mix generated inside the database.
 *
 * - 50 organizations, each bootstrapped with the seed's `seedOrganization` (roles, permissions, 7 statuses,
 *   4 priorities, collection types), so the data looks exactly like organizations the app creates.
 * - Organization 0 (`big`): 2,000 machines in 10 locations, 200,000 issues (3 years of history, ~20 % open), 300,000
 *   comments, ~830,000 IssueHistory rows (CREATED, ASSIGNED, STATUS_CHANGED/RESOLVED, PRIORITY_CHANGED, a resolution
 *   undone by REOPENED on every 25th resolved issue, COMMENTED), 100,000 anonymous "me too" votes, 100 members;
 *   machines exist before the first issue, every 40th was on loan from 60 to 20 days ago (presence history). The other 49 organizations are small (20 machines, 200 issues each). Full size is
 *   about 1.5 million rows.
 * - Rows are written with `INSERT … SELECT … FROM generate_series(a, b)` in batches of 5,000 issues (their comments,
 *   history and votes in the same transaction), so the work stays inside PostgreSQL. Ids are deterministic
 *   (`bi_<org>_<n>` …), so a run is reproducible and requests can name rows without looking them up.
 * - `--scale 0.05` multiplies the big organization (machines, issues) and the small ones (with small minimums).
 *
 * CLI (quick runs, never touches ./data):
 *   tsx bench/generate.ts --scale 0.05                 # in-memory PGlite, prints the timing
 *   tsx bench/generate.ts --scale 0.05 --url postgres://…  # into an (empty, migrated or not) PostgreSQL database
 *   tsx bench/generate.ts --scale 0.05 --pglite-dir /tmp/x
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.server";
import { addMember, createUser, seedOrganization, type BootstrappedOrganization } from "../db/seed.server";
import { createProgress } from "./progress";
import { formatDuration, formatInt } from "./stats";

export const BENCH_PASSWORD = "bench-login-123";
export const BENCH_ADMIN_EMAIL = "bench-admin@bench.local";
export const BIG_SUBDOMAIN = "big";

export interface GenerateOptions {
  /** 1 = full size (200,000 issues in the big organization). */
  scale: number;
  /** Number of organizations (default 50). */
  organizations?: number;
  /** Issues per transaction (default 5,000). */
  batchSize?: number;
  /** Draw a progress bar on stderr (default true). */
  progress?: boolean;
  log?: (message: string) => void;
}

export interface StatusInfo {
  id: string;
  name: string;
  category: "NEW" | "IN_PROGRESS" | "RESOLVED";
}

export interface GeneratedData {
  scale: number;
  organizations: number;
  big: {
    id: string;
    subdomain: string;
    machines: number;
    issues: number;
    members: number;
    statuses: StatusInfo[];
    priorities: { id: string; name: string; order: number }[];
    locationIds: string[];
    memberIds: string[];
  };
  small: { machines: number; issues: number };
  admin: { id: string; email: string; password: string };
  /** Rows per table after generation (whole database). */
  rowCounts: Record<string, number>;
  /** Rows the generator inserted (the progress bar's count). */
  rowsInserted: number;
  ms: number;
}

// Ids -----------------------------------------------------------------------------------------------------------

export const orgId = (n: number) => `bench_org_${n}`;
export const machineId = (n: number, k: number) => `bm_${n}_${k}`;
export const qrCode = (n: number, k: number) => `bq_${n}_${k}`;
export const issueId = (n: number, i: number) => `bi_${n}_${i}`;
export const userId = (k: number) => `bu_${k}`;

/** Sizes for a scale. */
export function plan(scale: number, organizations = 50) {
  const s = Math.max(0.0001, scale);
  const bigMachines = Math.max(5, Math.round(2000 * s));
  const bigIssues = Math.max(50, Math.round(200_000 * s));
  const smallMachines = Math.max(3, Math.round(20 * s));
  const smallIssues = Math.max(10, Math.round(200 * s));
  const users = 150;
  const bigMembers = 100;
  const issues = bigIssues + (organizations - 1) * smallIssues;
  // per issue: 1 issue + 1.5 comments + ~4.0 history + 0.5 votes
  const estimatedRows = Math.round(issues * 7.0 + bigMachines + (organizations - 1) * smallMachines + users);
  return { bigMachines, bigIssues, smallMachines, smallIssues, users, bigMembers, organizations, estimatedRows };
}

// Vocabulary (titles are searched with full-text search, so they use real words) --------------------------------

const PARTS = [
  "Left flipper",
  "Right flipper",
  "Upper flipper",
  "Left ramp",
  "Right ramp",
  "Pop bumper",
  "Slingshot",
  "Spinner",
  "Drop target",
  "Stand-up target",
  "Ball trough",
  "Shooter lane",
  "Kickback",
  "Magnet",
  "Display",
  "Sound",
  "Coin door",
  "Start button",
  "Tilt bob",
  "GI lamps",
  "Insert lamp",
  "Diverter",
  "Ball lock",
  "Auto-launch",
];
const SYMPTOMS = [
  "weak",
  "stuck",
  "dead",
  "intermittent",
  "buzzing",
  "loose",
  "broken",
  "flickers",
  "not registering",
  "too strong",
  "sticks on",
  "rattles",
  "misaligned",
  "burnt coil",
  "sparks",
  "resets the game",
];
const WHEN = [
  "every game",
  "during multiball",
  "after a few games",
  "when the machine is warm",
  "on ball one",
  "sometimes",
];
const EXTRA = [
  "Players noticed it tonight.",
  "Ball gets stuck and needs a ball search.",
  "Probably needs a new coil sleeve.",
  "Checked the switch matrix, looks fine.",
  "Happened twice in a row.",
  "Rubber might be worn out.",
  "Connector near the playfield looks loose.",
  "League night tomorrow, please look soon.",
];
const COMMENTS = [
  "Took a look, the coil stop is worn. Ordered a replacement.",
  "Cleaned the opto and it works again for now.",
  "Still happening this evening.",
  "Adjusted the switch gap, please report if it comes back.",
  "Parts arrived, will install on Thursday.",
  "Could not reproduce in test mode.",
  "Replaced the rubber ring and leveled the playfield.",
  "Reflowed the connector on the driver board.",
];
const FIRST = [
  "Alex",
  "Sam",
  "Jordan",
  "Taylor",
  "Casey",
  "Riley",
  "Jamie",
  "Morgan",
  "Drew",
  "Robin",
  "Quinn",
  "Avery",
];
const LAST = ["Nguyen", "Garcia", "Smith", "Müller", "Rossi", "Kim", "Okafor", "Silva", "Novak", "Larsen", "Haddad"];

function lit(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
function arr(values: readonly string[]): string {
  return `ARRAY[${values.map(lit).join(",")}]::text[]`;
}

/** Affected rows of an INSERT, for both drivers (postgres-js: `count`, PGlite: `affectedRows`). */
function affected(result: unknown): number {
  const r = result as { count?: number; affectedRows?: number; rowCount?: number };
  return Number(r.count ?? r.affectedRows ?? r.rowCount ?? 0);
}

async function run(db: Db, statement: string): Promise<number> {
  return affected(await db.execute(sql.raw(statement)));
}

async function scalar(db: Db, statement: string): Promise<number> {
  const result = (await db.execute(sql.raw(statement))) as unknown as { rows?: Record<string, unknown>[] } & Record<
    string,
    unknown
  >[];
  const row = (result.rows ?? result)[0] ?? {};
  return Number(Object.values(row)[0] ?? 0);
}

// The generator -------------------------------------------------------------------------------------------------

interface OrgSpec {
  n: number;
  id: string;
  subdomain: string;
  machines: number;
  issues: number;
  members: string[];
  boot: BootstrappedOrganization;
  locationIds: string[];
}

export async function generateData(db: Db, opts: GenerateOptions): Promise<GeneratedData> {
  const log = opts.log ?? (() => {});
  const p = plan(opts.scale, opts.organizations ?? 50);
  const batchSize = opts.batchSize ?? 5000;
  const started = performance.now();
  const progress = opts.progress === false ? null : createProgress("generate", p.estimatedRows);
  let inserted = 0;
  const add = (rows: number, label: string) => {
    inserted += rows;
    progress?.add(rows, label);
  };
  const now = new Date();
  const nowLit = `timestamp ${lit(now.toISOString().replace("T", " ").replace("Z", ""))}`;

  // Global catalogue models and users ------------------------------------------------------------------------------
  add(
    await run(
      db,
      `INSERT INTO "Model" (id, name, manufacturer, year, "isCustom")
       SELECT 'bmodel_' || g.i, 'Bench Machine ' || g.i, (${arr(["Williams", "Bally", "Stern", "Gottlieb", "Spooky", "Jersey Jack"])})[1 + g.i % 6], 1970 + g.i % 55, false
       FROM generate_series(1, 300) AS g(i) ON CONFLICT DO NOTHING`,
    ),
    "models",
  );
  add(
    await run(
      db,
      `INSERT INTO "User" (id, name, email, "emailVerified")
       SELECT 'bu_' || g.i, (${arr(FIRST)})[1 + g.i % ${FIRST.length}] || ' ' || (${arr(LAST)})[1 + (g.i / ${FIRST.length}) % ${LAST.length}],
              'bench-user-' || g.i || '@bench.local', ${nowLit}
       FROM generate_series(1, ${p.users}) AS g(i) ON CONFLICT DO NOTHING`,
    ),
    "users",
  );
  const admin = await createUser(db, {
    email: BENCH_ADMIN_EMAIL,
    name: "Bench Admin",
    password: BENCH_PASSWORD,
    id: "bench_admin",
  });

  // Organizations ----------------------------------------------------------------------------------------------
  const orgs: OrgSpec[] = [];
  for (let n = 0; n < p.organizations; n++) {
    const big = n === 0;
    const subdomain = big ? BIG_SUBDOMAIN : `bench${String(n).padStart(2, "0")}`;
    const boot = await seedOrganization(db, {
      id: orgId(n),
      name: big ? "Big Pinball Hall" : `Bench Arcade ${n}`,
      subdomain,
    });
    const members = big
      ? Array.from({ length: p.bigMembers }, (_, k) => userId(k + 1))
      : [0, 1, 2].map((j) => userId(((n * 3 + j) % p.users) + 1));
    const locations = big ? 10 : 1;
    const machines = big ? p.bigMachines : p.smallMachines;
    const issues = big ? p.bigIssues : p.smallIssues;
    const memberRole = boot.roles.member ?? boot.roles.admin;
    await db.transaction(async (tx) => {
      const t = tx as unknown as Db;
      await run(
        t,
        `INSERT INTO "Membership" (id, "userId", "organizationId", "roleId")
         SELECT 'bms_' || ${n} || '_' || u, u, ${lit(boot.organization.id)}, ${lit(memberRole.id)}
         FROM unnest(${arr(members)}) AS u ON CONFLICT DO NOTHING`,
      );
      if (big)
        await addMember(t, { userId: admin.id, organizationId: boot.organization.id, roleId: boot.roles.admin.id });
      await run(
        t,
        `INSERT INTO "Location" (id, name, "organizationId", city, state)
         SELECT 'bloc_' || ${n} || '_' || g.i, ${lit(big ? "Hall " : "Arcade floor ")} || g.i, ${lit(boot.organization.id)}, 'Austin', 'TX'
         FROM generate_series(1, ${locations}) AS g(i) ON CONFLICT DO NOTHING`,
      );
      // Every 5th machine has an owner (owners get notifications on new issues and status changes).
      add(
        await run(
          t,
          // Created before the first issue, so /insights counts their whole period (counted time starts at creation).
          `INSERT INTO "Machine" (id, name, "organizationId", "locationId", "modelId", "ownerId", "qrCodeId", "createdAt", "updatedAt")
           SELECT 'bm_' || ${n} || '_' || g.i, 'Bench Machine ' || (1 + g.i % 300) || ' #' || g.i, ${lit(boot.organization.id)},
                  'bloc_' || ${n} || '_' || (1 + g.i % ${locations}), 'bmodel_' || (1 + g.i % 300),
                  CASE WHEN g.i % 5 = 0 THEN (${arr(members)})[1 + g.i % ${members.length}] END,
                  'bq_' || ${n} || '_' || g.i, ${nowLit} - interval '1130 days', ${nowLit} - interval '1130 days'
           FROM generate_series(1, ${machines}) AS g(i) ON CONFLICT DO NOTHING`,
        ),
        `organization ${n + 1}/${p.organizations}: machines`,
      );
      // Every 40th machine was on loan from 60 to 20 days ago (and is back on the floor, so it takes reports): the
      // presence history /insights cuts counted time with.
      add(
        await run(
          t,
          `INSERT INTO "MachinePresenceChange" (id, "organizationId", "machineId", "fromPresence", "toPresence", "actorId", "changedAt")
           SELECT 'bpc_' || ${n} || '_' || g.i || '_' || x.k, ${lit(boot.organization.id)}, 'bm_' || ${n} || '_' || g.i,
                  x."from", x."to", ${lit(members[0])}, ${nowLit} - x.ago - (g.i % 3600) * interval '1 second'
           FROM generate_series(40, ${machines}, 40) AS g(i)
           CROSS JOIN (VALUES (1, 'on_floor', 'on_loan', interval '60 days'), (2, 'on_loan', 'on_floor', interval '20 days'))
             AS x(k, "from", "to", ago)
           ON CONFLICT DO NOTHING`,
        ),
        `organization ${n + 1}/${p.organizations}: presence`,
      );
    });
    orgs.push({
      n,
      id: boot.organization.id,
      subdomain,
      machines,
      issues,
      members,
      boot,
      locationIds: Array.from({ length: locations }, (_, k) => `bloc_${n}_${k + 1}`),
    });
  }

  // Issues, comments, history, votes, in batches ------------------------------------------------------------------
  for (const org of orgs) {
    const statuses = org.boot.statuses;
    const byName = (name: string) => {
      const s = statuses.find((x) => x.name === name);
      if (!s) throw new Error(`bench: organization ${org.subdomain} has no status ${name}`);
      return s.id;
    };
    const open = [byName("New"), byName("In Progress"), byName("Needs expert help"), byName("Needs Parts")];
    const resolved = [byName("Fixed"), byName("Not to be Fixed"), byName("Not Reproducible")];
    const prio = (name: string) => {
      const x = org.boot.priorities.find((q) => q.name === name);
      if (!x) throw new Error(`bench: organization ${org.subdomain} has no priority ${name}`);
      return x.id;
    };
    const N = org.issues;
    const M = org.machines;
    const members = arr(org.members);
    const triage = lit(org.members[0]);
    const spanSeconds = 3 * 365 * 24 * 3600;
    for (let a = 1; a <= N; a += batchSize) {
      const b = Math.min(N, a + batchSize - 1);
      const series = `generate_series(${a}, ${b}) AS g(i)`;
      const issueJoin = `JOIN "Issue" iss ON iss.id = 'bi_' || ${org.n} || '_' || g.i`;
      await db.transaction(async (tx) => {
        const t = tx as unknown as Db;
        const issues = await run(
          t,
          `INSERT INTO "Issue" (id, title, description, consistency, "createdAt", "updatedAt", "resolvedAt", "reporterEmail",
                                "submitterName", "organizationId", "machineId", "statusId", "priorityId", "createdById",
                                "assignedToId", "followToken")
           SELECT 'bi_' || ${org.n} || '_' || g.i,
                  v.part || ' ' || v.symptom,
                  'The ' || lower(v.part) || ' is ' || v.symptom || ' ' || (${arr(WHEN)})[1 + g.i % ${WHEN.length}] || '. '
                    || (${arr(EXTRA)})[1 + (g.i / 7) % ${EXTRA.length}],
                  (ARRAY['Always','Every game','Occasionally'])[1 + g.i % 3],
                  v.created,
                  CASE WHEN v.resolved THEN least(v.created + interval '2 days', ${nowLit}) ELSE v.created + interval '3 hours' END,
                  CASE WHEN v.resolved THEN least(v.created + interval '2 days', ${nowLit}) END,
                  CASE WHEN v.anonymous AND g.i % 3 = 0 THEN 'reporter' || g.i || '@example.com' END,
                  CASE WHEN v.anonymous AND g.i % 2 = 0 THEN (${arr(FIRST)})[1 + g.i % ${FIRST.length}] END,
                  ${lit(org.id)},
                  -- machine from a hash of n: a plain stride would tie every attribute derived from n (status, priority,
                  -- reporter …) to the machine, e.g. all of a machine's issues open or all resolved.
                  'bm_' || ${org.n} || '_' || (1 + ('x' || substr(md5('bench-machine-' || g.i), 1, 8))::bit(32)::bigint % ${M}),
                  CASE WHEN v.resolved THEN (${arr(resolved)})[1 + g.i % 3] ELSE (${arr(open)})[1 + (g.i * 7) % 4] END,
                  CASE WHEN v.pr < 30 THEN ${lit(prio("Low"))} WHEN v.pr < 75 THEN ${lit(prio("Medium"))}
                       WHEN v.pr < 95 THEN ${lit(prio("High"))} ELSE ${lit(prio("Critical"))} END,
                  CASE WHEN v.anonymous THEN NULL ELSE (${members})[1 + (g.i * 31) % ${org.members.length}] END,
                  CASE WHEN g.i % 2 = 0 THEN (${members})[1 + (g.i / 2 * 17) % ${org.members.length}] END,
                  md5('bench-follow-' || ${org.n} || '-' || g.i)
           FROM ${series}
           CROSS JOIN LATERAL (
             SELECT (${arr(PARTS)})[1 + g.i % ${PARTS.length}] AS part,
                    (${arr(SYMPTOMS)})[1 + (g.i / ${PARTS.length}) % ${SYMPTOMS.length}] AS symptom,
                    ${nowLit} - ((${N} - g.i)::float8 * ${spanSeconds} / ${N} + (g.i % 3600)) * interval '1 second' AS created,
                    CASE WHEN g.i < ${Math.floor(N * 0.8)} THEN (g.i * 37) % 100 < 92 ELSE (g.i * 37) % 100 < 35 END AS resolved,
                    g.i % 5 < 2 AS anonymous,
                    (g.i * 53) % 100 AS pr
           ) v`,
        );
        add(issues, `${org.subdomain}: issues ${formatInt(b)}/${formatInt(N)}`);
        add(
          await run(
            t,
            `INSERT INTO "Comment" (id, content, "createdAt", "updatedAt", "issueId", "authorId")
             SELECT 'bc_' || ${org.n} || '_' || g.i || '_' || c.c, (${arr(COMMENTS)})[1 + (g.i + c.c) % ${COMMENTS.length}],
                    least(iss."createdAt" + c.c * interval '6 hours', ${nowLit}), least(iss."createdAt" + c.c * interval '6 hours', ${nowLit}),
                    iss.id, (${members})[1 + (g.i + c.c * 13) % ${org.members.length}]
             FROM ${series} CROSS JOIN generate_series(1, 3) AS c(c) ${issueJoin}
             WHERE c.c <= g.i % 4`,
          ),
          `${org.subdomain}: comments`,
        );
        add(
          await run(
            t,
            `INSERT INTO "IssueHistory" (id, field, "oldValue", "newValue", "changedAt", "organizationId", "actorId", type, "issueId")
             SELECT iss.id || '_hc', 'status', NULL::text, 'created', iss."createdAt", iss."organizationId", iss."createdById", 'CREATED'::"ActivityType", iss.id
               FROM ${series} ${issueJoin}
             UNION ALL
             SELECT iss.id || '_ha', 'assignee', NULL, u.name, iss."createdAt" + interval '1 hour', iss."organizationId", ${triage}, 'ASSIGNED'::"ActivityType", iss.id
               FROM ${series} ${issueJoin} JOIN "User" u ON u.id = iss."assignedToId"
             UNION ALL
             SELECT iss.id || '_hs', 'status', 'New', st.name, coalesce(iss."resolvedAt", iss."createdAt" + interval '2 hours'),
                    iss."organizationId", coalesce(iss."assignedToId", ${triage}),
                    (CASE WHEN st.category = 'RESOLVED' THEN 'RESOLVED' ELSE 'STATUS_CHANGED' END)::"ActivityType", iss.id
               FROM ${series} ${issueJoin} JOIN "IssueStatus" st ON st.id = iss."statusId" WHERE NOT st."isDefault"
             UNION ALL
             -- every 10th issue had its priority changed half an hour after the report (/insights reads the priority
             -- an issue had at each moment from these rows)
             SELECT iss.id || '_hp', 'priority', CASE WHEN p.name = 'Low' THEN 'Medium' ELSE 'Low' END, p.name,
                    iss."createdAt" + interval '30 minutes', iss."organizationId", ${triage}, 'PRIORITY_CHANGED'::"ActivityType", iss.id
               FROM ${series} ${issueJoin} JOIN "Priority" p ON p.id = iss."priorityId" WHERE g.i % 10 = 3
             UNION ALL
             -- every 25th resolved issue was resolved once before and reopened (two repairs, one reopening)
             SELECT iss.id || '_hr' || x.k, 'status', CASE x.k WHEN 1 THEN 'New' ELSE st.name END,
                    CASE x.k WHEN 1 THEN st.name ELSE 'In Progress' END, iss."createdAt" + x.after, iss."organizationId",
                    coalesce(iss."assignedToId", ${triage}), x.type::"ActivityType", iss.id
               FROM ${series} ${issueJoin} JOIN "IssueStatus" st ON st.id = iss."statusId"
               CROSS JOIN (VALUES (1, 'RESOLVED', interval '1 day'), (2, 'REOPENED', interval '26 hours')) AS x(k, type, after)
              WHERE st.category = 'RESOLVED' AND g.i % 25 = 11 AND iss."createdAt" < ${nowLit} - interval '3 days'
             UNION ALL
             SELECT cm.id || '_h', 'comment', NULL, cm.id, cm."createdAt", ${lit(org.id)}, cm."authorId", 'COMMENTED'::"ActivityType", cm."issueId"
               FROM ${series} CROSS JOIN generate_series(1, 3) AS c(c)
               JOIN "Comment" cm ON cm.id = 'bc_' || ${org.n} || '_' || g.i || '_' || c.c`,
          ),
          `${org.subdomain}: history`,
        );
        add(
          await run(
            t,
            `INSERT INTO "Upvote" (id, "createdAt", "issueId", "voterKey")
             SELECT iss.id || '_v' || v.v, iss."createdAt" + v.v * interval '1 hour', iss.id, md5(iss.id || '-voter-' || v.v)
             FROM ${series} CROSS JOIN generate_series(1, 3) AS v(v) ${issueJoin}
             WHERE g.i % 4 = 0 AND v.v <= 1 + g.i % 3`,
          ),
          `${org.subdomain}: votes`,
        );
      });
    }
  }

  // A realistic unread-notification count for the admin (the root loader counts them on every page).
  add(
    await run(
      db,
      `INSERT INTO "Notification" (id, message, read, "createdAt", "userId", "organizationId", type, "entityType", "entityId", "actionUrl")
       SELECT 'bn_' || g.i, 'Bench notification ' || g.i, g.i % 3 = 0, ${nowLit} - g.i * interval '1 hour', ${lit(admin.id)},
              ${lit(orgs[0].id)}, 'ISSUE_UPDATED', 'ISSUE', 'bi_0_' || g.i, '/issues/bi_0_' || g.i
       FROM generate_series(1, 300) AS g(i) ON CONFLICT DO NOTHING`,
    ),
    "notifications",
  );

  // Planner statistics, as autovacuum would have them on a live database (PGlite runs no autovacuum).
  log("ANALYZE …");
  await db.execute(sql.raw("ANALYZE"));
  const finished = progress?.done();
  const ms = finished?.ms ?? performance.now() - started;

  const rowCounts: Record<string, number> = {};
  for (const table of [
    "Organization",
    "User",
    "Membership",
    "Machine",
    "Issue",
    "Comment",
    "IssueHistory",
    "Upvote",
    "Notification",
  ]) {
    rowCounts[table] = await scalar(db, `SELECT count(*)::int FROM "${table}"`);
  }
  const big = orgs[0];
  log(
    `generated ${formatInt(inserted)} rows in ${formatDuration(ms)} (${formatInt(inserted / (ms / 1000))} rows/s): ` +
      Object.entries(rowCounts)
        .map(([k, v]) => `${k} ${formatInt(v)}`)
        .join(", "),
  );
  return {
    scale: opts.scale,
    organizations: p.organizations,
    big: {
      id: big.id,
      subdomain: big.subdomain,
      machines: big.machines,
      issues: big.issues,
      members: big.members.length,
      statuses: big.boot.statuses.map((s) => ({ id: s.id, name: s.name, category: s.category })),
      priorities: big.boot.priorities.map((x) => ({ id: x.id, name: x.name, order: x.order })),
      locationIds: big.locationIds,
      memberIds: big.members,
    },
    small: { machines: p.smallMachines, issues: p.smallIssues },
    admin: { id: admin.id, email: BENCH_ADMIN_EMAIL, password: BENCH_PASSWORD },
    rowCounts,
    rowsInserted: inserted,
    ms,
  };
}

// CLI ------------------------------------------------------------------------------------------------------------

async function cli() {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const scale = Number(flag("--scale") ?? 1);
  if (!(scale > 0)) throw new Error("--scale must be a positive number");
  const { openDatabase, migrateDatabase } = await import("../db/client.server");
  const url = flag("--url");
  const dir = flag("--pglite-dir") ?? "memory://";
  const handle = await openDatabase(url ? { url } : { pgliteDir: dir });
  try {
    await migrateDatabase(handle);
    const result = await generateData(handle.db, {
      scale,
      organizations: flag("--orgs") ? Number(flag("--orgs")) : undefined,
      log: (m) => console.error(m),
    });
    console.log(
      JSON.stringify(
        {
          kind: handle.kind,
          scale,
          ms: Math.round(result.ms),
          rowsInserted: result.rowsInserted,
          rowCounts: result.rowCounts,
        },
        null,
        2,
      ),
    );
  } finally {
    await handle.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  cli().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
