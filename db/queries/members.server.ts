/**
 * Members of an organization (Membership ↔ User ↔ Role). Every helper takes `organizationId` and puts it in the
 * WHERE, so an id from another organization simply finds nothing. Helpers take `DbOrTx`: the use cases run
 * them inside one transaction together with the AuditLog row.
 */
import { and, asc, count, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { memberships, organizations, passwords, roles, users } from "../schema";

/** What the role rules (core/role-rules.ts) need to know about a membership. */
export interface MemberFactsRow {
  membershipId: string;
  userId: string;
  organizationId: string;
  role: { id: string; name: string; organizationId: string; isSystem: boolean; isDefault: boolean };
}

/**
 * Serialises membership and role changes of one organization (row lock on the Organization). Checks such as
 * "not the last admin" read and then write; without the lock, two admins demoting each other at the same moment
 * could both pass. Call first inside the transaction.
 */
export async function lockOrganizationForRoleChanges(tx: DbOrTx, organizationId: string): Promise<void> {
  await tx
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
    .for("update");
}

/** Whether the user is a member of the organization (owner, assignee and similar reference checks). */
export async function isOrganizationMember(db: DbOrTx, organizationId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)))
    .limit(1);
  return Boolean(row);
}

export interface MemberListRow {
  membershipId: string;
  userId: string;
  name: string | null;
  email: string | null;
  /**
   * false for people added by the old invitation flow (a User row without password, made before invitations had
   * their own table) who never signed up: they cannot sign in.
   */
  hasPassword: boolean;
  joinedAt: Date;
  roleId: string;
  roleName: string;
  roleIsSystem: boolean;
}

/** Members sorted by role name, then name (as the original's admin.getUsers), one page at a time. */
export async function listMembers(
  db: DbOrTx,
  organizationId: string,
  opts: { limit?: number; offset?: number } = {},
): Promise<{ rows: MemberListRow[]; total: number }> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const offset = Math.max(opts.offset ?? 0, 0);
  const rows = await db
    .select({
      membershipId: memberships.id,
      userId: users.id,
      name: users.name,
      email: users.email,
      hasPassword: sql<boolean>`${passwords.userId} is not null`,
      joinedAt: users.createdAt,
      roleId: roles.id,
      roleName: roles.name,
      roleIsSystem: roles.isSystem,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(passwords, eq(passwords.userId, users.id))
    .innerJoin(roles, and(eq(roles.id, memberships.roleId), eq(roles.organizationId, organizationId)))
    .where(eq(memberships.organizationId, organizationId))
    .orderBy(asc(roles.name), sql`lower(coalesce(${users.name}, ${users.email}))`, asc(memberships.id))
    .limit(limit)
    .offset(offset);
  const [{ n }] = await db
    .select({ n: count() })
    .from(memberships)
    .where(eq(memberships.organizationId, organizationId));
  return { rows, total: Number(n) };
}

const factsColumns = {
  membershipId: memberships.id,
  userId: memberships.userId,
  organizationId: memberships.organizationId,
  roleId: roles.id,
  roleName: roles.name,
  roleOrganizationId: roles.organizationId,
  roleIsSystem: roles.isSystem,
  roleIsDefault: roles.isDefault,
};

type FactsSelect = { [K in keyof typeof factsColumns]: (typeof factsColumns)[K]["_"]["data"] };

function toFacts(r: FactsSelect): MemberFactsRow {
  return {
    membershipId: r.membershipId,
    userId: r.userId,
    organizationId: r.organizationId,
    role: {
      id: r.roleId,
      name: r.roleName,
      organizationId: r.roleOrganizationId,
      isSystem: r.roleIsSystem,
      isDefault: r.roleIsDefault,
    },
  };
}

/** One membership of this organization with its role, or null (missing or another organization's). */
export async function findMemberFacts(
  db: DbOrTx,
  organizationId: string,
  membershipId: string,
): Promise<MemberFactsRow | null> {
  const [row] = await db
    .select(factsColumns)
    .from(memberships)
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(and(eq(memberships.id, membershipId), eq(memberships.organizationId, organizationId)))
    .limit(1);
  return row ? toFacts(row) : null;
}

/** The memberships holding the Admin system role (all the last-admin rules need). */
export async function listAdminMembers(db: DbOrTx, organizationId: string): Promise<MemberFactsRow[]> {
  const rows = await db
    .select(factsColumns)
    .from(memberships)
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(and(eq(memberships.organizationId, organizationId), eq(roles.isSystem, true), eq(roles.name, "Admin")));
  return rows.map(toFacts);
}

export async function countMembers(db: DbOrTx, organizationId: string): Promise<number> {
  const [{ n }] = await db
    .select({ n: count() })
    .from(memberships)
    .where(eq(memberships.organizationId, organizationId));
  return Number(n);
}

/** Whether a user with this e-mail (any case) is a member of the organization. */
export async function isMemberByEmail(db: DbOrTx, organizationId: string, email: string): Promise<boolean> {
  const [row] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, organizationId), sql`lower(${users.email}) = ${email.toLowerCase()}`))
    .limit(1);
  return Boolean(row);
}

/**
 * Adds a membership with `roleId` (accepting an invitation). The role must already have been checked to belong to
 * `organizationId`. Null when the user is already a member.
 */
export async function addMembership(
  db: DbOrTx,
  organizationId: string,
  userId: string,
  roleId: string,
): Promise<string | null> {
  const [row] = await db
    .insert(memberships)
    .values({ userId, organizationId, roleId })
    .onConflictDoNothing({ target: [memberships.userId, memberships.organizationId] })
    .returning({ id: memberships.id });
  return row?.id ?? null;
}

/** Changes a member's role. Both ids must belong to `organizationId` (checked by the caller's rules, enforced here). */
export async function setMemberRole(
  db: DbOrTx,
  organizationId: string,
  membershipId: string,
  roleId: string,
): Promise<boolean> {
  const [role] = await db
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.id, roleId), eq(roles.organizationId, organizationId)))
    .limit(1);
  if (!role) return false;
  const updated = await db
    .update(memberships)
    .set({ roleId })
    .where(and(eq(memberships.id, membershipId), eq(memberships.organizationId, organizationId)))
    .returning({ id: memberships.id });
  return updated.length === 1;
}

export async function deleteMembership(db: DbOrTx, organizationId: string, membershipId: string): Promise<boolean> {
  const deleted = await db
    .delete(memberships)
    .where(and(eq(memberships.id, membershipId), eq(memberships.organizationId, organizationId)))
    .returning({ id: memberships.id });
  return deleted.length === 1;
}

/** Display name and e-mail of a member (for audit details and messages). */
export async function findMemberIdentity(db: DbOrTx, organizationId: string, membershipId: string) {
  const [row] = await db
    .select({ name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.id, membershipId), eq(memberships.organizationId, organizationId)))
    .limit(1);
  return row ?? null;
}
