/**
 * What the members page (app/routes/admin.members.tsx) does: invite by link, replace or revoke a link, change a
 * member's role, remove a member. Each runs in one transaction that locks the organization's role changes, asks the
 * rules of core/role-rules.ts (delegation included) with the rows it just read, writes, and records one AuditLog
 * row. A refusal writes nothing.
 */
import { recordAudit } from "../../db/queries/audit.server";
import { createInvitation, findInvitation, listPendingInvitations, replaceInvitationToken, revokeInvitation } from "../../db/queries/invitations.server";
import {
  deleteMembership,
  findMemberFacts,
  findMemberIdentity,
  isMemberByEmail,
  listAdminMembers,
  listMembers,
  lockOrganizationForRoleChanges,
  setMemberRole,
} from "../../db/queries/members.server";
import { findRoleFacts, listRolePermissionNames, listRoles } from "../../db/queries/roles.server";
import { actorFacts, type Access } from "./access.server";
import { withTransaction, type DbOrTx } from "./db.server";
import { INVITATION_TTL_MS, invitationLink, newInvitationToken } from "./invitations.server";
import { formatDateTime } from "~/lib/format";
import {
  checkControl,
  checkGrant,
  effectivePermissions,
  isUnauthenticatedRole,
  validateInviteRole,
  validateMemberRemoval,
  validateRoleChange,
  type RoleFacts,
  type RuleStatus,
} from "../../core/role-rules";

export type AdminOutcome =
  | { ok: true; message: string; link?: { url: string; email: string; expiresAt: string } }
  | { ok: false; status: RuleStatus; error: string; field?: string };

const refused = (status: RuleStatus, error: string, field?: string): AdminOutcome => ({ ok: false, status, error, field });

interface Ctx {
  access: Access;
  request: Request;
  ipAddress: string | null;
}

async function permissionsOf(tx: DbOrTx, organizationId: string, role: RoleFacts | null): Promise<Set<string>> {
  return role ? effectivePermissions(role, await listRolePermissionNames(tx, organizationId, role.id)) : new Set<string>();
}

const INVITATION_NOT_FOUND = "That invitation does not exist or is no longer pending.";

/** Invites an address with a role; the answer carries the link, shown once. */
export async function inviteByEmail(ctx: Ctx, input: { email: string; roleId: string }): Promise<AdminOutcome> {
  const { db, organizationId } = ctx.access;
  const actor = actorFacts(ctx.access);
  const email = input.email.trim().toLowerCase();
  const { token, tokenHash } = newInvitationToken();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  return withTransaction(db, async (tx) => {
    await lockOrganizationForRoleChanges(tx, organizationId);
    const role = await findRoleFacts(tx, organizationId, input.roleId);
    const rule = validateInviteRole({ organizationId, actor, role, permissions: await permissionsOf(tx, organizationId, role) });
    if (!rule.ok) return refused(rule.status, rule.error, "roleId");
    if (await isMemberByEmail(tx, organizationId, email)) return refused(409, `${email} is already a member of this organization.`, "email");
    const created = await createInvitation(tx, organizationId, { email, roleId: role!.id, tokenHash, invitedById: actor.userId || null, expiresAt, now });
    if (created.status === "conflict") {
      return refused(409, `${email} already has a pending invitation. Create a new link for it below, or withdraw it.`, "email");
    }
    await recordAudit(tx, {
      organizationId,
      actorId: actor.userId || null,
      action: "invitation.created",
      targetType: "Invitation",
      targetId: created.id,
      meta: { email, role: role!.name, expiresAt: expiresAt.toISOString() },
      ipAddress: ctx.ipAddress,
    });
    return {
      ok: true,
      message: `Invitation for ${email} as ${role!.name} created.`,
      link: { url: invitationLink(ctx.request, token), email, expiresAt: formatDateTime(expiresAt) },
    };
  });
}

/**
 * Replaces the link of a pending invitation (the old one stops working) and resets its expiry. Whoever makes a
 * working link hands out the role, so the delegation rule for giving that role applies.
 */
export async function renewInvitationLink(ctx: Ctx, invitationId: string): Promise<AdminOutcome> {
  const { db, organizationId } = ctx.access;
  const actor = actorFacts(ctx.access);
  const { token, tokenHash } = newInvitationToken();
  const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
  return withTransaction(db, async (tx) => {
    await lockOrganizationForRoleChanges(tx, organizationId);
    const invitation = await findInvitation(tx, organizationId, invitationId);
    if (!invitation || invitation.acceptedAt || invitation.revokedAt) return refused(404, INVITATION_NOT_FOUND);
    const role = await findRoleFacts(tx, organizationId, invitation.roleId);
    const rule = checkGrant(actor, role!, await permissionsOf(tx, organizationId, role));
    if (!rule.ok) return refused(rule.status, rule.error);
    await replaceInvitationToken(tx, organizationId, invitation.id, { tokenHash, expiresAt });
    await recordAudit(tx, {
      organizationId,
      actorId: actor.userId || null,
      action: "invitation.link_renewed",
      targetType: "Invitation",
      targetId: invitation.id,
      meta: { email: invitation.email, role: invitation.roleName, expiresAt: expiresAt.toISOString() },
      ipAddress: ctx.ipAddress,
    });
    return {
      ok: true,
      message: `New link for ${invitation.email} created; the old link no longer works.`,
      link: { url: invitationLink(ctx.request, token), email: invitation.email, expiresAt: formatDateTime(expiresAt) },
    };
  });
}

/** Withdraws a pending invitation: its link stops working. */
export async function withdrawInvitation(ctx: Ctx, invitationId: string): Promise<AdminOutcome> {
  const { db, organizationId } = ctx.access;
  const actor = actorFacts(ctx.access);
  return withTransaction(db, async (tx) => {
    await lockOrganizationForRoleChanges(tx, organizationId);
    const invitation = await findInvitation(tx, organizationId, invitationId);
    if (!invitation || invitation.acceptedAt || invitation.revokedAt) return refused(404, INVITATION_NOT_FOUND);
    const role = await findRoleFacts(tx, organizationId, invitation.roleId);
    const rule = checkControl(actor, role!, await permissionsOf(tx, organizationId, role));
    if (!rule.ok) return refused(rule.status, rule.error);
    await revokeInvitation(tx, organizationId, invitation.id, new Date());
    await recordAudit(tx, {
      organizationId,
      actorId: actor.userId || null,
      action: "invitation.revoked",
      targetType: "Invitation",
      targetId: invitation.id,
      meta: { email: invitation.email, role: invitation.roleName },
      ipAddress: ctx.ipAddress,
    });
    return { ok: true, message: `The invitation for ${invitation.email} was withdrawn; its link no longer works.` };
  });
}

export async function changeMemberRole(ctx: Ctx, input: { membershipId: string; roleId: string }): Promise<AdminOutcome> {
  const { db, organizationId } = ctx.access;
  const actor = actorFacts(ctx.access);
  return withTransaction(db, async (tx) => {
    await lockOrganizationForRoleChanges(tx, organizationId);
    const target = await findMemberFacts(tx, organizationId, input.membershipId);
    const newRole = await findRoleFacts(tx, organizationId, input.roleId);
    const rule = validateRoleChange({
      organizationId,
      actor,
      target,
      targetPermissions: await permissionsOf(tx, organizationId, target?.role ?? null),
      newRole,
      newRolePermissions: await permissionsOf(tx, organizationId, newRole),
      members: await listAdminMembers(tx, organizationId),
    });
    if (!rule.ok) return refused(rule.status, rule.error);
    await setMemberRole(tx, organizationId, input.membershipId, newRole!.id);
    const who = await findMemberIdentity(tx, organizationId, input.membershipId);
    await recordAudit(tx, {
      organizationId,
      actorId: actor.userId || null,
      action: "membership.role_changed",
      targetType: "Membership",
      targetId: input.membershipId,
      meta: { userId: target!.userId, from: target!.role.name, to: newRole!.name },
      ipAddress: ctx.ipAddress,
    });
    return { ok: true, message: `${who?.name ?? who?.email ?? "The member"} is now ${newRole!.name}.` };
  });
}

export async function removeMember(ctx: Ctx, membershipId: string): Promise<AdminOutcome> {
  const { db, organizationId } = ctx.access;
  const actor = actorFacts(ctx.access);
  return withTransaction(db, async (tx) => {
    await lockOrganizationForRoleChanges(tx, organizationId);
    const target = await findMemberFacts(tx, organizationId, membershipId);
    const rule = validateMemberRemoval({
      organizationId,
      actor,
      target,
      targetPermissions: await permissionsOf(tx, organizationId, target?.role ?? null),
      members: await listAdminMembers(tx, organizationId),
    });
    if (!rule.ok) return refused(rule.status, rule.error);
    const who = await findMemberIdentity(tx, organizationId, membershipId);
    await deleteMembership(tx, organizationId, membershipId);
    await recordAudit(tx, {
      organizationId,
      actorId: actor.userId || null,
      action: "membership.removed",
      targetType: "Membership",
      targetId: membershipId,
      meta: { userId: target!.userId, role: target!.role.name, email: who?.email ?? null },
      ipAddress: ctx.ipAddress,
    });
    return { ok: true, message: `${who?.name ?? who?.email ?? "The member"} was removed.` };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The members page's data: what the actor may do to each row is decided by the same rules as the actions.

export const MEMBERS_PAGE_SIZE = 50;

export async function membersPage(access: Access, page: number) {
  const { db, organizationId } = access;
  const actor = actorFacts(access);
  const now = new Date();
  const [{ rows, total }, roles, pending] = await Promise.all([
    listMembers(db, organizationId, { limit: MEMBERS_PAGE_SIZE, offset: (page - 1) * MEMBERS_PAGE_SIZE }),
    listRoles(db, organizationId),
    listPendingInvitations(db, organizationId),
  ]);
  const byId = new Map(roles.map((r) => [r.id, { role: r, permissions: effectivePermissions(r, r.permissions) }]));
  const grantable = roles.filter((r) => !isUnauthenticatedRole(r) && checkGrant(actor, r, byId.get(r.id)!.permissions).ok);
  const controllable = (roleId: string) => {
    const entry = byId.get(roleId);
    return entry ? checkControl(actor, entry.role, entry.permissions) : { ok: false as const, error: "" };
  };
  return {
    members: rows.map((m) => {
      const control = controllable(m.roleId);
      const isYou = m.userId === actor.userId;
      return {
        membershipId: m.membershipId,
        name: m.name,
        email: m.email,
        neverSignedUp: !m.hasPassword,
        roleId: m.roleId,
        roleName: m.roleName,
        isYou,
        canManage: !isYou && control.ok,
        lockedReason: isYou ? "You cannot change your own role." : control.ok ? undefined : control.error,
      };
    }),
    invitations: pending.map((i) => ({
      id: i.id,
      email: i.email,
      roleName: i.roleName,
      invitedByName: i.invitedByName,
      expiresAt: formatDateTime(i.expiresAt),
      expiresIso: i.expiresAt.toISOString(),
      expired: i.expiresAt.getTime() <= now.getTime(),
      canRenew: checkGrant(actor, byId.get(i.roleId)!.role, byId.get(i.roleId)!.permissions).ok,
      canRevoke: controllable(i.roleId).ok,
    })),
    roles: grantable.map((r) => ({ id: r.id, name: r.name })),
    defaultRoleId: grantable.find((r) => r.isDefault && !r.isSystem)?.id ?? grantable.find((r) => !r.isSystem)?.id ?? grantable[0]?.id ?? "",
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / MEMBERS_PAGE_SIZE)),
  };
}
