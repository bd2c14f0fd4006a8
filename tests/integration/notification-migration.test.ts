/**
 * migrations/0004_notification_organization.sql on a database that already has notifications: each row gets the
 * organization of what it is about (its issue, its comment's issue, its machine, its organization), else of its link
 * (/issues/<id>, /machines/<id>), else the recipient's only organization; rows none of these attribute are removed;
 * then the column is NOT NULL.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder, type Db } from "../../db/client.server";
import { comments, issues, machines } from "../../db/schema";
import { addMember, bootstrapOrganization, createUser, ensureLocation, seedDatabase } from "../../db/seed.server";
import { applyMigrations, withStartupLock } from "../../db/startup-lock.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { migrationsUpTo, rawRows, runMigrations, withLaterColumns } from "../helpers/migrations";

const rows = <T>(query: string) => rawRows<T>(db, query);

const BEFORE = "0003_invitations";

let t: TestDb;
let db: Db;

const lit = (s: string | null) => (s === null ? "NULL" : `'${s.replace(/'/g, "''")}'`);

/** Notification id → [recipient, entityType, entityId, actionUrl], inserted before the migration. */
const before: Record<string, [string, string | null, string | null, string | null]> = {};
/** Notification id → the organization it must get (null: removed). */
const expected: Record<string, string | null> = {};

beforeAll(async () => {
  t = await createTestDb({ migrate: false });
  db = t.db;
  const upTo = migrationsUpTo(BEFORE);
  await runMigrations(t, upTo.folder);
  upTo.remove();
  // The seed writes with today's schema: the columns later migrations add exist while it writes.
  await withLaterColumns(db, async () => {
    // apc (with its 41 machines) and a second organization with one machine, through the seed's own helpers; none of
    // them writes notifications, so they work on the schema before the migration.
    await seedDatabase(db, { demo: false });
    const [apcMachine] = await db.select().from(machines).limit(1);
    const apc = apcMachine.organizationId;
    const other = await bootstrapOrganization(db, { name: "Other Arcade", subdomain: "other" });
    const otherOrg = other.organization.id;
    const otherLocation = await ensureLocation(db, otherOrg, { name: "Floor" });
    const [otherMachine] = await db
      .insert(machines)
      .values({ name: "Xenon", organizationId: otherOrg, locationId: otherLocation.id, modelId: apcMachine.modelId })
      .returning();

    const both = await createUser(db, { email: "both@example.test" });
    const apcOnly = await createUser(db, { email: "apc-only@example.test" });
    const nowhere = await createUser(db, { email: "nowhere@example.test" });
    await addMember(db, { userId: both.id, organizationId: apc, roleId: (await roleOf(apc)).id });
    await addMember(db, { userId: both.id, organizationId: otherOrg, roleId: other.roles.admin.id });
    await addMember(db, { userId: apcOnly.id, organizationId: apc, roleId: (await roleOf(apc)).id });

    const issue = async (organizationId: string, machineId: string, statusId: string, priorityId: string) =>
      (
        await db
          .insert(issues)
          .values({ title: "Old issue", organizationId, machineId, statusId, priorityId })
          .returning({ id: issues.id })
      )[0].id;
    const apcIssue = await issue(apc, apcMachine.id, ...(await defaults(apc)));
    const otherIssue = await issue(otherOrg, otherMachine.id, other.defaultStatus.id, other.defaultPriority.id);
    const [otherComment] = await db
      .insert(comments)
      .values({ issueId: otherIssue, authorId: both.id, content: "Old comment" })
      .returning({ id: comments.id });

    const add = (
      id: string,
      userId: string,
      entity: [string | null, string | null],
      actionUrl: string | null,
      org: string | null,
    ) => {
      before[id] = [userId, entity[0], entity[1], actionUrl];
      expected[id] = org;
    };
    add("n_issue", both.id, ["ISSUE", apcIssue], `/issues/${apcIssue}`, apc);
    add("n_comment", both.id, ["COMMENT", otherComment.id], `/issues/${otherIssue}`, otherOrg);
    add("n_machine", both.id, ["MACHINE", otherMachine.id], null, otherOrg);
    add("n_org", both.id, ["ORGANIZATION", otherOrg], null, otherOrg);
    // The entity wins over a link that says otherwise.
    add("n_entity_first", both.id, ["ISSUE", otherIssue], `/issues/${apcIssue}`, otherOrg);
    // A purged comment: its link still names the issue.
    add("n_purged_comment", both.id, ["COMMENT", "gone"], `/issues/${otherIssue}#comment-gone`, otherOrg);
    add("n_link_only", both.id, [null, null], `/issues/${apcIssue}`, apc);
    add("n_machine_link", both.id, ["ISSUE", "gone"], `/machines/${otherMachine.id}?tab=issues`, otherOrg);
    add("n_only_member", apcOnly.id, ["ISSUE", "gone"], "/issues/gone", apc);
    add("n_ambiguous", both.id, ["ISSUE", "gone"], "/issues", null);
    add("n_nowhere", nowhere.id, [null, null], null, null);
    await db.execute(
      sql.raw(
        `INSERT INTO "Notification" (id, message, "userId", type, "entityType", "entityId", "actionUrl") VALUES ${Object.entries(
          before,
        )
          .map(
            ([id, [userId, type, entityId, url]]) =>
              `(${lit(id)}, 'old', ${lit(userId)}, 'ISSUE_UPDATED', ${type ? `${lit(type)}::"NotificationEntity"` : "NULL"}, ${lit(entityId)}, ${lit(url)})`,
          )
          .join(", ")}`,
      ),
    );
  });

  // The rest as the app applies it on start (earlier ones were applied by drizzle's own migrator, as by drizzle-kit).
  expect(await withStartupLock(db, (tx) => applyMigrations(tx, migrationsFolder))).toBeGreaterThanOrEqual(1);
});

afterAll(async () => {
  await t?.close();
});

async function roleOf(organizationId: string) {
  const role = await db.query.roles.findFirst({
    where: (r, { and }) => and(eq(r.organizationId, organizationId), eq(r.name, "Member")),
  });
  if (!role) throw new Error("no Member role");
  return role;
}

async function defaults(organizationId: string): Promise<[string, string]> {
  const status = await db.query.issueStatuses.findFirst({
    where: (s, { and }) => and(eq(s.organizationId, organizationId), eq(s.isDefault, true)),
  });
  const priority = await db.query.priorities.findFirst({
    where: (p, { and }) => and(eq(p.organizationId, organizationId), eq(p.isDefault, true)),
  });
  return [status!.id, priority!.id];
}

describe("0004_notification_organization", () => {
  it("gives every notification the organization of what it is about, and removes the rest", async () => {
    const after = await rows<{ id: string; organizationId: string }>(
      `select id, "organizationId" from "Notification" order by id`,
    );
    const want = Object.entries(expected)
      .filter(([, org]) => org !== null)
      .map(([id, organizationId]) => ({ id, organizationId }))
      .sort((a, b) => a.id.localeCompare(b.id));
    expect(after).toEqual(want);
  });

  it("leaves the column NOT NULL, with its foreign key and indexes", async () => {
    const [col] = await rows<{ is_nullable: string }>(
      `select is_nullable from information_schema.columns where table_name = 'Notification' and column_name = 'organizationId'`,
    );
    expect(col.is_nullable).toBe("NO");
    const fk = await rows<{ constraint_name: string }>(
      `select constraint_name from information_schema.table_constraints
        where table_name = 'Notification' and constraint_type = 'FOREIGN KEY' order by constraint_name`,
    );
    expect(fk.map((r) => r.constraint_name)).toEqual([
      "Notification_organizationId_Organization_id_fk",
      "Notification_userId_User_id_fk",
    ]);
    const indexes = (
      await rows<{ indexname: string }>(`select indexname from pg_indexes where tablename = 'Notification'`)
    )
      .map((r) => r.indexname)
      .sort();
    expect(indexes).toEqual([
      "Notification_pkey",
      "Notification_userId_organizationId_createdAt_idx",
      "Notification_userId_organizationId_read_idx",
    ]);
    const [user] = await rows<{ id: string }>(`select id from "User" limit 1`);
    await expect(
      db.execute(
        sql.raw(
          `insert into "Notification" (id, message, "userId", type) values ('x', 'x', ${lit(user.id)}, 'ISSUE_UPDATED')`,
        ),
      ),
    ).rejects.toThrow();
  });
});
