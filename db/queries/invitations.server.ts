/**
 * Invitations to join an organization (the Invitation table). Every helper takes `organizationId` and puts it in the
 * WHERE. Only token hashes are stored and looked up; the tokens themselves are made and shown by
 * app/use-cases/invitations.server.ts. "Pending" = neither accepted nor revoked; whether it has expired is decided by the
 * caller's clock (`now`).
 */
import { and, asc, eq, gt, isNull, lte } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { invitations, organizations, roles, users } from "../schema";

const pending = and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt));

export interface InvitationRow {
  id: string;
  organizationId: string;
  email: string;
  roleId: string;
  roleName: string;
  roleIsSystem: boolean;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

const columns = {
  id: invitations.id,
  organizationId: invitations.organizationId,
  email: invitations.email,
  roleId: invitations.roleId,
  roleName: roles.name,
  roleIsSystem: roles.isSystem,
  createdAt: invitations.createdAt,
  expiresAt: invitations.expiresAt,
  acceptedAt: invitations.acceptedAt,
  revokedAt: invitations.revokedAt,
};

/** The pending invitation of an address in this organization (expired or not), or null. */
export async function findPendingInvitationByEmail(
  db: DbOrTx,
  organizationId: string,
  email: string,
): Promise<InvitationRow | null> {
  const [row] = await db
    .select(columns)
    .from(invitations)
    .innerJoin(roles, eq(roles.id, invitations.roleId))
    .where(and(eq(invitations.organizationId, organizationId), eq(invitations.email, email.toLowerCase()), pending))
    .limit(1);
  return row ?? null;
}

/** One invitation of this organization by id, or null. */
export async function findInvitation(
  db: DbOrTx,
  organizationId: string,
  invitationId: string,
): Promise<InvitationRow | null> {
  const [row] = await db
    .select(columns)
    .from(invitations)
    .innerJoin(roles, eq(roles.id, invitations.roleId))
    .where(and(eq(invitations.id, invitationId), eq(invitations.organizationId, organizationId)))
    .limit(1);
  return row ?? null;
}

export interface InvitationByToken extends InvitationRow {
  organizationName: string;
}

/** The invitation whose token hashes to `tokenHash`, in this organization only (a link of another one is not found). */
export async function findInvitationByTokenHash(
  db: DbOrTx,
  organizationId: string,
  tokenHash: string,
): Promise<InvitationByToken | null> {
  const [row] = await db
    .select({ ...columns, organizationName: organizations.name })
    .from(invitations)
    .innerJoin(roles, eq(roles.id, invitations.roleId))
    .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
    .where(and(eq(invitations.tokenHash, tokenHash), eq(invitations.organizationId, organizationId)))
    .limit(1);
  return row ?? null;
}

export interface PendingInvitationListRow {
  id: string;
  email: string;
  roleId: string;
  roleName: string;
  invitedByName: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** Pending invitations of the organization, oldest first (expired ones included: the page marks them). */
export async function listPendingInvitations(
  db: DbOrTx,
  organizationId: string,
  limit = 200,
): Promise<PendingInvitationListRow[]> {
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      roleId: invitations.roleId,
      roleName: roles.name,
      invitedByName: users.name,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .innerJoin(roles, and(eq(roles.id, invitations.roleId), eq(roles.organizationId, organizationId)))
    .leftJoin(users, eq(users.id, invitations.invitedById))
    .where(and(eq(invitations.organizationId, organizationId), pending))
    .orderBy(asc(invitations.createdAt), asc(invitations.id))
    .limit(limit);
}

/**
 * Creates a pending invitation. An earlier pending invitation of the same address that has expired is revoked first
 * (so the address can be invited again); an unexpired one makes this a conflict. Call inside a transaction that
 * holds lockOrganizationForRoleChanges (db/queries/members.server.ts), so two invitations of one address cannot race past
 * the check (the partial unique index would then refuse the second). The role must already have been checked to
 * belong to `organizationId`.
 */
export async function createInvitation(
  db: DbOrTx,
  organizationId: string,
  input: { email: string; roleId: string; tokenHash: string; invitedById: string | null; expiresAt: Date; now: Date },
): Promise<{ status: "created"; id: string } | { status: "conflict" }> {
  const email = input.email.toLowerCase();
  await db
    .update(invitations)
    .set({ revokedAt: input.now })
    .where(
      and(
        eq(invitations.organizationId, organizationId),
        eq(invitations.email, email),
        pending,
        lte(invitations.expiresAt, input.now),
      ),
    );
  if (await findPendingInvitationByEmail(db, organizationId, email)) return { status: "conflict" };
  const [row] = await db
    .insert(invitations)
    .values({
      organizationId,
      email,
      roleId: input.roleId,
      tokenHash: input.tokenHash,
      invitedById: input.invitedById,
      expiresAt: input.expiresAt,
    })
    .returning({ id: invitations.id });
  return { status: "created", id: row.id };
}

/** Gives a pending invitation a new token and expiry (the old link stops working). False when not pending. */
export async function replaceInvitationToken(
  db: DbOrTx,
  organizationId: string,
  invitationId: string,
  input: { tokenHash: string; expiresAt: Date },
): Promise<boolean> {
  const rows = await db
    .update(invitations)
    .set({ tokenHash: input.tokenHash, expiresAt: input.expiresAt })
    .where(and(eq(invitations.id, invitationId), eq(invitations.organizationId, organizationId), pending))
    .returning({ id: invitations.id });
  return rows.length === 1;
}

/** Revokes a pending invitation (its link stops working). False when not pending. */
export async function revokeInvitation(
  db: DbOrTx,
  organizationId: string,
  invitationId: string,
  now: Date,
): Promise<boolean> {
  const rows = await db
    .update(invitations)
    .set({ revokedAt: now })
    .where(and(eq(invitations.id, invitationId), eq(invitations.organizationId, organizationId), pending))
    .returning({ id: invitations.id });
  return rows.length === 1;
}

/**
 * Marks the invitation accepted by `userId`, only if it is still pending and unexpired at `now`: the one statement
 * that makes a link single-use (two concurrent accepts cannot both succeed). False when it was not.
 */
export async function markInvitationAccepted(
  db: DbOrTx,
  organizationId: string,
  invitationId: string,
  userId: string,
  now: Date,
): Promise<boolean> {
  const rows = await db
    .update(invitations)
    .set({ acceptedAt: now, acceptedById: userId })
    .where(
      and(
        eq(invitations.id, invitationId),
        eq(invitations.organizationId, organizationId),
        pending,
        gt(invitations.expiresAt, now),
      ),
    )
    .returning({ id: invitations.id });
  return rows.length === 1;
}
