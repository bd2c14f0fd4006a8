/**
 * Members of an organization (Membership ↔ User ↔ Role). Every helper takes `organizationId` and puts it in the
 * WHERE, so an id from another organization simply finds nothing. Helpers take `DbOrTx`: the admin routes run
 * them inside one transaction together with the AuditLog row.
 */
import { and, asc, count, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { memberships, organizations, roles, users } from "../schema";

/** What the role rules (app/lib/role-rules.ts) need to know about a membership. */
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
  await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, organizationId)).for("update");
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
  /** null = invited, has not signed up yet. */
  emailVerified: Date | null;
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
      emailVerified: users.emailVerified,
      joinedAt: users.createdAt,
      roleId: roles.id,
      roleName: roles.name,
      roleIsSystem: roles.isSystem,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(roles, and(eq(roles.id, memberships.roleId), eq(roles.organizationId, organizationId)))
    .where(eq(memberships.organizationId, organizationId))
    .orderBy(asc(roles.name), sql`lower(coalesce(${users.name}, ${users.email}))`, asc(memberships.id))
    .limit(limit)
    .offset(offset);
  const [{ n }] = await db.select({ n: count() }).from(memberships).where(eq(memberships.organizationId, organizationId));
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
    role: { id: r.roleId, name: r.roleName, organizationId: r.roleOrganizationId, isSystem: r.roleIsSystem, isDefault: r.roleIsDefault },
  };
}

/** One membership of this organization with its role, or null (missing or another organization's). */
export async function findMemberFacts(db: DbOrTx, organizationId: string, membershipId: string): Promise<MemberFactsRow | null> {
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
  const [{ n }] = await db.select({ n: count() }).from(memberships).where(eq(memberships.organizationId, organizationId));
  return Number(n);
}

export type InviteResult =
  | { status: "conflict" }
  | { status: "created"; membershipId: string; userId: string; email: string; name: string | null; isInvitation: boolean };

/**
 * Adds a person by e-mail (admin.inviteUser): finds the user or creates one with emailVerified null (a pending
 * invitation; name = given name or the e-mail's local part), then creates the membership with `roleId`.
 * The role must already have been checked to belong to `organizationId`. Conflict when already a member.
 */
export async function inviteMember(
  db: DbOrTx,
  organizationId: string,
  input: { email: string; name?: string | null; roleId: string },
): Promise<InviteResult> {
  const email = input.email.trim().toLowerCase();
  let [user] = await db
    .select({ id: users.id, name: users.name, emailVerified: users.emailVerified })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`)
    .limit(1);
  if (!user) {
    const name = input.name?.trim() || email.split("@")[0] || null;
    [user] = await db
      .insert(users)
      .values({ email, name, emailVerified: null })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id, name: users.name, emailVerified: users.emailVerified });
    // Lost a race with a concurrent sign-up or invitation: read the row that won.
    user ??= (
      await db
        .select({ id: users.id, name: users.name, emailVerified: users.emailVerified })
        .from(users)
        .where(eq(users.email, email))
        .limit(1)
    )[0];
  }
  const [membership] = await db
    .insert(memberships)
    .values({ userId: user.id, organizationId, roleId: input.roleId })
    .onConflictDoNothing({ target: [memberships.userId, memberships.organizationId] })
    .returning({ id: memberships.id });
  if (!membership) return { status: "conflict" };
  return { status: "created", membershipId: membership.id, userId: user.id, email, name: user.name, isInvitation: user.emailVerified === null };
}

/** Changes a member's role. Both ids must belong to `organizationId` (checked by the caller's rules, enforced here). */
export async function setMemberRole(db: DbOrTx, organizationId: string, membershipId: string, roleId: string): Promise<boolean> {
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
    .select({ name: users.name, email: users.email, emailVerified: users.emailVerified })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.id, membershipId), eq(memberships.organizationId, organizationId)))
    .limit(1);
  return row ?? null;
}
