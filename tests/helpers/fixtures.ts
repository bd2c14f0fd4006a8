/**
 * Small lookups and setup for integration tests: ids of the seeded organizations, roles, users, memberships,
 * statuses, priorities and machines; row snapshots to prove "nothing changed"; signed-in clients; a throwaway upload
 * directory; page text as people read it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import {
  auditLogs,
  invitations,
  issueStatuses,
  issues,
  machines,
  memberships,
  organizations,
  priorities,
  rolePermissions,
  roles,
  sessions,
  users,
} from "../../db/schema";
import type { TestClient, TestServer } from "./http";

export async function orgIdOf(db: Db, subdomain: string): Promise<string> {
  const [row] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.subdomain, subdomain));
  if (!row) throw new Error(`no organization ${subdomain}`);
  return row.id;
}

export async function roleIdOf(db: Db, subdomain: string, name: string): Promise<string> {
  const orgId = await orgIdOf(db, subdomain);
  const [row] = await db
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.organizationId, orgId), eq(roles.name, name)));
  if (!row) throw new Error(`no role ${name} in ${subdomain}`);
  return row.id;
}

export async function userIdOf(db: Db, email: string): Promise<string> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}

export async function membershipOf(
  db: Db,
  email: string,
  subdomain: string,
): Promise<{ id: string; roleId: string } | null> {
  const [row] = await db
    .select({ id: memberships.id, roleId: memberships.roleId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(and(eq(users.email, email), eq(organizations.subdomain, subdomain)));
  return row ?? null;
}

export async function roleNameOfMember(db: Db, email: string, subdomain: string): Promise<string | null> {
  const m = await membershipOf(db, email, subdomain);
  if (!m) return null;
  const [r] = await db.select({ name: roles.name }).from(roles).where(eq(roles.id, m.roleId));
  return r?.name ?? null;
}

/** Gives `email` the role `roleName` in `subdomain` directly in the database (test setup, not under test). */
export async function setRoleDirect(db: Db, email: string, subdomain: string, roleName: string): Promise<void> {
  const m = await membershipOf(db, email, subdomain);
  if (!m) throw new Error(`${email} is not a member of ${subdomain}`);
  await db
    .update(memberships)
    .set({ roleId: await roleIdOf(db, subdomain, roleName) })
    .where(eq(memberships.id, m.id));
}

export async function sessionCount(db: Db, email: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(users.email, email));
  return Number(row.n);
}

export async function auditCount(db: Db, subdomain: string, action?: string): Promise<number> {
  const orgId = await orgIdOf(db, subdomain);
  const [row] = await db
    .select({ n: count() })
    .from(auditLogs)
    .where(
      action
        ? and(eq(auditLogs.organizationId, orgId), eq(auditLogs.action, action))
        : eq(auditLogs.organizationId, orgId),
    );
  return Number(row.n);
}

/** Everything role and member management can change in one organization, as comparable plain data. */
export async function tenantAccessSnapshot(db: Db, subdomain: string) {
  const orgId = await orgIdOf(db, subdomain);
  const roleRows = await db
    .select({ id: roles.id, name: roles.name, isDefault: roles.isDefault, isSystem: roles.isSystem })
    .from(roles)
    .where(eq(roles.organizationId, orgId))
    .orderBy(asc(roles.id));
  const memberRows = await db
    .select({ id: memberships.id, userId: memberships.userId, roleId: memberships.roleId })
    .from(memberships)
    .where(eq(memberships.organizationId, orgId))
    .orderBy(asc(memberships.id));
  const perms = await db
    .select({ roleId: rolePermissions.roleId, permissionId: rolePermissions.permissionId })
    .from(rolePermissions)
    .innerJoin(roles, eq(roles.id, rolePermissions.roleId))
    .where(eq(roles.organizationId, orgId))
    .orderBy(asc(rolePermissions.roleId), asc(rolePermissions.permissionId));
  const [{ n: audit }] = await db.select({ n: count() }).from(auditLogs).where(eq(auditLogs.organizationId, orgId));
  const [{ n: userCount }] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  const invitationRows = await db
    .select()
    .from(invitations)
    .where(eq(invitations.organizationId, orgId))
    .orderBy(asc(invitations.id));
  return {
    roles: roleRows,
    memberships: memberRows,
    rolePermissions: perms,
    invitations: invitationRows,
    audit: Number(audit),
    users: Number(userCount),
  };
}

/** Id of the organization's status with this name (organization by id). */
export async function statusIdOf(db: Db, organizationId: string, name: string): Promise<string> {
  const [row] = await db
    .select({ id: issueStatuses.id })
    .from(issueStatuses)
    .where(and(eq(issueStatuses.organizationId, organizationId), eq(issueStatuses.name, name)));
  if (!row) throw new Error(`no status ${name}`);
  return row.id;
}

/** Id of the organization's priority with this name (organization by id). */
export async function priorityIdOf(db: Db, organizationId: string, name: string): Promise<string> {
  const [row] = await db
    .select({ id: priorities.id })
    .from(priorities)
    .where(and(eq(priorities.organizationId, organizationId), eq(priorities.name, name)));
  if (!row) throw new Error(`no priority ${name}`);
  return row.id;
}

/** The organization's machine with this name (the whole row). */
export async function machineByName(db: Db, organizationId: string, name: string) {
  const [row] = await db
    .select()
    .from(machines)
    .where(and(eq(machines.organizationId, organizationId), eq(machines.name, name)));
  if (!row) throw new Error(`no machine ${name}`);
  return row;
}

/** A machine found by name and one of its open (NEW or IN_PROGRESS) issues from the seed. */
export async function openIssueOf(db: Db, organizationId: string, machineName: string) {
  const machine = await machineByName(db, organizationId, machineName);
  const issueId = await openIssueIdOn(db, machine.id);
  if (!issueId) throw new Error(`no open issue on ${machineName}`);
  return { machine, issueId };
}

/** The id of one open (NEW or IN_PROGRESS) issue on the machine, or undefined. */
export async function openIssueIdOn(db: Db, machineId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: issues.id })
    .from(issues)
    .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
    .where(and(eq(issues.machineId, machineId), inArray(issueStatuses.category, ["NEW", "IN_PROGRESS"])))
    .limit(1);
  return row?.id;
}

/** A client for the organization (X-Organization header), signed in through the real login form. */
export async function signedIn(server: TestServer, email: string, org = "apc"): Promise<TestClient> {
  const c = server.client({ org });
  await c.login(email);
  return c;
}

/**
 * A fresh upload directory for this test file, set as UPLOAD_DIR. Call at module level, before the server starts;
 * remove it in afterAll.
 */
export function makeTempUploadDir(prefix = "pinpoint-uploads-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.env.UPLOAD_DIR = dir;
  return dir;
}

/** Page text without React's text-separator comments, so "41 machines" reads as written. */
export function visible(html: string): string {
  return html.replace(/<!-- -->/g, "");
}
