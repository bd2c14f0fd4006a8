/**
 * Roles and their permissions: the role list, one role's editor, and the four writes (create, rename or make
 * default, replace the permissions, delete moving the members). Each write locks the organization's role changes
 * (db/queries/members.server.ts lockOrganizationForRoleChanges), reads the rows, asks core/role-rules.ts (delegation
 * included: docs/decisions/012-permission-delegation.md), writes and records one AuditLog row, all in one
 * transaction; a refusal throws a Failure and writes nothing.
 */
import { z } from "zod";
import {
  ALL_PERMISSION_NAMES,
  PERMISSION_DESCRIPTIONS,
  ROLE_TEMPLATES,
  isPublicPermission,
} from "../../core/permissions";
import {
  MESSAGES,
  controlRefusal,
  effectivePermissions,
  grantRefusal,
  isAdminRole,
  isUnauthenticatedRole,
  nameTakenFailure,
  normalizePermissionSelection,
  permissionChoices,
  validateRoleCreation,
  validateRoleDeletion,
  validateRoleName,
  validateRoleUpdate,
  type ActorFacts,
  type RoleFacts,
  type RoleUpdateInput,
} from "../../core/role-rules";
import { fail } from "../../core/failure";
import { isUniqueViolation } from "../../db/pg-errors.server";
import { listAdminMembers, lockOrganizationForRoleChanges } from "../../db/queries/members.server";
import {
  countRoleMembers,
  createRole as insertRole,
  deleteRoleReassigning,
  findRoleDetail,
  findRoleFacts,
  listOtherRoleNames,
  listRolePermissionNames,
  listRoles,
  setRolePermissions,
  touchRole,
  updateRoleSettings,
} from "../../db/queries/roles.server";
import { withTransaction } from "../../db/transaction.server";
import type { DbOrTx } from "../lib/db.server";
import { requireCan, type Actor } from "./actor";
import { auditBy } from "./audit.server";

// ---------------------------------------------------------------------------------------------------------------
// Input

/** Role names: 1–50 characters after trimming; inner whitespace collapsed. */
const roleName = z
  .string({ error: "Give the role a name" })
  .trim()
  .min(1, "Give the role a name")
  .max(50, "Keep the name under 50 characters")
  .transform((v) => v.replace(/\s+/g, " "));

/** An HTML checkbox: "on" when ticked, absent otherwise. */
const checkbox = z
  .string()
  .max(10)
  .optional()
  .transform((v) => v === "on" || v === "true");

export const createRoleInput = z.object({
  name: roleName,
  template: z.enum(["MEMBER", "blank"], { error: "Choose how to start" }),
  isDefault: checkbox,
});

export const roleSettingsInput = z.object({ name: roleName, isDefault: checkbox });

const UNREADABLE_PERMISSIONS = "The permission list could not be read.";

/** The ticked boxes: none, one or several `permission` values (unknown names are dropped when saving). */
export const rolePermissionsInput = z.object({
  permission: z
    .union(
      [
        z.string().max(64, UNREADABLE_PERMISSIONS),
        z.array(z.string().max(64, UNREADABLE_PERMISSIONS)).max(100, UNREADABLE_PERMISSIONS),
      ],
      {
        error: UNREADABLE_PERMISSIONS,
      },
    )
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
});

export const deleteRoleInput = z.object({
  reassignRoleId: z
    .string({ error: "Choose the role the members should move to." })
    .trim()
    .max(64, "Choose the role the members should move to.")
    .optional()
    .transform((v) => v || undefined),
});

export type CreateRoleInput = z.infer<typeof createRoleInput>;
export type RoleSettingsInput = z.infer<typeof roleSettingsInput>;

// ---------------------------------------------------------------------------------------------------------------
// Shared with the members and invitations use cases

/** The acting person as the delegation rules (core/role-rules.ts) see them. */
export function actorFacts(actor: Actor): ActorFacts {
  return { userId: actor.user?.id ?? "", isAdmin: actor.isAdmin, permissions: actor.permissions };
}

/** Effective permissions of a role as stored now (none for a missing role). */
export async function permissionsOf(db: DbOrTx, organizationId: string, role: RoleFacts | null): Promise<Set<string>> {
  return role
    ? effectivePermissions(role, await listRolePermissionNames(db, organizationId, role.id))
    : new Set<string>();
}

// ---------------------------------------------------------------------------------------------------------------
// Page reads (listing is open to organization:manage as in the original's role.list; changing needs role:manage)

export async function loadRolesPage(actor: Actor) {
  requireCan(actor, "role:manage", "organization:manage");
  const roles = await listRoles(actor.db, actor.organizationId);
  return {
    canManage: actor.can("role:manage"),
    yourRoleId: actor.membership?.roleId ?? null,
    roles: roles.map((r) => ({
      id: r.id,
      name: r.name,
      isSystem: r.isSystem,
      isDefault: r.isDefault,
      isAdmin: isAdminRole(r),
      memberCount: r.memberCount,
      permissionCount: effectivePermissions(r, r.permissions).size,
    })),
    totalPermissions: ALL_PERMISSION_NAMES.length,
  };
}

/** One role's editor: the boxes the actor may tick (the same rules as the writes) and where its members may move. */
export async function loadRolePage(actor: Actor, roleId: string) {
  requireCan(actor, "role:manage", "organization:manage");
  const { db, organizationId } = actor;
  const role = await findRoleDetail(db, organizationId, roleId);
  if (!role) throw fail.notFound(MESSAGES.roleNotFound);
  const facts = actorFacts(actor);
  const canManage = actor.can("role:manage");
  const effective = effectivePermissions(role, role.permissions);
  const control = controlRefusal(facts, role, effective);
  const others = (await listRoles(db, organizationId)).filter(
    (r) =>
      r.id !== role.id && !isUnauthenticatedRole(r) && !grantRefusal(facts, r, effectivePermissions(r, r.permissions)),
  );
  return {
    role: {
      id: role.id,
      name: role.name,
      isSystem: role.isSystem,
      isDefault: role.isDefault,
      isAdmin: isAdminRole(role),
      isUnauthenticated: isUnauthenticatedRole(role),
      memberCount: role.memberCount,
      permissions: [...effective],
      /** Unauthenticated only: stored permissions that the access check never gives visitors (saving drops them). */
      ignored: isUnauthenticatedRole(role) ? [...effective].filter((p) => !isPublicPermission(p)) : [],
    },
    canManage,
    /** May this visitor change this role at all (delegation rule)? */
    canEdit: canManage && !isAdminRole(role) && !control,
    lockedReason: canManage && !isAdminRole(role) && control ? control.message : null,
    choices: permissionChoices(facts, role),
    isYourRole: actor.membership?.roleId === role.id,
    reassignOptions: others.map((r) => ({ id: r.id, name: r.name, isDefault: r.isDefault })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Writes

/** A name taken by a concurrent change (the unique index) is the same refusal as one the rule saw. */
async function withNameIndex<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTakenFailure();
    throw error;
  }
}

export async function createRole(actor: Actor, input: CreateRoleInput): Promise<{ roleId: string }> {
  requireCan(actor, "role:manage");
  const { organizationId } = actor;
  const permissions =
    input.template === "MEMBER" ? normalizePermissionSelection(ROLE_TEMPLATES.MEMBER.permissions) : [];
  return withNameIndex(() =>
    withTransaction(actor.db, async (tx) => {
      await lockOrganizationForRoleChanges(tx, organizationId);
      validateRoleName({ name: input.name, otherNames: await listOtherRoleNames(tx, organizationId) });
      validateRoleCreation({ actor: actorFacts(actor), permissions: new Set(permissions) });
      const role = await insertRole(tx, organizationId, { name: input.name, isDefault: input.isDefault, permissions });
      await auditBy(tx, actor, {
        action: "role.created",
        targetType: "Role",
        targetId: role.id,
        meta: { name: input.name, template: input.template, isDefault: input.isDefault, permissions },
      });
      return { roleId: role.id };
    }),
  );
}

/**
 * Locks the organization's roles, then checks that the actor may make `changes` to the role (throws otherwise);
 * answers with the facts checked.
 */
async function lockRoleForUpdate(tx: DbOrTx, actor: Actor, roleId: string, changes: RoleUpdateInput["changes"]) {
  const { organizationId } = actor;
  await lockOrganizationForRoleChanges(tx, organizationId);
  const role = await findRoleFacts(tx, organizationId, roleId);
  const rule = {
    organizationId,
    actor: actorFacts(actor),
    role,
    currentPermissions: await permissionsOf(tx, organizationId, role),
    changes,
  };
  validateRoleUpdate(rule);
  return rule;
}

/** Renames the role or makes it the default; answers with the message the page shows. */
export async function saveRoleSettings(actor: Actor, roleId: string, input: RoleSettingsInput): Promise<string> {
  requireCan(actor, "role:manage");
  const { organizationId } = actor;
  return withNameIndex(() =>
    withTransaction(actor.db, async (tx) => {
      const rule = await lockRoleForUpdate(tx, actor, roleId, input);
      if (input.name !== rule.role.name) {
        validateRoleName({ name: input.name, otherNames: await listOtherRoleNames(tx, organizationId, roleId) });
      }
      if (input.name === rule.role.name && input.isDefault === rule.role.isDefault) return "Nothing to change.";
      await updateRoleSettings(tx, organizationId, roleId, input);
      await auditBy(tx, actor, {
        action: "role.updated",
        targetType: "Role",
        targetId: roleId,
        meta: { from: { name: rule.role.name, isDefault: rule.role.isDefault }, to: input },
      });
      return "Role saved.";
    }),
  );
}

/**
 * Replaces the role's permissions with the ticked ones plus what they need; the message names what was added for
 * them.
 */
export async function saveRolePermissions(actor: Actor, roleId: string, submitted: readonly string[]): Promise<string> {
  requireCan(actor, "role:manage");
  const { organizationId } = actor;
  const selection = normalizePermissionSelection(submitted);
  await withTransaction(actor.db, async (tx) => {
    const rule = await lockRoleForUpdate(tx, actor, roleId, { permissions: selection });
    const before = await listRolePermissionNames(tx, organizationId, roleId);
    await setRolePermissions(tx, organizationId, roleId, selection);
    await touchRole(tx, organizationId, roleId);
    const beforeSet = new Set(before);
    const afterSet = new Set<string>(selection);
    await auditBy(tx, actor, {
      action: "role.permissions_changed",
      targetType: "Role",
      targetId: roleId,
      meta: {
        name: rule.role.name,
        added: selection.filter((p) => !beforeSet.has(p)),
        removed: before.filter((p) => !afterSet.has(p)),
      },
    });
  });
  const added = selection.filter((p) => !submitted.includes(p));
  if (added.length === 0) return "Permissions saved.";
  return `Permissions saved. Also granted because other permissions need them: ${added.map((p) => PERMISSION_DESCRIPTIONS[p]).join("; ")}.`;
}

/** Deletes a custom role, moving its members to `reassignRoleId` (required when it has members). */
export async function deleteRole(
  actor: Actor,
  roleId: string,
  reassignRoleId: string | undefined,
): Promise<{ name: string }> {
  requireCan(actor, "role:manage");
  const { organizationId } = actor;
  return withTransaction(actor.db, async (tx) => {
    await lockOrganizationForRoleChanges(tx, organizationId);
    const role = await findRoleFacts(tx, organizationId, roleId);
    const reassignRole = reassignRoleId ? await findRoleFacts(tx, organizationId, reassignRoleId) : null;
    const memberCount = role ? await countRoleMembers(tx, organizationId, roleId) : 0;
    const rule = {
      organizationId,
      actor: actorFacts(actor),
      role,
      rolePermissions: await permissionsOf(tx, organizationId, role),
      reassignRole,
      reassignPermissions: await permissionsOf(tx, organizationId, reassignRole),
      reassignRequested: Boolean(reassignRoleId),
      memberCount,
      members: await listAdminMembers(tx, organizationId),
    };
    validateRoleDeletion(rule);
    const moveTo = memberCount > 0 ? reassignRole : null;
    const result = await deleteRoleReassigning(tx, organizationId, roleId, moveTo?.id ?? null);
    await auditBy(tx, actor, {
      action: "role.deleted",
      targetType: "Role",
      targetId: roleId,
      meta: {
        name: rule.role.name,
        moved: result.moved,
        reassignedTo: moveTo?.name ?? null,
        invitationsWithdrawn: result.invitations,
      },
    });
    return { name: rule.role.name };
  });
}
