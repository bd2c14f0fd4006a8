/**
 * The schema against a real database (PGlite by default, PostgreSQL when DATABASE_URL is set): round trips, foreign
 * keys and their delete rules, uniques, enums, indexes (and that the planner uses them), the seed, and that the
 * committed migrations match the schema.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { and, eq, getTableColumns, is, sql, type SQL } from "drizzle-orm";
import { getTableConfig, PgTable, type PgColumn } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { verifyPassword } from "../../core/password.server";
import { ALL_PERMISSION_NAMES, MEMBER_PERMISSIONS, UNAUTHENTICATED_PERMISSIONS } from "../../core/permissions";
import * as schema from "../../db/schema";
import {
  accounts,
  attachments,
  auditLogs,
  collectionMachines,
  collections,
  collectionTypes,
  comments,
  idempotencyKeys,
  invitations,
  issueHistory,
  mailOutbox,
  issues,
  issueStatuses,
  locations,
  machines,
  memberships,
  models,
  notifications,
  organizations,
  passwordResetTokens,
  passwords,
  permissions,
  pinballMapConfigs,
  priorities,
  rateLimitCounters,
  rolePermissions,
  roles,
  sessions,
  upvotes,
  issueSubscribers,
  issueMerges,
  machinePresenceChanges,
  maintenanceNotes,
  maintenancePhotos,
  users,
  verificationTokens,
  watches,
} from "../../db/schema";
import { DEMO_ISSUES, SEED_NOW, bootstrapOrganization, seedDatabase } from "../../db/seed.server";
import { allTableNames, createTestDb, type TestDb } from "../helpers/db";

const root = path.resolve(import.meta.dirname, "..", "..");
const run = promisify(execFile);

let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await t.reset();
});

// ---------------------------------------------------------------------------------------------------------------
// helpers

async function q<T = Record<string, unknown>>(query: SQL | string): Promise<T[]> {
  const res = await t.db.execute(typeof query === "string" ? sql.raw(query) : query);
  return ((res as unknown as { rows?: T[] }).rows ?? (res as unknown as T[])) as T[];
}

/** The SQLSTATE of the error the promise rejects with (drizzle wraps driver errors in `cause`). */
async function pgError(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (error) {
    let cur: unknown = error;
    while (cur && typeof cur === "object") {
      const code = (cur as { code?: unknown }).code;
      if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
      cur = (cur as { cause?: unknown }).cause;
    }
    return `unexpected: ${String(error)}`;
  }
  return undefined;
}

const FK_VIOLATION = "23503";
/** ON DELETE RESTRICT: PostgreSQL 18 (PGlite) reports restrict_violation 23001, PostgreSQL 15 foreign_key_violation 23503. */
const RESTRICT_VIOLATIONS = ["23001", "23503"];
const UNIQUE_VIOLATION = "23505";
const CHECK_VIOLATION = "23514";
const INVALID_TEXT = "22P02";

function lit(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const tables = (Object.values(schema) as unknown[]).filter((v): v is PgTable => is(v, PgTable));
const tableByName = new Map(tables.map((tb) => [getTableConfig(tb).name, tb]));

/** db column name → TS key of a table. */
function keyOf(table: PgTable, column: string): string {
  const entry = Object.entries(getTableColumns(table)).find(([, c]) => (c as PgColumn).name === column);
  if (!entry) throw new Error(`no column ${column}`);
  return entry[0];
}

function pkColumns(table: PgTable): string[] {
  const cfg = getTableConfig(table);
  const composite = cfg.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name));
  return composite.length ? composite : cfg.columns.filter((c) => c.primary).map((c) => c.name);
}

// ---------------------------------------------------------------------------------------------------------------
// A fixture with one row in every table

type Row = Record<string, unknown>;

async function insertFixture(): Promise<Map<string, Row>> {
  const db = t.db;
  const rows = new Map<string, Row>();
  const put = <T extends Row>(name: string, r: T[]): T => {
    rows.set(name, r[0]);
    return r[0];
  };
  const u = put(
    "User",
    await db.insert(users).values({ email: "fixture@example.com", name: "Fixture User" }).returning(),
  );
  put(
    "Account",
    await db
      .insert(accounts)
      .values({ userId: u.id, type: "oauth", provider: "google", providerAccountId: "g-1", expires_at: 1_900_000_000 })
      .returning(),
  );
  put(
    "Session",
    await db
      .insert(sessions)
      .values({
        userId: u.id,
        sessionToken: "sha256-token",
        expires: new Date("2030-01-01T00:00:00.123Z"),
        ipAddress: "127.0.0.1",
      })
      .returning(),
  );
  put(
    "VerificationToken",
    await db
      .insert(verificationTokens)
      .values({ identifier: "fixture@example.com", token: "vt-1", expires: new Date("2030-01-01T00:00:00Z") })
      .returning(),
  );
  put("Password", await db.insert(passwords).values({ userId: u.id, hash: "scrypt$1$1$1$x$y" }).returning());
  const o = put(
    "Organization",
    await db.insert(organizations).values({ name: "Fixture Org", subdomain: "fixture" }).returning(),
  );
  const r = put(
    "Role",
    await db.insert(roles).values({ name: "Admin", organizationId: o.id, isSystem: true }).returning(),
  );
  const p = put(
    "Permission",
    await db.insert(permissions).values({ name: "issue:view", description: "View" }).returning(),
  );
  put("_RolePermissions", await db.insert(rolePermissions).values({ permissionId: p.id, roleId: r.id }).returning());
  put(
    "Membership",
    await db.insert(memberships).values({ userId: u.id, organizationId: o.id, roleId: r.id }).returning(),
  );
  put(
    "Invitation",
    await db
      .insert(invitations)
      .values({
        organizationId: o.id,
        email: "invitee@example.com",
        roleId: r.id,
        tokenHash: "sha256-invitation",
        invitedById: u.id,
        acceptedById: u.id,
        expiresAt: new Date("2030-01-01T00:00:00.456Z"),
      })
      .returning(),
  );
  put(
    "AuditLog",
    await db
      .insert(auditLogs)
      .values({
        organizationId: o.id,
        actorId: u.id,
        action: "role.created",
        targetType: "Role",
        targetId: r.id,
        meta: { a: [1, "x"] },
      })
      .returning(),
  );
  const l = put(
    "Location",
    await db
      .insert(locations)
      .values({
        name: "Main",
        organizationId: o.id,
        latitude: 30.371234567891,
        longitude: -97.7251234567,
        pinballMapId: 26454,
      })
      .returning(),
  );
  const m = put(
    "Model",
    await db
      .insert(models)
      .values({
        name: "Custom Game",
        organizationId: o.id,
        isCustom: true,
        opdbId: "GXXXX-MYYYY",
        ipdbId: "123",
        year: 1999,
      })
      .returning(),
  );
  const mc = put(
    "Machine",
    await db
      .insert(machines)
      .values({ name: "Custom Game #1", organizationId: o.id, locationId: l.id, modelId: m.id, ownerId: u.id })
      .returning(),
  );
  const st = put(
    "IssueStatus",
    await db
      .insert(issueStatuses)
      .values({ name: "New", category: "NEW", organizationId: o.id, isDefault: true })
      .returning(),
  );
  const pr = put(
    "Priority",
    await db.insert(priorities).values({ name: "Medium", order: 2, organizationId: o.id, isDefault: true }).returning(),
  );
  const i = put(
    "Issue",
    await db
      .insert(issues)
      .values({
        title: "Left flipper weak",
        description: "Cannot make the ramp",
        checklist: [{ text: "check coil", completed: false }],
        organizationId: o.id,
        machineId: mc.id,
        statusId: st.id,
        priorityId: pr.id,
        createdById: u.id,
        assignedToId: u.id,
      })
      .returning(),
  );
  put(
    "Comment",
    await db
      .insert(comments)
      .values({
        content: "On it",
        issueId: i.id,
        authorId: u.id,
        deletedBy: u.id,
        deletedAt: new Date("2026-01-02T03:04:05.678Z"),
      })
      .returning(),
  );
  put(
    "Attachment",
    await db
      .insert(attachments)
      .values({ url: "/uploads/a.jpg", fileName: "a.jpg", fileType: "image/jpeg", organizationId: o.id, issueId: i.id })
      .returning(),
  );
  put(
    "IssueHistory",
    await db
      .insert(issueHistory)
      .values({
        field: "status",
        newValue: "created",
        organizationId: o.id,
        actorId: u.id,
        type: "CREATED",
        issueId: i.id,
      })
      .returning(),
  );
  put("Upvote", await db.insert(upvotes).values({ issueId: i.id, userId: u.id }).returning());
  // The schema alone does not forbid a merge into itself (app/use-cases/issue-merge.server.ts does): one issue suffices.
  put(
    "IssueMerge",
    await db
      .insert(issueMerges)
      .values({
        organizationId: o.id,
        sourceIssueId: i.id,
        targetIssueId: i.id,
        previousStatusId: st.id,
        previousResolvedAt: new Date("2026-01-02T03:04:05.678Z"),
        movedUpvoteIds: ["u1"],
        movedSubscriberIds: [],
        mergedById: u.id,
        undoneById: u.id,
        undoneAt: new Date("2026-01-03T03:04:05.678Z"),
      })
      .returning(),
  );
  put(
    "IssueSubscriber",
    await db
      .insert(issueSubscribers)
      .values({
        organizationId: o.id,
        issueId: i.id,
        email: "fan@example.com",
        unsubscribedAt: new Date("2030-01-01T00:00:00.345Z"),
      })
      .returning(),
  );
  const ct = put(
    "CollectionType",
    await db
      .insert(collectionTypes)
      .values({ name: "Rooms", organizationId: o.id, generationRules: { by: "room" } })
      .returning(),
  );
  const col = put(
    "Collection",
    await db
      .insert(collections)
      .values({ name: "Front Room", typeId: ct.id, locationId: l.id, filterCriteria: { yearStart: 1980 } })
      .returning(),
  );
  put(
    "_CollectionToMachine",
    await db.insert(collectionMachines).values({ collectionId: col.id, machineId: mc.id }).returning(),
  );
  put(
    "Notification",
    await db
      .insert(notifications)
      .values({
        message: "New issue",
        userId: u.id,
        organizationId: o.id,
        type: "ISSUE_CREATED",
        entityType: "ISSUE",
        entityId: i.id,
        actionUrl: `/issues/${i.id}`,
      })
      .returning(),
  );
  put(
    "PinballMapConfig",
    await db.insert(pinballMapConfigs).values({ organizationId: o.id, apiEnabled: true }).returning(),
  );
  put(
    "IdempotencyKey",
    await db
      .insert(idempotencyKeys)
      .values({ organizationId: o.id, scope: "report:m1", key: "k-1", result: { value: { location: "/x" } } })
      .returning(),
  );
  put(
    "MailOutbox",
    await db
      .insert(mailOutbox)
      .values({
        organizationId: o.id,
        kind: "test",
        toAddress: "invitee@example.com",
        subject: "Hello",
        textBody: "Hello\n",
        htmlBody: "<p>Hello</p>",
        headers: { "List-Unsubscribe": "<https://x.example/u>" },
        dedupeKey: "fixture:1",
        lockedUntil: new Date("2030-01-01T00:00:00.789Z"),
      })
      .returning(),
  );
  put(
    "PasswordResetToken",
    await db
      .insert(passwordResetTokens)
      .values({ userId: u.id, tokenHash: "sha256-reset", expiresAt: new Date("2030-01-01T00:00:00.012Z") })
      .returning(),
  );
  put(
    "MachinePresenceChange",
    await db
      .insert(machinePresenceChanges)
      .values({
        organizationId: o.id,
        machineId: mc.id,
        fromPresence: "on_floor",
        toPresence: "on_loan",
        actorId: u.id,
      })
      .returning(),
  );
  const note = put(
    "MaintenanceNote",
    await db
      .insert(maintenanceNotes)
      .values({
        organizationId: o.id,
        machineId: mc.id,
        issueId: i.id,
        authorId: u.id,
        performedOn: "2030-01-02",
        tag: "parts",
        content: "New flipper coil",
      })
      .returning(),
  );
  put(
    "MaintenancePhoto",
    await db
      .insert(maintenancePhotos)
      .values({
        organizationId: o.id,
        noteId: note.id as string,
        url: `${o.id}/2030-01/a.webp`,
        thumbnailUrl: null,
        fileName: "coil.webp",
        fileType: "image/webp",
      })
      .returning(),
  );
  put("Watch", await db.insert(watches).values({ organizationId: o.id, userId: u.id, machineId: mc.id }).returning());
  put(
    "RateLimitCounter",
    await db.insert(rateLimitCounters).values({ key: "report:ip:x", count: 2, resetAt: 1_900_000_000_123 }).returning(),
  );
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------

describe("round trips", () => {
  it("every table stores and returns a row unchanged", async () => {
    const fixture = await insertFixture();
    expect([...fixture.keys()].sort()).toEqual(allTableNames());
    for (const [name, row] of fixture) {
      const table = tableByName.get(name)!;
      const selected = await t.db.select().from(table);
      expect(selected, name).toHaveLength(1);
      expect(selected[0], name).toEqual(row);
    }
  });

  it("keeps types: ids, json, doubles, integers, enums, ms timestamps, defaults", async () => {
    const f = await insertFixture();
    const issue = f.get("Issue")!;
    expect(issue.id).toMatch(/^[a-z0-9]{20,}$/);
    expect(issue.followToken).toMatch(/^[a-z0-9]{20,}$/);
    expect(issue.followToken).not.toBe(issue.id);
    expect(issue.checklist).toEqual([{ text: "check coil", completed: false }]);
    expect(f.get("Machine")!.qrCodeId).toMatch(/^[a-z0-9]{20,}$/);
    expect(f.get("Location")!.latitude).toBe(30.371234567891);
    expect(f.get("Location")!.longitude).toBe(-97.7251234567);
    expect(f.get("Account")!.expires_at).toBe(1_900_000_000);
    expect(f.get("Session")!.expires).toEqual(new Date("2030-01-01T00:00:00.123Z"));
    expect(f.get("Comment")!.deletedAt).toEqual(new Date("2026-01-02T03:04:05.678Z"));
    expect(f.get("AuditLog")!.meta).toEqual({ a: [1, "x"] });
    expect(f.get("User")).toMatchObject({
      emailNotificationsEnabled: true,
      pushNotificationsEnabled: false,
      notificationFrequency: "IMMEDIATE",
      emailVerified: null,
    });
    expect(f.get("Machine")).toMatchObject({
      ownerNotificationsEnabled: true,
      notifyOnNewIssues: true,
      notifyOnStatusChanges: true,
      notifyOnComments: false,
    });
    expect(f.get("PinballMapConfig")).toMatchObject({
      autoSyncEnabled: false,
      syncIntervalHours: 24,
      createMissingModels: true,
      updateExistingData: false,
    });
    expect(f.get("CollectionType")).toMatchObject({ isAutoGenerated: false, isEnabled: true, sortOrder: 0 });
    expect(f.get("Collection")).toMatchObject({ isSmart: false, isManual: true, sortOrder: 0 });
    expect(f.get("Notification")!.read).toBe(false);
    expect(f.get("Location")!.syncEnabled).toBe(false);
    expect(f.get("Model")).toMatchObject({ isActive: true, isCustom: true });
    // DB-side now() defaults agree with the app clock (catches a non-UTC session time zone)
    for (const name of ["User", "Issue", "Session", "AuditLog"]) {
      const created = f.get(name)!.createdAt as Date;
      expect(Math.abs(created.getTime() - Date.now()), `${name}.createdAt`).toBeLessThan(60_000);
    }
  });

  it("bumps updatedAt on update", async () => {
    const f = await insertFixture();
    const before = f.get("Issue")!.updatedAt as Date;
    await new Promise((r) => setTimeout(r, 5));
    const [after] = await t.db
      .update(issues)
      .set({ title: "Left flipper dead" })
      .where(eq(issues.id, f.get("Issue")!.id as string))
      .returning();
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.getTime());
  });
});

// ---------------------------------------------------------------------------------------------------------------

/** Delete rule of every foreign key: `Child.column` → rule (Prisma's rules plus our additions). */
const EXPECTED_FKS: Record<string, { parent: string; onDelete: "cascade" | "restrict" | "set null" }> = {
  "Account.userId": { parent: "User", onDelete: "cascade" },
  "Session.userId": { parent: "User", onDelete: "cascade" },
  "Password.userId": { parent: "User", onDelete: "cascade" },
  "AuditLog.organizationId": { parent: "Organization", onDelete: "cascade" },
  "AuditLog.actorId": { parent: "User", onDelete: "set null" },
  "Invitation.organizationId": { parent: "Organization", onDelete: "cascade" },
  "Invitation.roleId": { parent: "Role", onDelete: "cascade" },
  "Invitation.invitedById": { parent: "User", onDelete: "set null" },
  "Invitation.acceptedById": { parent: "User", onDelete: "set null" },
  "Membership.userId": { parent: "User", onDelete: "cascade" },
  "Membership.organizationId": { parent: "Organization", onDelete: "cascade" },
  "Membership.roleId": { parent: "Role", onDelete: "restrict" },
  "Role.organizationId": { parent: "Organization", onDelete: "cascade" },
  "_RolePermissions.A": { parent: "Permission", onDelete: "cascade" },
  "_RolePermissions.B": { parent: "Role", onDelete: "cascade" },
  "Location.organizationId": { parent: "Organization", onDelete: "cascade" },
  "Model.organizationId": { parent: "Organization", onDelete: "cascade" },
  "Machine.organizationId": { parent: "Organization", onDelete: "cascade" },
  "Machine.locationId": { parent: "Location", onDelete: "restrict" },
  "Machine.modelId": { parent: "Model", onDelete: "restrict" },
  "Machine.ownerId": { parent: "User", onDelete: "set null" },
  "Issue.organizationId": { parent: "Organization", onDelete: "cascade" },
  "Issue.machineId": { parent: "Machine", onDelete: "restrict" },
  "Issue.statusId": { parent: "IssueStatus", onDelete: "restrict" },
  "Issue.priorityId": { parent: "Priority", onDelete: "restrict" },
  "Issue.createdById": { parent: "User", onDelete: "set null" },
  "Issue.assignedToId": { parent: "User", onDelete: "set null" },
  "Priority.organizationId": { parent: "Organization", onDelete: "cascade" },
  "IssueStatus.organizationId": { parent: "Organization", onDelete: "cascade" },
  "Comment.issueId": { parent: "Issue", onDelete: "cascade" },
  "Comment.authorId": { parent: "User", onDelete: "restrict" },
  "Comment.deletedBy": { parent: "User", onDelete: "set null" },
  "Attachment.organizationId": { parent: "Organization", onDelete: "cascade" },
  "Attachment.issueId": { parent: "Issue", onDelete: "cascade" },
  "IssueHistory.organizationId": { parent: "Organization", onDelete: "cascade" },
  "IssueHistory.actorId": { parent: "User", onDelete: "set null" },
  "IssueHistory.issueId": { parent: "Issue", onDelete: "cascade" },
  "Upvote.issueId": { parent: "Issue", onDelete: "cascade" },
  "Upvote.userId": { parent: "User", onDelete: "restrict" },
  "CollectionType.organizationId": { parent: "Organization", onDelete: "cascade" },
  "Collection.typeId": { parent: "CollectionType", onDelete: "cascade" },
  "Collection.locationId": { parent: "Location", onDelete: "cascade" },
  "_CollectionToMachine.A": { parent: "Collection", onDelete: "cascade" },
  "_CollectionToMachine.B": { parent: "Machine", onDelete: "cascade" },
  "Notification.userId": { parent: "User", onDelete: "cascade" },
  "Notification.organizationId": { parent: "Organization", onDelete: "cascade" },
  "PinballMapConfig.organizationId": { parent: "Organization", onDelete: "cascade" },
  "IdempotencyKey.organizationId": { parent: "Organization", onDelete: "cascade" },
  "MailOutbox.organizationId": { parent: "Organization", onDelete: "cascade" },
  "PasswordResetToken.userId": { parent: "User", onDelete: "cascade" },
  "IssueSubscriber.organizationId": { parent: "Organization", onDelete: "cascade" },
  "IssueSubscriber.issueId": { parent: "Issue", onDelete: "cascade" },
  "Issue.mergedIntoId": { parent: "Issue", onDelete: "set null" },
  "IssueMerge.organizationId": { parent: "Organization", onDelete: "cascade" },
  "IssueMerge.sourceIssueId": { parent: "Issue", onDelete: "cascade" },
  "IssueMerge.targetIssueId": { parent: "Issue", onDelete: "cascade" },
  "IssueMerge.previousStatusId": { parent: "IssueStatus", onDelete: "set null" },
  "IssueMerge.mergedById": { parent: "User", onDelete: "set null" },
  "IssueMerge.undoneById": { parent: "User", onDelete: "set null" },
  "MachinePresenceChange.organizationId": { parent: "Organization", onDelete: "cascade" },
  "MachinePresenceChange.machineId": { parent: "Machine", onDelete: "cascade" },
  "MachinePresenceChange.actorId": { parent: "User", onDelete: "set null" },
  "MaintenanceNote.organizationId": { parent: "Organization", onDelete: "cascade" },
  "MaintenanceNote.machineId": { parent: "Machine", onDelete: "restrict" },
  "MaintenanceNote.issueId": { parent: "Issue", onDelete: "set null" },
  "MaintenanceNote.authorId": { parent: "User", onDelete: "set null" },
  "MaintenancePhoto.organizationId": { parent: "Organization", onDelete: "cascade" },
  "MaintenancePhoto.noteId": { parent: "MaintenanceNote", onDelete: "cascade" },
  "Watch.organizationId": { parent: "Organization", onDelete: "cascade" },
  "Watch.userId": { parent: "User", onDelete: "cascade" },
  "Watch.issueId": { parent: "Issue", onDelete: "cascade" },
  "Watch.machineId": { parent: "Machine", onDelete: "cascade" },
};

interface FkCase {
  key: string;
  child: PgTable;
  childName: string;
  column: string;
  parent: PgTable;
  parentName: string;
  parentColumn: string;
  onDelete: string;
  onUpdate: string;
}

const fkCases: FkCase[] = tables.flatMap((child) => {
  const cfg = getTableConfig(child);
  return cfg.foreignKeys.map((fk) => {
    const ref = fk.reference();
    if (ref.columns.length !== 1) throw new Error(`composite foreign key on ${cfg.name} is not covered`);
    return {
      key: `${cfg.name}.${ref.columns[0].name}`,
      child,
      childName: cfg.name,
      column: ref.columns[0].name,
      parent: ref.foreignTable,
      parentName: getTableConfig(ref.foreignTable).name,
      parentColumn: ref.foreignColumns[0].name,
      onDelete: fk.onDelete ?? "no action",
      onUpdate: fk.onUpdate ?? "no action",
    };
  });
});

/** A copy of a fixture row with a new id and fresh values for its unique columns. */
function cloneRow(table: PgTable, row: Row, suffix: string): Row {
  const cfg = getTableConfig(table);
  const fkCols = new Set(cfg.foreignKeys.flatMap((fk) => fk.reference().columns.map((c) => c.name)));
  const clone: Row = { ...row };
  if ("id" in row) clone.id = `${String(row.id)}_${suffix}`;
  for (const idx of cfg.indexes.filter((i) => i.config.unique)) {
    for (const c of idx.config.columns) {
      const name = (c as { name?: string }).name;
      if (!name || fkCols.has(name)) continue;
      const key = keyOf(table, name);
      if (typeof clone[key] === "string") clone[key] = `${String(clone[key])}_${suffix}`;
    }
  }
  if ("isDefault" in clone) clone.isDefault = false;
  return clone;
}

/** Tables whose row points at exactly one of two parents (a CHECK): pointing at one clears the other. */
const EXCLUSIVE_TARGETS: Record<string, Record<string, string>> = {
  Watch: { issueId: "machineId", machineId: "issueId" },
};

describe("foreign keys", () => {
  it("every foreign key of the schema has the expected parent and delete rule, and updates cascade", () => {
    expect(Object.fromEntries(fkCases.map((c) => [c.key, { parent: c.parentName, onDelete: c.onDelete }]))).toEqual(
      EXPECTED_FKS,
    );
    for (const c of fkCases) expect(c.onUpdate, c.key).toBe("cascade");
  });

  it("the database has exactly these foreign keys with these rules", async () => {
    const rows = await q<{ child: string; col: string; parent: string; del: string; upd: string }>(`
      select cl.relname as child, a.attname as col, pcl.relname as parent, c.confdeltype as del, c.confupdtype as upd
      from pg_constraint c
      join pg_class cl on cl.oid = c.conrelid
      join pg_namespace n on n.oid = cl.relnamespace and n.nspname = 'public'
      join pg_class pcl on pcl.oid = c.confrelid
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      where c.contype = 'f'`);
    const code = { cascade: "c", restrict: "r", "set null": "n" } as const;
    const actual = Object.fromEntries(rows.map((r) => [`${r.child}.${r.col}`, `${r.parent}/${r.del}/${r.upd}`]));
    const expected = Object.fromEntries(
      Object.entries(EXPECTED_FKS).map(([k, v]) => [k, `${v.parent}/${code[v.onDelete]}/c`]),
    );
    expect(actual).toEqual(expected);
  });

  fkCases.forEach((c) => {
    it(`${c.key} → ${c.parentName}: rejects orphans, follows id updates, ${c.onDelete} on delete`, async () => {
      const fixture = await insertFixture();
      const childRow = fixture.get(c.childName)!;
      const parentRow = fixture.get(c.parentName)!;
      const childTable = `"${c.childName}"`;
      const pk = pkColumns(c.child);
      expect(pk.length, `${c.childName} primary key`).toBeGreaterThan(0);
      const whereOf = (values: Record<string, unknown>) =>
        pk.map((col) => `"${col}" = ${lit(String(values[col]))}`).join(" and ");
      const fixturePk = Object.fromEntries(pk.map((col) => [col, childRow[keyOf(c.child, col)]]));

      const other = EXCLUSIVE_TARGETS[c.childName]?.[c.column];
      const clearOther = other ? `, "${other}" = null` : "";

      // orphan: pointing the fixture child at a missing parent is rejected
      expect(
        await pgError(
          q(`update ${childTable} set "${c.column}" = 'no-such-parent'${clearOther} where ${whereOf(fixturePk)}`),
        ),
      ).toBe(FK_VIOLATION);

      // a dedicated parent with a dedicated child (no other rows depend on either)
      const parent = cloneRow(c.parent, parentRow, "p");
      await t.db.insert(c.parent).values(parent as never);
      const child = cloneRow(c.child, childRow, "c");
      child[keyOf(c.child, c.column)] = parent[keyOf(c.parent, c.parentColumn)];
      if (other) child[keyOf(c.child, other)] = null;
      let inserted = await pgError(t.db.insert(c.child).values(child as never));
      if (inserted === UNIQUE_VIOLATION) {
        // e.g. Membership(userId, organizationId): make room by removing the fixture row first
        await q(`delete from ${childTable} where ${whereOf(fixturePk)}`);
        inserted = await pgError(t.db.insert(c.child).values(child as never));
      }
      expect(inserted).toBeUndefined();
      const childPk = Object.fromEntries(pk.map((col) => [col, child[keyOf(c.child, col)]]));
      const parentId = String(parent[keyOf(c.parent, c.parentColumn)]);

      // ON UPDATE CASCADE: changing the parent's key carries over to the child
      const newId = `${parentId}_moved`;
      await q(
        `update "${c.parentName}" set "${c.parentColumn}" = ${lit(newId)} where "${c.parentColumn}" = ${lit(parentId)}`,
      );
      if (pk.includes(c.column)) childPk[c.column] = newId;
      const [moved] = await q<Record<string, unknown>>(
        `select "${c.column}" as v from ${childTable} where ${whereOf(childPk)}`,
      );
      expect(moved?.v).toBe(newId);

      const deleteParent = q(`delete from "${c.parentName}" where "${c.parentColumn}" = ${lit(newId)}`);
      if (c.onDelete === "restrict") {
        expect(RESTRICT_VIOLATIONS).toContain(await pgError(deleteParent));
        const [still] = await q<Record<string, unknown>>(
          `select "${c.column}" as v from ${childTable} where ${whereOf(childPk)}`,
        );
        expect(still?.v).toBe(newId);
      } else if (c.onDelete === "cascade") {
        expect(await pgError(deleteParent)).toBeUndefined();
        expect(await q(`select 1 from ${childTable} where ${whereOf(childPk)}`)).toHaveLength(0);
      } else {
        expect(await pgError(deleteParent)).toBeUndefined();
        const [after] = await q<Record<string, unknown>>(
          `select "${c.column}" as v from ${childTable} where ${whereOf(childPk)}`,
        );
        expect(after).toBeDefined();
        expect(after.v).toBeNull();
      }
    });
  });

  it("deleting an organization removes all of its data and nothing of other organizations", async () => {
    await seedDatabase(t.db, { demo: true });
    const tenantTables = [
      "Membership",
      "Role",
      "Location",
      "Machine",
      "Issue",
      "IssueStatus",
      "Priority",
      "CollectionType",
      "IssueHistory",
    ];
    const count = async (table: string, sub: string) =>
      Number(
        (
          await q<{ n: number }>(
            `select count(*)::int as n from "${table}" x join "Organization" o on o.id = x."organizationId" where o.subdomain = ${lit(sub)}`,
          )
        )[0].n,
      );
    const apcBefore = await Promise.all(tenantTables.map((tb) => count(tb, "apc")));
    for (const tb of tenantTables) expect(await count(tb, "beta"), tb).toBeGreaterThan(0);
    await q(`delete from "Organization" where subdomain = 'beta'`);
    for (const tb of tenantTables) expect(await count(tb, "beta"), tb).toBe(0);
    expect(await Promise.all(tenantTables.map((tb) => count(tb, "apc")))).toEqual(apcBefore);
    // the beta admin user is global and survives, without memberships
    const [betaAdmin] = await t.db.select().from(users).where(eq(users.email, "admin@beta.local"));
    expect(betaAdmin).toBeDefined();
    expect(await t.db.select().from(memberships).where(eq(memberships.userId, betaAdmin.id))).toHaveLength(0);
    // and so does the global model catalogue
    expect(await t.db.select().from(models)).toHaveLength(41);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("unique constraints", () => {
  it("Machine.qrCodeId, Organization.subdomain, Permission.name, User.email, Issue.followToken, Session.sessionToken", async () => {
    const f = await insertFixture();
    const o = f.get("Organization")!;
    const mc = f.get("Machine")!;
    const i = f.get("Issue")!;
    expect(
      await pgError(
        t.db.insert(machines).values({
          name: "Twin",
          organizationId: o.id as string,
          locationId: mc.locationId as string,
          modelId: mc.modelId as string,
          qrCodeId: mc.qrCodeId as string,
        }),
      ),
    ).toBe(UNIQUE_VIOLATION);
    expect(await pgError(t.db.insert(organizations).values({ name: "Other", subdomain: "fixture" }))).toBe(
      UNIQUE_VIOLATION,
    );
    expect(await pgError(t.db.insert(permissions).values({ name: "issue:view" }))).toBe(UNIQUE_VIOLATION);
    expect(await pgError(t.db.insert(users).values({ email: "fixture@example.com" }))).toBe(UNIQUE_VIOLATION);
    // users without an email are allowed more than once (NULLs are distinct)
    await t.db.insert(users).values([{ name: "No mail 1" }, { name: "No mail 2" }]);
    expect(
      await pgError(
        t.db.insert(issues).values({
          title: "dup token",
          organizationId: o.id as string,
          machineId: mc.id as string,
          statusId: i.statusId as string,
          priorityId: i.priorityId as string,
          followToken: i.followToken as string,
        }),
      ),
    ).toBe(UNIQUE_VIOLATION);
    expect(
      await pgError(
        t.db
          .insert(sessions)
          .values({ userId: f.get("User")!.id as string, sessionToken: "sha256-token", expires: new Date() }),
      ),
    ).toBe(UNIQUE_VIOLATION);
    expect(
      await pgError(
        t.db
          .insert(accounts)
          .values({ userId: f.get("User")!.id as string, type: "oauth", provider: "google", providerAccountId: "g-1" }),
      ),
    ).toBe(UNIQUE_VIOLATION);
    expect(
      await pgError(t.db.insert(verificationTokens).values({ identifier: "x", token: "vt-1", expires: new Date() })),
    ).toBe(UNIQUE_VIOLATION);
    expect(await pgError(t.db.insert(models).values({ name: "Same OPDB", opdbId: "GXXXX-MYYYY" }))).toBe(
      UNIQUE_VIOLATION,
    );
    expect(await pgError(t.db.insert(models).values({ name: "Same IPDB", ipdbId: "123" }))).toBe(UNIQUE_VIOLATION);
    expect(await pgError(t.db.insert(pinballMapConfigs).values({ organizationId: o.id as string }))).toBe(
      UNIQUE_VIOLATION,
    );
  });

  it("one membership per user and organization; the same user can join another organization", async () => {
    const f = await insertFixture();
    const u = f.get("User")!.id as string;
    const o = f.get("Organization")!.id as string;
    const r = f.get("Role")!.id as string;
    expect(await pgError(t.db.insert(memberships).values({ userId: u, organizationId: o, roleId: r }))).toBe(
      UNIQUE_VIOLATION,
    );
    const other = await bootstrapOrganization(t.db, { name: "Other", subdomain: "other" });
    await t.db
      .insert(memberships)
      .values({ userId: u, organizationId: other.organization.id, roleId: other.roles.admin.id });
    expect(await t.db.select().from(memberships).where(eq(memberships.userId, u))).toHaveLength(2);
  });

  it("one pending invitation per address and organization; accepted or revoked ones do not count; token hashes unique", async () => {
    const f = await insertFixture();
    const o = f.get("Organization")!.id as string;
    const r = f.get("Role")!.id as string;
    const invite = (email: string, tokenHash: string) =>
      t.db
        .insert(invitations)
        .values({ organizationId: o, email, roleId: r, tokenHash, expiresAt: new Date("2030-01-01T00:00:00Z") });
    await invite("pending@example.com", "h1");
    expect(await pgError(invite("pending@example.com", "h2"))).toBe(UNIQUE_VIOLATION);
    expect(await pgError(invite("other@example.com", "h1"))).toBe(UNIQUE_VIOLATION);
    await t.db.update(invitations).set({ revokedAt: new Date() }).where(eq(invitations.tokenHash, "h1"));
    await invite("pending@example.com", "h3");
    await t.db.update(invitations).set({ acceptedAt: new Date() }).where(eq(invitations.tokenHash, "h3"));
    await invite("pending@example.com", "h4");
    const other = await bootstrapOrganization(t.db, { name: "Other", subdomain: "other" });
    await t.db.insert(invitations).values({
      organizationId: other.organization.id,
      email: "pending@example.com",
      roleId: other.roles.admin.id,
      tokenHash: "h5",
      expiresAt: new Date(),
    });
    expect(await t.db.select().from(invitations).where(eq(invitations.email, "pending@example.com"))).toHaveLength(4);
  });

  it("role, status, priority and collection-type names are unique per organization only", async () => {
    const a = await bootstrapOrganization(t.db, { name: "A", subdomain: "a" });
    const b = await bootstrapOrganization(t.db, { name: "B", subdomain: "b" });
    for (const org of [a, b]) expect(org.roles.member?.name).toBe("Member");
    const orgA = a.organization.id;
    expect(await pgError(t.db.insert(roles).values({ name: "Member", organizationId: orgA }))).toBe(UNIQUE_VIOLATION);
    expect(
      await pgError(t.db.insert(issueStatuses).values({ name: "Fixed", category: "RESOLVED", organizationId: orgA })),
    ).toBe(UNIQUE_VIOLATION);
    expect(await pgError(t.db.insert(priorities).values({ name: "High", order: 9, organizationId: orgA }))).toBe(
      UNIQUE_VIOLATION,
    );
    expect(await pgError(t.db.insert(collectionTypes).values({ name: "Rooms", organizationId: orgA }))).toBe(
      UNIQUE_VIOLATION,
    );
    // other names are fine
    await t.db.insert(roles).values({ name: "Technician", organizationId: orgA });
    await t.db.insert(issueStatuses).values({ name: "Duplicate", category: "RESOLVED", organizationId: orgA });
    await t.db.insert(priorities).values({ name: "Cosmetic", order: 0, organizationId: orgA });
  });

  it("at most one default status and one default priority per organization", async () => {
    const a = await bootstrapOrganization(t.db, { name: "A", subdomain: "a" });
    const b = await bootstrapOrganization(t.db, { name: "B", subdomain: "b" });
    const orgA = a.organization.id;
    expect(a.defaultStatus.name).toBe("New");
    expect(a.defaultPriority.name).toBe("Medium");
    expect(b.defaultStatus.organizationId).toBe(b.organization.id);
    expect(
      await pgError(
        t.db.insert(issueStatuses).values({ name: "Open", category: "NEW", organizationId: orgA, isDefault: true }),
      ),
    ).toBe(UNIQUE_VIOLATION);
    expect(
      await pgError(
        t.db.insert(priorities).values({ name: "Urgent", order: 5, organizationId: orgA, isDefault: true }),
      ),
    ).toBe(UNIQUE_VIOLATION);
    expect(
      await pgError(
        t.db
          .update(issueStatuses)
          .set({ isDefault: true })
          .where(eq(issueStatuses.id, a.statuses.find((s) => s.name === "Fixed")!.id)),
      ),
    ).toBe(UNIQUE_VIOLATION);
    // switching the default inside a transaction works (clear the old one first)
    await t.db.transaction(async (tx) => {
      await tx.update(priorities).set({ isDefault: false }).where(eq(priorities.organizationId, orgA));
      await tx
        .update(priorities)
        .set({ isDefault: true })
        .where(and(eq(priorities.organizationId, orgA), eq(priorities.name, "High")));
    });
    const defaults = await t.db
      .select()
      .from(priorities)
      .where(and(eq(priorities.organizationId, orgA), eq(priorities.isDefault, true)));
    expect(defaults.map((p) => p.name)).toEqual(["High"]);
  });

  it("Collection names are unique per type and location", async () => {
    const f = await insertFixture();
    const c = f.get("Collection")!;
    expect(
      await pgError(
        t.db
          .insert(collections)
          .values({ name: "Front Room", typeId: c.typeId as string, locationId: c.locationId as string }),
      ),
    ).toBe(UNIQUE_VIOLATION);
    await t.db.insert(collections).values({ name: "Front Room", typeId: c.typeId as string, locationId: null });
  });

  it("Upvote: one per user and one per anonymous voter key per issue; exactly one of userId/voterKey", async () => {
    const f = await insertFixture();
    const issueId = f.get("Issue")!.id as string;
    const userId = f.get("User")!.id as string;
    expect(await pgError(t.db.insert(upvotes).values({ issueId, userId }))).toBe(UNIQUE_VIOLATION);
    await t.db.insert(upvotes).values({ issueId, voterKey: "cookie-1" });
    await t.db.insert(upvotes).values({ issueId, voterKey: "cookie-2" });
    expect(await pgError(t.db.insert(upvotes).values({ issueId, voterKey: "cookie-1" }))).toBe(UNIQUE_VIOLATION);
    expect(await pgError(t.db.insert(upvotes).values({ issueId }))).toBe(CHECK_VIOLATION);
    expect(await pgError(t.db.insert(upvotes).values({ issueId, userId, voterKey: "cookie-3" }))).toBe(CHECK_VIOLATION);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("enums", () => {
  it("have exactly the Prisma values", async () => {
    const rows = await q<{ name: string; value: string }>(`
      select t.typname as name, e.enumlabel as value from pg_type t join pg_enum e on e.enumtypid = t.oid
      order by t.typname, e.enumsortorder`);
    const byEnum: Record<string, string[]> = {};
    for (const r of rows) (byEnum[r.name] ??= []).push(r.value);
    expect(byEnum).toEqual({
      MailStatus: ["pending", "sent", "failed"],
      ActivityType: [
        "CREATED",
        "STATUS_CHANGED",
        "ASSIGNED",
        "PRIORITY_CHANGED",
        "COMMENTED",
        "COMMENT_DELETED",
        "ATTACHMENT_ADDED",
        "MERGED",
        "RESOLVED",
        "REOPENED",
        "SYSTEM",
      ],
      NotificationEntity: ["ISSUE", "MACHINE", "COMMENT", "ORGANIZATION"],
      NotificationFrequency: ["IMMEDIATE", "DAILY", "WEEKLY", "DISABLED"],
      NotificationType: [
        "ISSUE_CREATED",
        "ISSUE_UPDATED",
        "ISSUE_ASSIGNED",
        "ISSUE_COMMENTED",
        "MACHINE_ASSIGNED",
        "SYSTEM_ANNOUNCEMENT",
        "MACHINE_MAINTENANCE",
      ],
      StatusCategory: ["NEW", "IN_PROGRESS", "RESOLVED"],
    });
  });

  it("reject values outside the enum", async () => {
    await insertFixture();
    const cases: [string, string][] = [
      ["User", "notificationFrequency"],
      ["IssueStatus", "category"],
      ["IssueHistory", "type"],
      ["Notification", "type"],
      ["Notification", "entityType"],
    ];
    for (const [table, column] of cases) {
      expect(await pgError(q(`update "${table}" set "${column}" = 'NEVER'`)), `${table}.${column}`).toBe(INVALID_TEXT);
    }
    // the Phase 2A parity bug value NEVER is rejected, DISABLED accepted
    await q(`update "User" set "notificationFrequency" = 'DISABLED'`);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("indexes", () => {
  const essential = [
    "Organization_subdomain_key",
    "Membership_userId_organizationId_key",
    "Membership_organizationId_idx",
    "Role_organizationId_idx",
    "_RolePermissions_AB_pkey",
    "_RolePermissions_B_index",
    "Location_organizationId_idx",
    "Machine_qrCodeId_key",
    "Machine_organizationId_locationId_idx",
    "Machine_organizationId_modelId_idx",
    "Machine_ownerId_idx",
    "Issue_organizationId_statusId_idx",
    "Issue_organizationId_statusId_machineId_priorityId_idx",
    "Issue_organizationId_machineId_idx",
    "Issue_assignedToId_organizationId_idx",
    "Issue_organizationId_createdAt_idx",
    "Issue_organizationId_updatedAt_idx",
    "Issue_organizationId_priorityId_id_idx",
    "Issue_createdById_idx",
    "Issue_search_idx",
    "Issue_title_trgm_idx",
    "Issue_submitter_trgm_idx",
    "Issue_followToken_key",
    "Priority_organizationId_idx",
    "Priority_organizationId_default_key",
    "IssueStatus_organizationId_idx",
    "IssueStatus_organizationId_default_key",
    "Comment_issueId_createdAt_idx",
    "Comment_authorId_idx",
    "Attachment_issueId_idx",
    "Attachment_organizationId_idx",
    "IssueHistory_issueId_changedAt_idx",
    "IssueHistory_organizationId_idx",
    "Upvote_issueId_idx",
    "Upvote_issueId_userId_key",
    "Upvote_issueId_voterKey_key",
    "Upvote_issueId_addressHash_createdAt_idx",
    "IdempotencyKey_organizationId_scope_key_key",
    "Collection_typeId_idx",
    "Collection_locationId_typeId_idx",
    "Collection_name_typeId_locationId_key",
    "CollectionType_organizationId_sortOrder_idx",
    "CollectionType_name_organizationId_key",
    "_CollectionToMachine_AB_pkey",
    "_CollectionToMachine_B_index",
    "Notification_userId_organizationId_read_idx",
    "Notification_userId_organizationId_createdAt_idx",
    "Session_userId_idx",
    "Session_sessionToken_key",
    "AuditLog_organizationId_createdAt_idx",
    "Invitation_tokenHash_key",
    "Invitation_organizationId_email_pending_key",
    "MailOutbox_dedupeKey_key",
    "MailOutbox_pending_idx",
    "MailOutbox_organizationId_createdAt_idx",
    "PasswordResetToken_tokenHash_key",
    "IssueSubscriber_issueId_email_key",
    "IssueSubscriber_token_key",
    "Issue_mergedIntoId_idx",
    "IssueMerge_sourceIssueId_active_key",
    "IssueMerge_targetIssueId_idx",
    "Role_name_organizationId_key",
    "Priority_name_organizationId_key",
    "IssueStatus_name_organizationId_key",
    "Permission_name_key",
    "Account_provider_providerAccountId_key",
    "VerificationToken_identifier_token_key",
    "PinballMapConfig_organizationId_key",
  ];

  it("every index of the schema (and every essential one) exists in the database", async () => {
    const rows = await q<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes where schemaname = 'public'`,
    );
    const names = new Set(rows.map((r) => r.indexname));
    const declared = tables.flatMap((tb) => getTableConfig(tb).indexes.map((i) => i.config.name!));
    for (const name of [...declared, ...essential]) expect(names.has(name), name).toBe(true);
    const def = (n: string) => rows.find((r) => r.indexname === n)!.indexdef;
    expect(def("Issue_search_idx")).toMatch(
      /USING gin \(to_tsvector\('english'::regconfig, \(\(title \|\| ' '::text\) \|\| COALESCE\(description, ''::text\)\)\)\)/,
    );
    expect(def("Issue_title_trgm_idx")).toMatch(/USING gin \(title gin_trgm_ops\)/);
    expect(def("IssueStatus_organizationId_default_key")).toMatch(
      /^CREATE UNIQUE INDEX .* WHERE \("isDefault" = true\)$/,
    );
    expect(def("Invitation_organizationId_email_pending_key")).toMatch(
      /^CREATE UNIQUE INDEX .* WHERE \(\("acceptedAt" IS NULL\) AND \("revokedAt" IS NULL\)\)$/,
    );
    expect(def("Priority_organizationId_default_key")).toMatch(/^CREATE UNIQUE INDEX .* WHERE \("isDefault" = true\)$/);
    expect(def("Membership_userId_organizationId_key")).toMatch(/^CREATE UNIQUE INDEX/);
    expect(def("Issue_organizationId_statusId_machineId_priorityId_idx")).toMatch(
      /\("organizationId", "statusId", "machineId", "priorityId"\)/,
    );
    expect(def("Comment_deletedBy_idx")).toMatch(/WHERE \("deletedBy" IS NOT NULL\)$/);
  });

  it("the key queries of the app use them (seeded database, sequential scans disabled)", async () => {
    await seedDatabase(t.db, { demo: true });
    const [apc] = await t.db.select().from(organizations).where(eq(organizations.subdomain, "apc"));
    // a second location holding a few machines, so "machines of a location" is selective
    const [annex] = await t.db.insert(locations).values({ name: "Annex", organizationId: apc.id }).returning();
    await q(
      `update "Machine" set "locationId" = ${lit(annex.id)} where id in (select id from "Machine" where "organizationId" = ${lit(apc.id)} order by id limit 5)`,
    );
    await q("analyze");
    const [admin] = await t.db.select().from(users).where(eq(users.email, "admin@dev.local"));
    const [machine] = await t.db.select().from(machines).where(eq(machines.locationId, annex.id)).limit(1);
    const [issue] = await t.db.select().from(issues).where(eq(issues.organizationId, apc.id)).limit(1);
    const [status] = await t.db.select().from(issueStatuses).where(eq(issueStatuses.organizationId, apc.id)).limit(1);
    const [priority] = await t.db.select().from(priorities).where(eq(priorities.organizationId, apc.id)).limit(1);
    const [role] = await t.db.select().from(roles).where(eq(roles.organizationId, apc.id)).limit(1);
    const org = lit(apc.id);
    const cases: [string, string][] = [
      [`select id from "Organization" where subdomain = 'apc'`, "Organization_subdomain_key"],
      [
        `select "roleId" from "Membership" where "userId" = ${lit(admin.id)} and "organizationId" = ${org}`,
        "Membership_userId_organizationId_key",
      ],
      [`select count(*) from "Membership" where "organizationId" = ${org}`, "Membership_organizationId_idx"],
      [`select "A" from "_RolePermissions" where "B" = ${lit(role.id)}`, "_RolePermissions_B_index"],
      [`select id from "Machine" where "qrCodeId" = ${lit(machine.qrCodeId)}`, "Machine_qrCodeId_key"],
      [
        `select id from "Machine" where "organizationId" = ${org} and "locationId" = ${lit(machine.locationId)}`,
        "Machine_organizationId_locationId_idx",
      ],
      [`select id from "Machine" where "ownerId" = ${lit(admin.id)}`, "Machine_ownerId_idx"],
      [
        `select id from "Issue" where "organizationId" = ${org} and "statusId" = ${lit(status.id)}`,
        // either (organizationId, statusId) index: the narrow one or the one that also holds machineId, priorityId
        "Issue_organizationId_statusId_",
      ],
      [
        `select id from "Issue" where "organizationId" = ${org} and "machineId" = ${lit(issue.machineId)}`,
        "Issue_organizationId_machineId_idx",
      ],
      [
        `select id from "Issue" where "organizationId" = ${org} and "assignedToId" = ${lit(admin.id)}`,
        "Issue_assignedToId_organizationId_idx",
      ],
      [
        `select id from "Issue" where "organizationId" = ${org} and "priorityId" = ${lit(priority.id)}`,
        "Issue_organizationId_priorityId_id_idx",
      ],
      [
        `select id from "Issue" where "organizationId" = ${org} order by "createdAt" desc limit 20`,
        "Issue_organizationId_createdAt_idx",
      ],
      [`select id from "Issue" where "createdById" = ${lit(admin.id)}`, "Issue_createdById_idx"],
      [
        `select id from "Issue" where to_tsvector('english', title || ' ' || coalesce(description, '')) @@ websearch_to_tsquery('english', 'flipper')`,
        "Issue_search_idx",
      ],
      [
        `select id from "Comment" where "issueId" = ${lit(issue.id)} order by "createdAt"`,
        "Comment_issueId_createdAt_idx",
      ],
      [
        `select id from "IssueHistory" where "issueId" = ${lit(issue.id)} order by "changedAt"`,
        "IssueHistory_issueId_changedAt_idx",
      ],
      [
        `select id from "IssueStatus" where "organizationId" = ${org} and "isDefault"`,
        "IssueStatus_organizationId_default_key",
      ],
      [
        `select id from "Priority" where "organizationId" = ${org} and "isDefault"`,
        "Priority_organizationId_default_key",
      ],
      [
        `select id from "CollectionType" where "organizationId" = ${org} order by "sortOrder"`,
        "CollectionType_organizationId_sortOrder_idx",
      ],
      [
        `select count(*) from "Notification" where "userId" = ${lit(admin.id)} and "organizationId" = ${org} and not read`,
        "Notification_userId_organizationId_read_idx",
      ],
      [
        `select id from "Notification" where "userId" = ${lit(admin.id)} and "organizationId" = ${org} order by "createdAt" desc limit 21`,
        "Notification_userId_organizationId_createdAt_idx",
      ],
      [`select id from "Session" where "userId" = ${lit(admin.id)}`, "Session_userId_idx"],
      [`select id from "Location" where "organizationId" = ${org}`, "Location_organizationId_idx"],
    ];
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      for (const [query, index] of cases) {
        const res = await tx.execute(sql.raw(`explain ${query}`));
        const rows = ((res as unknown as { rows?: Row[] }).rows ?? (res as unknown as Row[])) as Row[];
        const plan = rows.map((r) => String(Object.values(r)[0])).join("\n");
        expect(plan, `${query}\n${plan}`).toContain(index);
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of allTableNames()) {
    out[name] = Number((await q<{ n: number }>(`select count(*)::int as n from "${name}"`))[0].n);
  }
  return out;
}

describe("seed", () => {
  it("base seed: permissions, apc with roles, statuses, priorities, collection types, location and 41 machines", async () => {
    await seedDatabase(t.db, { demo: false });
    const [apc] = await t.db.select().from(organizations).where(eq(organizations.subdomain, "apc"));
    expect(apc).toMatchObject({ name: "Austin Pinball Collective", logoUrl: null });
    expect(await t.db.select().from(organizations)).toHaveLength(1);

    const perms = await t.db.select().from(permissions);
    expect(perms.map((p) => p.name).sort()).toEqual([...ALL_PERMISSION_NAMES].sort());
    for (const p of perms) expect(p.description).toBeTruthy();

    const orgRoles = await t.db.query.roles.findMany({
      where: eq(roles.organizationId, apc.id),
      with: { rolePermissions: { with: { permission: true } } },
    });
    const roleInfo = Object.fromEntries(
      orgRoles.map((r) => [
        r.name,
        {
          isSystem: r.isSystem,
          isDefault: r.isDefault,
          perms: r.rolePermissions.map((rp) => rp.permission.name).sort(),
        },
      ]),
    );
    expect(roleInfo).toEqual({
      Admin: { isSystem: true, isDefault: false, perms: [...ALL_PERMISSION_NAMES].sort() },
      Unauthenticated: { isSystem: true, isDefault: false, perms: [...UNAUTHENTICATED_PERMISSIONS].sort() },
      Member: { isSystem: false, isDefault: true, perms: [...MEMBER_PERMISSIONS].sort() },
    });

    const st = await t.db
      .select()
      .from(issueStatuses)
      .where(eq(issueStatuses.organizationId, apc.id))
      .orderBy(issueStatuses.sortOrder);
    expect(st.map((s) => [s.name, s.category, s.isDefault])).toEqual([
      ["New", "NEW", true],
      ["In Progress", "IN_PROGRESS", false],
      ["Needs expert help", "IN_PROGRESS", false],
      ["Needs Parts", "IN_PROGRESS", false],
      ["Fixed", "RESOLVED", false],
      ["Not to be Fixed", "RESOLVED", false],
      ["Not Reproducible", "RESOLVED", false],
    ]);
    const pr = await t.db
      .select()
      .from(priorities)
      .where(eq(priorities.organizationId, apc.id))
      .orderBy(priorities.order);
    expect(pr.map((p) => [p.name, p.order, p.isDefault])).toEqual([
      ["Low", 1, false],
      ["Medium", 2, true],
      ["High", 3, false],
      ["Critical", 4, false],
    ]);
    const ct = await t.db
      .select()
      .from(collectionTypes)
      .where(eq(collectionTypes.organizationId, apc.id))
      .orderBy(collectionTypes.sortOrder);
    expect(ct.map((c) => [c.name, c.isAutoGenerated, c.sourceField, c.isEnabled, c.sortOrder])).toEqual([
      ["Rooms", false, null, true, 1],
      ["Manufacturer", true, "manufacturer", false, 2],
      ["Era", true, "year", false, 3],
    ]);
    const locs = await t.db.select().from(locations).where(eq(locations.organizationId, apc.id));
    expect(locs).toHaveLength(1);
    expect(locs[0]).toMatchObject({
      name: "Austin Pinball Collective",
      street: "8777 Research Blvd",
      city: "Austin",
      state: "TX",
      zip: "78758",
      pinballMapId: 26454,
    });
    const ms = await t.db.query.machines.findMany({
      where: eq(machines.organizationId, apc.id),
      with: { model: true },
    });
    expect(ms).toHaveLength(41);
    for (const m of ms) {
      expect(m.name).toBe(m.model.name);
      expect(m.locationId).toBe(locs[0].id);
      expect(m.ownerId).toBeNull();
      expect(m.model.isCustom).toBe(false);
      expect(m.model.organizationId).toBeNull();
    }
    const tng = ms.find((m) => m.name === "Star Trek: The Next Generation")!;
    expect(tng.model).toMatchObject({ manufacturer: "Williams", year: 1993, opdbId: "GR6d8-M1rZd" });
    expect(tng.model.ipdbId).toMatch(/^\d+$/);
    expect(new Set(ms.map((m) => m.qrCodeId)).size).toBe(41);
    expect(await t.db.select().from(users)).toHaveLength(0);
    expect(await t.db.select().from(issues)).toHaveLength(0);
  });

  it("demo seed is idempotent: a second run changes nothing", async () => {
    await seedDatabase(t.db, { demo: true });
    const first = await counts();
    const firstIssues = await t.db.select().from(issues).orderBy(issues.id);
    await seedDatabase(t.db, { demo: true });
    expect(await counts()).toEqual(first);
    expect(await t.db.select().from(issues).orderBy(issues.id)).toEqual(firstIssues);
    expect(first.Organization).toBe(2);
    expect(first.Permission).toBe(22);
    expect(first.Model).toBe(41);
  });

  it("base seed then demo seed, and demo seed into an organization created elsewhere, both work", async () => {
    await bootstrapOrganization(t.db, { name: "Austin Pinball Collective", subdomain: "apc" });
    await seedDatabase(t.db, { demo: false });
    await seedDatabase(t.db, { demo: true });
    const c = await counts();
    expect(c.Organization).toBe(2);
    expect(c.Role).toBe(6);
    expect(c.IssueStatus).toBe(14);
    const [apc] = await t.db.select().from(organizations).where(eq(organizations.subdomain, "apc"));
    const apcMachines = await t.db.select().from(machines).where(eq(machines.organizationId, apc.id));
    expect(apcMachines).toHaveLength(41);
    // the demo run gave the base machines their demo owners
    expect(apcMachines.filter((m) => m.ownerId).length).toBeGreaterThan(10);
  });

  it("demo data is consistent", async () => {
    await seedDatabase(t.db, { demo: true });
    const [apc] = await t.db.select().from(organizations).where(eq(organizations.subdomain, "apc"));
    const [beta] = await t.db.select().from(organizations).where(eq(organizations.subdomain, "beta"));
    expect(beta.name).toBe("Pinball Beta Arcade");

    // users, roles and passwords
    const members = await t.db.query.memberships.findMany({
      with: { user: { with: { password: true } }, role: true, organization: true },
    });
    const byEmail = Object.fromEntries(
      members.map((m) => [`${m.organization.subdomain}:${m.user.email}`, m.role.name]),
    );
    expect(byEmail).toEqual({
      "apc:admin@dev.local": "Admin",
      "apc:member@dev.local": "Member",
      "apc:player@dev.local": "Member",
      "apc:roger.sharpe@pinpoint.dev": "Admin",
      "apc:gary.stern@pinpoint.dev": "Member",
      "apc:escher.lefkoff@pinpoint.dev": "Member",
      "apc:steve.ritchie@pinpoint.dev": "Member",
      "apc:keith.elwin@pinpoint.dev": "Member",
      "beta:admin@beta.local": "Admin",
    });
    for (const m of members) {
      expect(m.user.password, m.user.email!).toBeTruthy();
      expect(m.user.emailVerified).not.toBeNull();
    }
    const admin = members.find((m) => m.user.email === "admin@dev.local")!.user;
    expect((await verifyPassword("dev-login-123", admin.password!.hash)).ok).toBe(true);
    expect((await verifyPassword("wrong", admin.password!.hash)).ok).toBe(false);
    const betaAdmin = members.find((m) => m.user.email === "admin@beta.local")!.user;
    expect((await verifyPassword("dev-login-123", betaAdmin.password!.hash)).ok).toBe(true);

    // machine owners are members of the machine's organization
    const memberIds = (org: string) => new Set(members.filter((m) => m.organizationId === org).map((m) => m.userId));
    const allMachines = await t.db.select().from(machines);
    expect(allMachines.filter((m) => m.organizationId === beta.id)).toHaveLength(5);
    expect(allMachines.filter((m) => m.organizationId === apc.id && m.ownerId).length).toBeGreaterThan(10);
    for (const m of allMachines) if (m.ownerId) expect(memberIds(m.organizationId).has(m.ownerId)).toBe(true);

    // notifications only reach members, about issues of their organizations
    const notes = await t.db.select().from(notifications);
    expect(notes.length).toBeGreaterThan(10);
    const orgOfIssue = new Map((await t.db.select().from(issues)).map((i) => [i.id, i.organizationId]));
    for (const n of notes) {
      expect(n.organizationId).toBe(orgOfIssue.get(n.entityId!));
      expect(memberIds(n.organizationId).has(n.userId)).toBe(true);
    }
    expect(notes.some((n) => !n.read)).toBe(true);
    expect(notes.some((n) => n.read)).toBe(true);

    // issues
    const statusCategories = async (org: string) =>
      new Map(
        (await t.db.select().from(issueStatuses).where(eq(issueStatuses.organizationId, org))).map((s) => [
          s.name,
          s.category,
        ]),
      );
    const apcStatusCategory = await statusCategories(apc.id);
    const betaStatusCategory = await statusCategories(beta.id);
    const all = await t.db.query.issues.findMany({
      with: { status: true, priority: true, machine: true, history: true, comments: true },
    });
    const apcIssues = all.filter((i) => i.organizationId === apc.id);
    expect(apcIssues).toHaveLength(DEMO_ISSUES.length);
    expect(apcIssues.length).toBeGreaterThanOrEqual(40);
    expect(all.filter((i) => i.organizationId === beta.id).length).toBeGreaterThanOrEqual(2);
    const statusCount = new Map<string, number>();
    for (const i of apcIssues) statusCount.set(i.status.name, (statusCount.get(i.status.name) ?? 0) + 1);
    expect(statusCount.size).toBe(7);
    expect(new Set(apcIssues.map((i) => i.priority.name)).size).toBe(4);
    expect(
      apcIssues.filter((i) => !i.createdById && (i.submitterName || i.reporterEmail)).length,
    ).toBeGreaterThanOrEqual(3);
    expect(new Set(apcIssues.map((i) => i.machineId)).size).toBeGreaterThan(20);
    const eightWeeksAgo = SEED_NOW.getTime() - 8 * 7 * 24 * 3_600_000;
    for (const i of all) {
      const label = i.title;
      expect(i.machine.organizationId, label).toBe(i.organizationId);
      expect(i.status.organizationId, label).toBe(i.organizationId);
      expect(i.priority.organizationId, label).toBe(i.organizationId);
      if (i.assignedToId) expect(memberIds(i.organizationId).has(i.assignedToId), label).toBe(true);
      if (i.createdById) expect(memberIds(i.organizationId).has(i.createdById), label).toBe(true);
      expect(i.createdAt.getTime(), label).toBeGreaterThanOrEqual(eightWeeksAgo);
      expect(i.createdAt.getTime(), label).toBeLessThanOrEqual(SEED_NOW.getTime());
      expect(i.updatedAt.getTime(), label).toBeGreaterThanOrEqual(i.createdAt.getTime());
      expect(i.updatedAt.getTime(), label).toBeLessThanOrEqual(SEED_NOW.getTime());
      // resolvedAt ⇔ RESOLVED category
      expect(i.resolvedAt !== null, label).toBe(i.status.category === "RESOLVED");
      if (i.resolvedAt) expect(i.resolvedAt.getTime()).toBeGreaterThan(i.createdAt.getTime());
      // history tells the same story as the row
      const h = [...i.history].sort((a, b) => a.changedAt.getTime() - b.changedAt.getTime());
      expect(h[0].type, label).toBe("CREATED");
      expect(h[0].changedAt, label).toEqual(i.createdAt);
      expect(h[0].actorId, label).toBe(i.createdById);
      for (const e of h) expect(e.organizationId).toBe(i.organizationId);
      const statusChanges = h.filter(
        (e) => e.type === "STATUS_CHANGED" || e.type === "RESOLVED" || e.type === "REOPENED",
      );
      // entering a RESOLVED-category status is logged as RESOLVED
      for (const e of statusChanges) {
        const to =
          i.organizationId === apc.id ? apcStatusCategory.get(e.newValue!) : betaStatusCategory.get(e.newValue!);
        expect(e.type, `${label}: ${e.newValue}`).toBe(to === "RESOLVED" ? "RESOLVED" : "STATUS_CHANGED");
      }
      if (i.status.isDefault) expect(statusChanges).toHaveLength(0);
      else expect(statusChanges.at(-1)!.newValue, label).toBe(i.status.name);
      const assigned = h.filter((e) => e.type === "ASSIGNED");
      expect(assigned.length > 0, label).toBe(i.assignedToId !== null);
      const prio = h.filter((e) => e.type === "PRIORITY_CHANGED");
      if (i.priority.isDefault) expect(prio).toHaveLength(0);
      else expect(prio.at(-1)!.newValue, label).toBe(i.priority.name);
      expect(
        h
          .filter((e) => e.type === "COMMENTED")
          .map((e) => e.newValue)
          .sort(),
      ).toEqual(i.comments.map((c) => c.id).sort());
      for (const c of i.comments) {
        expect(c.createdAt.getTime()).toBeGreaterThanOrEqual(i.createdAt.getTime());
        expect(c.createdAt.getTime()).toBeLessThanOrEqual(SEED_NOW.getTime());
        expect(memberIds(i.organizationId).has(c.authorId)).toBe(true);
      }
      expect(h.at(-1)!.changedAt.getTime(), label).toBeLessThanOrEqual(i.updatedAt.getTime());
      for (const n of notes.filter((x) => x.entityId === i.id)) {
        expect(memberIds(i.organizationId).has(n.userId), label).toBe(true);
        expect(n.actionUrl).toBe(`/issues/${i.id}`);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("migrations match the schema", () => {
  const drizzleKit = path.join(root, "node_modules", ".bin", "drizzle-kit");

  it("drizzle-kit check finds the migration history consistent", async () => {
    const { stdout, stderr } = await run(drizzleKit, ["check"], { cwd: root, timeout: 60_000 });
    expect(`${stdout}${stderr}`).toMatch(/Everything's fine/);
  });

  it("drizzle-kit generate on a copy of the migrations finds no schema changes", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "drift-"));
    try {
      const out = path.join(tmp, "migrations");
      fs.cpSync(path.join(root, "migrations"), out, { recursive: true });
      // drizzle-kit prefixes --out with "./", so it must be relative to the working directory
      const { stdout, stderr } = await run(
        drizzleKit,
        [
          "generate",
          "--dialect",
          "postgresql",
          "--schema",
          "./db/schema/index.ts",
          "--out",
          path.relative(root, out),
          "--name",
          "drift_probe",
        ],
        { cwd: root, timeout: 60_000 },
      );
      expect(`${stdout}${stderr}`).toMatch(/No schema changes/);
      expect(fs.readdirSync(out).filter((f) => f.endsWith(".sql"))).toEqual(
        fs.readdirSync(path.join(root, "migrations")).filter((f) => f.endsWith(".sql")),
      );
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
