/**
 * Roles of an organization and their permissions. Every helper takes `organizationId` and scopes by it; the
 * permission rows themselves are the global catalogue (db/permissions.ts), joined through `_RolePermissions`.
 * The safety rules (Admin immutable, last admin, reassignment) live in core/role-rules.ts; callers run them
 * inside the same transaction as these writes.
 */
import { and, asc, count, desc, eq, inArray, isNull, ne } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { PERMISSION_DESCRIPTIONS, isPermissionName, type PermissionName } from "../../core/permissions";
import { invitations, memberships, permissions, rolePermissions, roles } from "../schema";

export interface RoleFactsRow {
  id: string;
  name: string;
  organizationId: string;
  isSystem: boolean;
  isDefault: boolean;
}

const roleColumns = {
  id: roles.id,
  name: roles.name,
  organizationId: roles.organizationId,
  isSystem: roles.isSystem,
  isDefault: roles.isDefault,
};

export interface RoleListRow extends RoleFactsRow {
  memberCount: number;
  /** Permission names stored on the role (before dependency expansion). */
  permissions: string[];
}

/** Roles of the organization: system roles first, then by name; with member counts and permission names. */
export async function listRoles(db: DbOrTx, organizationId: string): Promise<RoleListRow[]> {
  const base = await db
    .select(roleColumns)
    .from(roles)
    .where(eq(roles.organizationId, organizationId))
    .orderBy(desc(roles.isSystem), asc(roles.name));
  if (base.length === 0) return [];
  const ids = base.map((r) => r.id);
  const counts = await db
    .select({ roleId: memberships.roleId, n: count() })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), inArray(memberships.roleId, ids)))
    .groupBy(memberships.roleId);
  const perms = await db
    .select({ roleId: rolePermissions.roleId, name: permissions.name })
    .from(rolePermissions)
    .innerJoin(permissions, eq(permissions.id, rolePermissions.permissionId))
    .where(inArray(rolePermissions.roleId, ids));
  const countBy = new Map(counts.map((c) => [c.roleId, Number(c.n)]));
  const permsBy = new Map<string, string[]>();
  for (const p of perms) permsBy.set(p.roleId, [...(permsBy.get(p.roleId) ?? []), p.name]);
  return base.map((r) => ({ ...r, memberCount: countBy.get(r.id) ?? 0, permissions: permsBy.get(r.id) ?? [] }));
}

/** One role of this organization, or null (missing or another organization's). */
export async function findRoleFacts(db: DbOrTx, organizationId: string, roleId: string): Promise<RoleFactsRow | null> {
  const [row] = await db
    .select(roleColumns)
    .from(roles)
    .where(and(eq(roles.id, roleId), eq(roles.organizationId, organizationId)))
    .limit(1);
  return row ?? null;
}

export async function findRoleByName(db: DbOrTx, organizationId: string, name: string): Promise<RoleFactsRow | null> {
  const [row] = await db
    .select(roleColumns)
    .from(roles)
    .where(and(eq(roles.name, name), eq(roles.organizationId, organizationId)))
    .limit(1);
  return row ?? null;
}

/** A role with its stored permission names and member count, or null. */
export async function findRoleDetail(db: DbOrTx, organizationId: string, roleId: string): Promise<RoleListRow | null> {
  const role = await findRoleFacts(db, organizationId, roleId);
  if (!role) return null;
  return {
    ...role,
    permissions: await listRolePermissionNames(db, organizationId, roleId),
    memberCount: await countRoleMembers(db, organizationId, roleId),
  };
}

export async function listRolePermissionNames(db: DbOrTx, organizationId: string, roleId: string): Promise<string[]> {
  const rows = await db
    .select({ name: permissions.name })
    .from(rolePermissions)
    .innerJoin(roles, and(eq(roles.id, rolePermissions.roleId), eq(roles.organizationId, organizationId)))
    .innerJoin(permissions, eq(permissions.id, rolePermissions.permissionId))
    .where(eq(rolePermissions.roleId, roleId));
  return rows.map((r) => r.name);
}

export async function countRoleMembers(db: DbOrTx, organizationId: string, roleId: string): Promise<number> {
  const [{ n }] = await db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.roleId, roleId)));
  return Number(n);
}

/** Names of the organization's roles except `exceptRoleId` (for the unique-name rule). */
export async function listOtherRoleNames(db: DbOrTx, organizationId: string, exceptRoleId?: string): Promise<string[]> {
  const rows = await db
    .select({ name: roles.name })
    .from(roles)
    .where(
      exceptRoleId
        ? and(eq(roles.organizationId, organizationId), ne(roles.id, exceptRoleId))
        : eq(roles.organizationId, organizationId),
    );
  return rows.map((r) => r.name);
}

/** Permission ids for names, creating missing catalogue rows (the catalogue is code; the table mirrors it). */
async function permissionIds(db: DbOrTx, names: readonly PermissionName[]): Promise<string[]> {
  if (names.length === 0) return [];
  let rows = await db
    .select({ id: permissions.id, name: permissions.name })
    .from(permissions)
    .where(inArray(permissions.name, [...names]));
  if (rows.length < names.length) {
    const have = new Set(rows.map((r) => r.name));
    const missing = names.filter((n) => !have.has(n));
    await db
      .insert(permissions)
      .values(missing.map((name) => ({ name, description: PERMISSION_DESCRIPTIONS[name] })))
      .onConflictDoNothing({ target: permissions.name });
    rows = await db
      .select({ id: permissions.id, name: permissions.name })
      .from(permissions)
      .where(inArray(permissions.name, [...names]));
  }
  return rows.map((r) => r.id);
}

/** Replaces the role's permission set (the original's update: disconnect all, connect the given ones). */
export async function setRolePermissions(
  db: DbOrTx,
  organizationId: string,
  roleId: string,
  names: readonly string[],
): Promise<boolean> {
  const role = await findRoleFacts(db, organizationId, roleId);
  if (!role) return false;
  const ids = await permissionIds(db, names.filter(isPermissionName));
  await db.delete(rolePermissions).where(eq(rolePermissions.roleId, role.id));
  if (ids.length)
    await db.insert(rolePermissions).values(ids.map((permissionId) => ({ permissionId, roleId: role.id })));
  return true;
}

/** Makes `roleId` the organization's only default role (the role new members get). */
async function makeOnlyDefault(db: DbOrTx, organizationId: string, roleId: string) {
  await db
    .update(roles)
    .set({ isDefault: false })
    .where(and(eq(roles.organizationId, organizationId), ne(roles.id, roleId), eq(roles.isDefault, true)));
}

export async function createRole(
  db: DbOrTx,
  organizationId: string,
  input: { name: string; isDefault: boolean; permissions: readonly string[] },
): Promise<RoleFactsRow> {
  const [role] = await db
    .insert(roles)
    .values({ name: input.name, organizationId, isDefault: input.isDefault, isSystem: false })
    .returning(roleColumns);
  if (input.isDefault) await makeOnlyDefault(db, organizationId, role.id);
  await setRolePermissions(db, organizationId, role.id, input.permissions);
  return role;
}

export async function updateRoleSettings(
  db: DbOrTx,
  organizationId: string,
  roleId: string,
  input: { name?: string; isDefault?: boolean },
): Promise<boolean> {
  const set: { name?: string; isDefault?: boolean; updatedAt: Date } = { updatedAt: new Date() };
  if (input.name !== undefined) set.name = input.name;
  if (input.isDefault !== undefined) set.isDefault = input.isDefault;
  const updated = await db
    .update(roles)
    .set(set)
    .where(and(eq(roles.id, roleId), eq(roles.organizationId, organizationId)))
    .returning({ id: roles.id });
  if (updated.length !== 1) return false;
  if (input.isDefault) await makeOnlyDefault(db, organizationId, roleId);
  return true;
}

/** Bumps updatedAt after a permission change. */
export async function touchRole(db: DbOrTx, organizationId: string, roleId: string) {
  await db
    .update(roles)
    .set({ updatedAt: new Date() })
    .where(and(eq(roles.id, roleId), eq(roles.organizationId, organizationId)));
}

/**
 * Moves the role's members to `reassignRoleId` (when given) and deletes the role. Both ids are scoped by
 * `organizationId`; the caller has validated them with validateRoleDeletion. The role's invitations go with it
 * (foreign key cascade), so its pending links stop working. Returns the number of moved members and of pending
 * invitations withdrawn that way.
 */
export async function deleteRoleReassigning(
  db: DbOrTx,
  organizationId: string,
  roleId: string,
  reassignRoleId: string | null,
): Promise<{ deleted: boolean; moved: number; invitations: number }> {
  let moved = 0;
  if (reassignRoleId) {
    const target = await findRoleFacts(db, organizationId, reassignRoleId);
    if (!target) return { deleted: false, moved: 0, invitations: 0 };
    const rows = await db
      .update(memberships)
      .set({ roleId: target.id })
      .where(and(eq(memberships.organizationId, organizationId), eq(memberships.roleId, roleId)))
      .returning({ id: memberships.id });
    moved = rows.length;
  }
  const [{ n: invitationCount }] = await db
    .select({ n: count() })
    .from(invitations)
    .where(
      and(
        eq(invitations.organizationId, organizationId),
        eq(invitations.roleId, roleId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    );
  const deleted = await db
    .delete(roles)
    .where(and(eq(roles.id, roleId), eq(roles.organizationId, organizationId), eq(roles.isSystem, false)))
    .returning({ id: roles.id });
  return { deleted: deleted.length === 1, moved, invitations: deleted.length === 1 ? Number(invitationCount) : 0 };
}
