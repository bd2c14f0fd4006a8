/**
 * Volume data for query-plan tests: one large organization among several others of similar total size, so a plan
 * that reads a whole table reads other organizations' rows too (as it would on a shared production database).
 *
 * Organizations are bootstrapped with the seed's `seedOrganization` (roles, permissions, 7 statuses, 4 priorities);
 * everything else is written with `INSERT … SELECT … FROM generate_series`, so the work stays inside the database.
 * Ids are deterministic (`vi_<org>_<n>` …). Ends with VACUUM ANALYZE: planner statistics and visibility maps as
 * autovacuum keeps them on a live database (PGlite runs no autovacuum).
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { seedOrganization, type BootstrappedOrganization } from "../../db/seed.server";

export interface VolumeOptions {
  /** Issues of the large organization. */
  issues: number;
  machines: number;
  /** Other organizations and the issues and machines of each. */
  others: number;
  otherIssues: number;
  otherMachines: number;
  /** Members of the large organization and of each other one (users are shared between organizations). */
  members: number;
  otherMembers: number;
}

export interface VolumeOrganization {
  id: string;
  subdomain: string;
  boot: BootstrappedOrganization;
  memberIds: string[];
  locationIds: string[];
  machineIds: (k: number) => string;
  issueCount: number;
}

export interface VolumeData {
  big: VolumeOrganization;
  others: VolumeOrganization[];
  /** Rows per table after generation. */
  rowCounts: Record<string, number>;
}

const PARTS = [
  "Left flipper",
  "Right flipper",
  "Left ramp",
  "Pop bumper",
  "Slingshot",
  "Spinner",
  "Drop target",
  "Ball trough",
  "Shooter lane",
  "Magnet",
  "Display",
  "Coin door",
  "Diverter",
  "Ball lock",
];
const SYMPTOMS = ["weak", "stuck", "dead", "intermittent", "buzzing", "loose", "broken", "flickers", "rattles"];

function lit(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
function arr(values: readonly string[]): string {
  return `ARRAY[${values.map(lit).join(",")}]::text[]`;
}

async function run(db: Db, statement: string): Promise<void> {
  await db.execute(sql.raw(statement));
}

export async function generateVolume(db: Db, opts: VolumeOptions): Promise<VolumeData> {
  const USERS = Math.max(opts.members, opts.otherMembers);
  await run(
    db,
    `INSERT INTO "Model" (id, name, manufacturer, year)
     SELECT 'vmodel_' || g.i, 'Volume Model ' || g.i, (ARRAY['Williams','Bally','Stern','Gottlieb'])[1 + g.i % 4], 1970 + g.i % 50
     FROM generate_series(1, 150) AS g(i)`,
  );
  await run(
    db,
    `INSERT INTO "User" (id, name, email, "emailVerified")
     SELECT 'vu_' || g.i, 'Volume User ' || g.i, 'vol-user-' || g.i || '@vol.local', now()
     FROM generate_series(1, ${USERS}) AS g(i)`,
  );

  const orgs: VolumeOrganization[] = [];
  for (let n = 0; n <= opts.others; n++) {
    const big = n === 0;
    const id = `vol_org_${n}`;
    const subdomain = big ? "volume" : `volother${n}`;
    const boot = await seedOrganization(db, { id, name: big ? "Volume Hall" : `Other Arcade ${n}`, subdomain });
    const memberCount = big ? opts.members : opts.otherMembers;
    const memberIds = Array.from({ length: memberCount }, (_, k) => `vu_${((n * 37 + k) % USERS) + 1}`);
    const locations = big ? 8 : 2;
    const machines = big ? opts.machines : opts.otherMachines;
    const issues = big ? opts.issues : opts.otherIssues;
    const role = (boot.roles.member ?? boot.roles.admin).id;
    await run(
      db,
      `INSERT INTO "Membership" (id, "userId", "organizationId", "roleId")
       SELECT 'vms_' || ${n} || '_' || u.ord, u.id, ${lit(id)}, CASE WHEN u.ord = 1 THEN ${lit(boot.roles.admin.id)} ELSE ${lit(role)} END
       FROM unnest(${arr(memberIds)}) WITH ORDINALITY AS u(id, ord)`,
    );
    await run(
      db,
      `INSERT INTO "Location" (id, name, "organizationId", city)
       SELECT 'vloc_' || ${n} || '_' || g.i, 'Floor ' || g.i, ${lit(id)}, 'Austin' FROM generate_series(1, ${locations}) AS g(i)`,
    );
    await run(
      db,
      `INSERT INTO "Machine" (id, name, "organizationId", "locationId", "modelId", "ownerId", "qrCodeId", "qrCodeGeneratedAt")
       SELECT 'vm_' || ${n} || '_' || g.i, 'Machine ' || g.i, ${lit(id)}, 'vloc_' || ${n} || '_' || (1 + g.i % ${locations}),
              'vmodel_' || (1 + g.i % 150), CASE WHEN g.i % 5 = 0 THEN (${arr(memberIds)})[1 + g.i % ${memberCount}] END,
              'vq_' || ${n} || '_' || g.i, now()
       FROM generate_series(1, ${machines}) AS g(i)`,
    );
    const open = boot.statuses.filter((s) => s.category !== "RESOLVED").map((s) => s.id);
    const closed = boot.statuses.filter((s) => s.category === "RESOLVED").map((s) => s.id);
    // Ascending order: Low, Medium, High, Critical.
    const prio = [...boot.priorities].sort((a, b) => a.order - b.order).map((p) => p.id);
    const members = arr(memberIds);
    // Issues over three years, a quarter of them open; priorities 30/45/20/5 %; every other one assigned; 40 %
    // anonymous. The machine comes from a hash of n so that no attribute is tied to the machine.
    await run(
      db,
      `INSERT INTO "Issue" (id, title, description, "createdAt", "updatedAt", "resolvedAt", "organizationId", "machineId",
                            "statusId", "priorityId", "createdById", "assignedToId", "followToken")
       SELECT 'vi_' || ${n} || '_' || g.i,
              (${arr(PARTS)})[1 + g.i % ${PARTS.length}] || ' ' || (${arr(SYMPTOMS)})[1 + (g.i / ${PARTS.length}) % ${SYMPTOMS.length}],
              'Reported by a player. It happens ' || (ARRAY['every game','sometimes','during multiball'])[1 + g.i % 3] || '.',
              v.created, v.created + interval '3 hours', CASE WHEN v.resolved THEN v.created + interval '2 days' END,
              ${lit(id)},
              'vm_' || ${n} || '_' || (1 + ('x' || substr(md5('m' || g.i), 1, 8))::bit(32)::bigint % ${machines}),
              CASE WHEN v.resolved THEN (${arr(closed)})[1 + g.i % ${closed.length}] ELSE (${arr(open)})[1 + (g.i * 7) % ${open.length}] END,
              (${arr(prio)})[CASE WHEN v.pr < 30 THEN 1 WHEN v.pr < 75 THEN 2 WHEN v.pr < 95 THEN 3 ELSE 4 END],
              CASE WHEN g.i % 5 < 2 THEN NULL ELSE (${members})[1 + (g.i * 31) % ${memberCount}] END,
              CASE WHEN g.i % 2 = 0 THEN (${members})[1 + (g.i / 2 * 17) % ${memberCount}] END,
              md5('follow-' || ${n} || '-' || g.i)
       FROM generate_series(1, ${issues}) AS g(i)
       CROSS JOIN LATERAL (
         SELECT now() - ((${issues} - g.i)::float8 * 94608000 / ${issues}) * interval '1 second' AS created,
                (g.i * 37) % 100 < 75 AS resolved,
                (g.i * 53) % 100 AS pr
       ) v`,
    );
    // One or two comments per issue; every 25th issue's first comment was deleted by a member.
    await run(
      db,
      `INSERT INTO "Comment" (id, content, "createdAt", "updatedAt", "issueId", "authorId", "deletedAt", "deletedBy")
       SELECT 'vc_' || ${n} || '_' || g.i || '_' || c.c, 'Looked at it, part ordered.', now(), now(), 'vi_' || ${n} || '_' || g.i,
              (${members})[1 + (g.i + c.c * 13) % ${memberCount}],
              CASE WHEN g.i % 25 = 0 AND c.c = 1 THEN now() END,
              CASE WHEN g.i % 25 = 0 AND c.c = 1 THEN (${members})[1 + g.i % ${memberCount}] END
       FROM generate_series(1, ${issues}) AS g(i) CROSS JOIN generate_series(1, 2) AS c(c)
       WHERE c.c = 1 OR g.i % 3 = 0`,
    );
    // History: CREATED by the reporter, and the status change to the current status for three issues in four.
    await run(
      db,
      `INSERT INTO "IssueHistory" (id, field, "oldValue", "newValue", "changedAt", "organizationId", "actorId", type, "issueId")
       SELECT i.id || '_c', 'status', NULL, 'created', i."createdAt", i."organizationId", i."createdById", 'CREATED'::"ActivityType", i.id
         FROM "Issue" i WHERE i."organizationId" = ${lit(id)}
       UNION ALL
       SELECT i.id || '_s', 'status', 'New', 'Fixed', i."createdAt" + interval '1 hour', i."organizationId",
              coalesce(i."assignedToId", ${lit(memberIds[0])}), 'STATUS_CHANGED'::"ActivityType", i.id
         FROM "Issue" i WHERE i."organizationId" = ${lit(id)} AND i."resolvedAt" IS NOT NULL`,
    );
    // Votes on every fourth issue: anonymous ones, and members' on every twelfth.
    await run(
      db,
      `INSERT INTO "Upvote" (id, "createdAt", "issueId", "userId", "voterKey")
       SELECT 'vv_' || ${n} || '_' || g.i, now(), 'vi_' || ${n} || '_' || g.i,
              CASE WHEN g.i % 12 = 0 THEN (${members})[1 + g.i % ${memberCount}] END,
              CASE WHEN g.i % 12 = 0 THEN NULL ELSE md5('voter-' || g.i) END
       FROM generate_series(1, ${issues}) AS g(i) WHERE g.i % 4 = 0`,
    );
    await run(
      db,
      `INSERT INTO "Attachment" (id, url, "fileName", "fileType", "organizationId", "issueId")
       SELECT 'va_' || ${n} || '_' || g.i, '/uploads/x.jpg', 'x.jpg', 'image/jpeg', ${lit(id)}, 'vi_' || ${n} || '_' || g.i
       FROM generate_series(1, ${issues}) AS g(i) WHERE g.i % 20 = 0`,
    );
    await run(
      db,
      `INSERT INTO "Notification" (id, message, "createdAt", "userId", "organizationId", type, "entityType", "entityId")
       SELECT 'vn_' || ${n} || '_' || g.i, 'Issue assigned', now(), (${members})[1 + g.i % ${memberCount}], ${lit(id)},
              'ISSUE_ASSIGNED', 'ISSUE', 'vi_' || ${n} || '_' || g.i
       FROM generate_series(1, ${issues}) AS g(i) WHERE g.i % 10 = 0`,
    );
    await run(
      db,
      `INSERT INTO "AuditLog" (id, "organizationId", "actorId", action, "targetType", "targetId")
       SELECT 'val_' || ${n} || '_' || g.i, ${lit(id)}, (${members})[1 + g.i % ${memberCount}], 'membership.role_changed', 'Membership', 'x'
       FROM generate_series(1, ${Math.ceil(issues / 20)}) AS g(i)`,
    );
    await run(
      db,
      `INSERT INTO "Invitation" (id, "organizationId", email, "roleId", "tokenHash", "invitedById", "acceptedById", "expiresAt", "acceptedAt")
       SELECT 'vinv_' || ${n} || '_' || g.i, ${lit(id)}, 'invitee-' || g.i || '@vol.local', ${lit(role)}, md5('inv-' || ${n} || '-' || g.i),
              (${members})[1 + g.i % ${memberCount}], CASE WHEN g.i % 2 = 0 THEN (${members})[1 + g.i % ${memberCount}] END,
              now() + interval '7 days', CASE WHEN g.i % 2 = 0 THEN now() END
       FROM generate_series(1, ${Math.ceil(issues / 20)}) AS g(i)`,
    );
    orgs.push({
      id,
      subdomain,
      boot,
      memberIds,
      locationIds: Array.from({ length: locations }, (_, k) => `vloc_${n}_${k + 1}`),
      machineIds: (k) => `vm_${n}_${k}`,
      issueCount: issues,
    });
  }
  await run(
    db,
    `INSERT INTO "Session" (id, "sessionToken", "userId", expires)
     SELECT 'vs_' || g.i, md5('session-' || g.i), 'vu_' || (1 + g.i % ${USERS}), now() + interval '30 days'
     FROM generate_series(1, 2000) AS g(i)`,
  );
  await run(db, "VACUUM ANALYZE");

  const rowCounts: Record<string, number> = {};
  const counted = await db.execute(
    sql.raw(
      `SELECT relname AS name, reltuples::bigint AS n FROM pg_class
       WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace`,
    ),
  );
  for (const r of rowsOf(counted)) rowCounts[String(r.name)] = Number(r.n);
  return { big: orgs[0], others: orgs.slice(1), rowCounts };
}

/** Rows of a `db.execute` result for both drivers (postgres-js: an array, PGlite: `{ rows }`). */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  const r = result as { rows?: Record<string, unknown>[] } & Record<string, unknown>[];
  return r.rows ?? r;
}
