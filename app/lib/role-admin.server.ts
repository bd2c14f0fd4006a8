/**
 * What the role pages (app/routes/admin.roles._index.tsx, admin.roles.$roleId.tsx) do: create a role, rename it or
 * make it the default, replace its permissions, delete it moving its members. Each runs in one transaction that
 * locks the organization's role changes, asks the rules of core/role-rules.ts (delegation included) with the rows
 * it just read, writes, and records one AuditLog row. A refusal writes nothing.
 */
import { ROLE_TEMPLATES } from "../../core/permissions";
import { isUniqueViolation } from "../../db/pg-errors.server";
import { recordAudit } from "../../db/queries/audit.server";
import { listAdminMembers, lockOrganizationForRoleChanges } from "../../db/queries/members.server";
import {
  countRoleMembers,
  createRole,
  deleteRoleReassigning,
  findRoleFacts,
  listOtherRoleNames,
  listRolePermissionNames,
  setRolePermissions,
  touchRole,
  updateRoleSettings,
} from "../../db/queries/roles.server";
import { actorFacts, type Access } from "./access.server";
import { withTransaction, type DbOrTx } from "./db.server";
import {
  MESSAGES,
  effectivePermissions,
  normalizePermissionSelection,
  validateRoleCreation,
  validateRoleDeletion,
  validateRoleName,
  validateRoleUpdate,
  type RoleFacts,
  type RuleStatus,
} from "../../core/role-rules";

export type RoleOutcome<T = object> = ({ ok: true } & T) | { ok: false; status: RuleStatus; error: string; field: string };

const refused = (status: RuleStatus, error: string, field = "form") => ({ ok: false as const, status, error, field });

interface Ctx {
  access: Access;
  ipAddress: string | null;
}

async function permissionsOf(tx: DbOrTx, organizationId: string, role: RoleFacts | null): Promise<Set<string>> {
  return role ? effectivePermissions(role, await listRolePermissionNames(tx, organizationId, role.id)) : new Set<string>();
}

export async function createRoleAs(
  ctx: Ctx,
  input: { name: string; template: "MEMBER" | "blank"; isDefault: boolean },
): Promise<RoleOutcome<{ roleId: string }>> {
  const { db, organizationId } = ctx.access;
  const actor = actorFacts(ctx.access);
  const permissions = input.template === "MEMBER" ? normalizePermissionSelection(ROLE_TEMPLATES.MEMBER.permissions) : [];
  try {
    return await withTransaction(db, async (tx) => {
      await lockOrganizationForRoleChanges(tx, organizationId);
      const nameRule = validateRoleName({ name: input.name, otherNames: await listOtherRoleNames(tx, organizationId) });
      if (!nameRule.ok) return refused(nameRule.status, nameRule.error, "name");
      const grant = validateRoleCreation({ actor, permissions: new Set(permissions) });
      if (!grant.ok) return refused(grant.status, grant.error, "template");
      const role = await createRole(tx, organizationId, { name: input.name, isDefault: input.isDefault, permissions });
      await recordAudit(tx, {
        organizationId,
        actorId: actor.userId || null,
        action: "role.created",
        targetType: "Role",
        targetId: role.id,
        meta: { name: input.name, template: input.template, isDefault: input.isDefault, permissions },
        ipAddress: ctx.ipAddress,
      });
      return { ok: true as const, roleId: role.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return refused(409, MESSAGES.nameTaken, "name");
    throw error;
  }
}

export async function saveRoleSettings(ctx: Ctx, roleId: string, input: { name: string; isDefault: boolean }): Promise<RoleOutcome<{ message: string }>> {
  const { db, organizationId } = ctx.access;
  const actor = actorFacts(ctx.access);
  try {
    return await withTransaction(db, async (tx) => {
      await lockOrganizationForRoleChanges(tx, organizationId);
      const role = await findRoleFacts(tx, organizationId, roleId);
      const rule = validateRoleUpdate({
        organizationId,
        actor,
        role,
        currentPermissions: await permissionsOf(tx, organizationId, role),
        changes: input,
      });
      if (!rule.ok) return refused(rule.status, rule.error);
      if (input.name !== role!.name) {
        const nameRule = validateRoleName({ name: input.name, otherNames: await listOtherRoleNames(tx, organizationId, roleId) });
        if (!nameRule.ok) return refused(nameRule.status, nameRule.error, "name");
      }
      if (input.name === role!.name && input.isDefault === role!.isDefault) return { ok: true as const, message: "Nothing to change." };
      await updateRoleSettings(tx, organizationId, roleId, input);
      await recordAudit(tx, {
        organizationId,
        actorId: actor.userId || null,
        action: "role.updated",
        targetType: "Role",
        targetId: roleId,
        meta: { from: { name: role!.name, isDefault: role!.isDefault }, to: input },
        ipAddress: ctx.ipAddress,
      });
      return { ok: true as const, message: "Role saved." };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return refused(409, MESSAGES.nameTaken, "name");
    throw error;
  }
}

/** Replaces the role's permissions with the selection (dependencies added). `added` = what was added for them. */
export async function saveRolePermissions(ctx: Ctx, roleId: string, submitted: readonly string[]): Promise<RoleOutcome<{ added: string[] }>> {
  const { db, organizationId } = ctx.access;
  const actor = actorFacts(ctx.access);
  const selection = normalizePermissionSelection(submitted);
  return withTransaction(db, async (tx) => {
    await lockOrganizationForRoleChanges(tx, organizationId);
    const role = await findRoleFacts(tx, organizationId, roleId);
    const rule = validateRoleUpdate({
      organizationId,
      actor,
      role,
      currentPermissions: await permissionsOf(tx, organizationId, role),
      changes: { permissions: selection },
    });
    if (!rule.ok) return refused(rule.status, rule.error);
    const before = await listRolePermissionNames(tx, organizationId, roleId);
    await setRolePermissions(tx, organizationId, roleId, selection);
    await touchRole(tx, organizationId, roleId);
    const beforeSet = new Set(before);
    const afterSet = new Set<string>(selection);
    await recordAudit(tx, {
      organizationId,
      actorId: actor.userId || null,
      action: "role.permissions_changed",
      targetType: "Role",
      targetId: roleId,
      meta: { name: role!.name, added: selection.filter((p) => !beforeSet.has(p)), removed: before.filter((p) => !afterSet.has(p)) },
      ipAddress: ctx.ipAddress,
    });
    return { ok: true as const, added: selection.filter((p) => !submitted.includes(p)) };
  });
}

export async function deleteRoleAs(ctx: Ctx, roleId: string, reassignRoleId: string | undefined): Promise<RoleOutcome<{ name: string }>> {
  const { db, organizationId } = ctx.access;
  const actor = actorFacts(ctx.access);
  return withTransaction(db, async (tx) => {
    await lockOrganizationForRoleChanges(tx, organizationId);
    const role = await findRoleFacts(tx, organizationId, roleId);
    const reassignRole = reassignRoleId ? await findRoleFacts(tx, organizationId, reassignRoleId) : null;
    const memberCount = role ? await countRoleMembers(tx, organizationId, roleId) : 0;
    const rule = validateRoleDeletion({
      organizationId,
      actor,
      role,
      rolePermissions: await permissionsOf(tx, organizationId, role),
      reassignRole,
      reassignPermissions: await permissionsOf(tx, organizationId, reassignRole),
      reassignRequested: Boolean(reassignRoleId),
      memberCount,
      members: await listAdminMembers(tx, organizationId),
    });
    if (!rule.ok) return refused(rule.status, rule.error, "reassignRoleId");
    const result = await deleteRoleReassigning(tx, organizationId, roleId, memberCount > 0 ? reassignRole!.id : null);
    await recordAudit(tx, {
      organizationId,
      actorId: actor.userId || null,
      action: "role.deleted",
      targetType: "Role",
      targetId: roleId,
      meta: { name: role!.name, moved: result.moved, reassignedTo: memberCount > 0 ? reassignRole!.name : null, invitationsWithdrawn: result.invitations },
      ipAddress: ctx.ipAddress,
    });
    return { ok: true as const, name: role!.name };
  });
}
