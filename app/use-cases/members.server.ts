/**
 * Members of the organization: the members page (members, pending invitations, the roles the actor may give), and
 * changing a member's role or removing them. Each write locks the organization's role changes, reads the rows, asks
 * core/role-rules.ts (last admin, own role, delegation), writes and records one AuditLog row in one transaction; a
 * refusal throws a Failure and writes nothing. Invitations: ./invitations.server.ts.
 */
import { z } from "zod";
import {
  controlRefusal,
  effectivePermissions,
  grantRefusal,
  isUnauthenticatedRole,
  validateMemberRemoval,
  validateRoleChange,
} from "../../core/role-rules";
import { listPendingInvitations } from "../../db/queries/invitations.server";
import {
  deleteMembership,
  findMemberFacts,
  findMemberIdentity,
  listAdminMembers,
  listMembers,
  lockOrganizationForRoleChanges,
  setMemberRole,
} from "../../db/queries/members.server";
import { findRoleFacts, listRoles } from "../../db/queries/roles.server";
import { withTransaction } from "../../db/transaction.server";
import { fields } from "../lib/fields.server";
import { dateFormatterFor } from "../lib/format";
import { requireCan, type Actor } from "./actor";
import { auditBy } from "./audit.server";
import { actorFacts, permissionsOf } from "./roles.server";

export const changeRoleInput = z.object({
  membershipId: fields.id,
  roleId: z.string({ error: "Choose a role" }).trim().min(1, "Choose a role").max(64, "Choose a role"),
});

export const removeMemberInput = z.object({ membershipId: fields.id });

export const MEMBERS_PAGE_SIZE = 50;

/** The members page: what the actor may do to each row is decided by the same rules as the writes. */
export async function loadMembersPage(actor: Actor, page: number) {
  requireCan(actor, "user:manage");
  const { db, organizationId } = actor;
  const facts = actorFacts(actor);
  const now = new Date();
  const [{ rows, total }, roles, pending] = await Promise.all([
    listMembers(db, organizationId, { limit: MEMBERS_PAGE_SIZE, offset: (page - 1) * MEMBERS_PAGE_SIZE }),
    listRoles(db, organizationId),
    listPendingInvitations(db, organizationId),
  ]);
  const byId = new Map(roles.map((r) => [r.id, { role: r, permissions: effectivePermissions(r, r.permissions) }]));
  const grantable = (roleId: string) => {
    const entry = byId.get(roleId);
    return entry ? !grantRefusal(facts, entry.role, entry.permissions) : false;
  };
  // Why the actor may not touch holders of the role ("" for an unknown role), or undefined when they may.
  const controlBlocker = (roleId: string): string | undefined => {
    const entry = byId.get(roleId);
    return entry ? controlRefusal(facts, entry.role, entry.permissions)?.message : "";
  };
  const givable = roles.filter((r) => !isUnauthenticatedRole(r) && grantable(r.id));
  return {
    members: rows.map((m) => {
      const blocked = controlBlocker(m.roleId);
      const isYou = m.userId === facts.userId;
      return {
        membershipId: m.membershipId,
        name: m.name,
        email: m.email,
        neverSignedUp: !m.hasPassword,
        roleId: m.roleId,
        roleName: m.roleName,
        isYou,
        canManage: !isYou && blocked === undefined,
        lockedReason: isYou ? "You cannot change your own role." : blocked || undefined,
      };
    }),
    invitations: pending.map((i) => ({
      id: i.id,
      email: i.email,
      roleName: i.roleName,
      invitedByName: i.invitedByName,
      expiresAt: dateFormatterFor(actor.organization).dateTime(i.expiresAt),
      expiresIso: i.expiresAt.toISOString(),
      expired: i.expiresAt.getTime() <= now.getTime(),
      canRenew: grantable(i.roleId),
      canRevoke: controlBlocker(i.roleId) === undefined,
    })),
    roles: givable.map((r) => ({ id: r.id, name: r.name })),
    defaultRoleId:
      givable.find((r) => r.isDefault && !r.isSystem)?.id ??
      givable.find((r) => !r.isSystem)?.id ??
      givable[0]?.id ??
      "",
    total,
    page,
    pageSize: MEMBERS_PAGE_SIZE,
  };
}

/** Gives a member another role; answers with the message the page shows. */
export async function changeMemberRole(actor: Actor, input: z.infer<typeof changeRoleInput>): Promise<string> {
  requireCan(actor, "user:manage");
  const { organizationId } = actor;
  return withTransaction(actor.db, async (tx) => {
    await lockOrganizationForRoleChanges(tx, organizationId);
    const target = await findMemberFacts(tx, organizationId, input.membershipId);
    const newRole = await findRoleFacts(tx, organizationId, input.roleId);
    const rule = {
      organizationId,
      actor: actorFacts(actor),
      target,
      targetPermissions: await permissionsOf(tx, organizationId, target?.role ?? null),
      newRole,
      newRolePermissions: await permissionsOf(tx, organizationId, newRole),
      members: await listAdminMembers(tx, organizationId),
    };
    validateRoleChange(rule);
    await setMemberRole(tx, organizationId, input.membershipId, rule.newRole.id);
    const who = await findMemberIdentity(tx, organizationId, input.membershipId);
    await auditBy(tx, actor, {
      action: "membership.role_changed",
      targetType: "Membership",
      targetId: input.membershipId,
      meta: { userId: rule.target.userId, from: rule.target.role.name, to: rule.newRole.name },
    });
    return `${who?.name ?? who?.email ?? "The member"} is now ${rule.newRole.name}.`;
  });
}

/** Removes a member from the organization (their account stays); answers with the message the page shows. */
export async function removeMember(actor: Actor, membershipId: string): Promise<string> {
  requireCan(actor, "user:manage");
  const { organizationId } = actor;
  return withTransaction(actor.db, async (tx) => {
    await lockOrganizationForRoleChanges(tx, organizationId);
    const target = await findMemberFacts(tx, organizationId, membershipId);
    const rule = {
      organizationId,
      actor: actorFacts(actor),
      target,
      targetPermissions: await permissionsOf(tx, organizationId, target?.role ?? null),
      members: await listAdminMembers(tx, organizationId),
    };
    validateMemberRemoval(rule);
    const who = await findMemberIdentity(tx, organizationId, membershipId);
    await deleteMembership(tx, organizationId, membershipId);
    await auditBy(tx, actor, {
      action: "membership.removed",
      targetType: "Membership",
      targetId: membershipId,
      meta: { userId: rule.target.userId, role: rule.target.role.name, email: who?.email ?? null },
    });
    return `${who?.name ?? who?.email ?? "The member"} was removed.`;
  });
}
