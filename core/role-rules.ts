/**
 * Role-management safety rules (domain.md §2.3/§2.4), as pure functions: no database, no request. The admin routes
 * load the rows inside a transaction, ask these functions, and only then write. Unit-tested in
 * tests/unit/role-rules.test.ts.
 *
 * Invariants kept here:
 * - the target role and the target member belong to the acting organization (else "not found");
 * - the Admin system role is immutable; the Unauthenticated system role only has its permissions edited;
 * - system roles are never deleted; a deleted role's members go to another role of the same organization;
 * - the organization never loses its last Admin (demote, remove, delete);
 * - nobody changes their own access into a lockout (own role losing the permission that manages it).
 */
import { ALL_PERMISSION_NAMES, SYSTEM_ROLES, expandPermissions, isPermissionName, type PermissionName } from "./permissions";

export interface RoleFacts {
  id: string;
  name: string;
  organizationId: string;
  isSystem: boolean;
  isDefault?: boolean;
}

export interface MemberFacts {
  membershipId: string;
  userId: string;
  organizationId: string;
  role: RoleFacts;
}

/** HTTP-ish status the route answers with when a rule refuses. */
export type RuleStatus = 400 | 403 | 404 | 409;

export type RuleResult = { ok: true } | { ok: false; status: RuleStatus; error: string };

const OK: RuleResult = { ok: true };
const refuse = (status: RuleStatus, error: string): RuleResult => ({ ok: false, status, error });

export const MESSAGES = {
  roleNotFound: "That role does not exist in this organization.",
  memberNotFound: "That person is not a member of this organization.",
  alreadyHasRole: "This member already has that role.",
  lastAdminDemote: "This is the last admin of the organization. Make someone else an admin first.",
  lastAdminRemove: "The last admin of the organization cannot be removed. Make someone else an admin first.",
  unauthenticatedNotAssignable:
    "The Unauthenticated role describes visitors who are not signed in; it cannot be given to members.",
  selfLockoutMembers:
    "You cannot change your own role to one without member management: you would lock yourself out. Ask another admin.",
  selfRemove: "You cannot remove yourself here. Ask another admin to remove you.",
  adminImmutable: "The Admin role is built in and cannot be changed.",
  unauthenticatedPermissionsOnly: "Only the permissions of the Unauthenticated role can be changed.",
  systemNotDeletable: "Built-in roles (Admin, Unauthenticated) cannot be deleted.",
  reassignRequired: "This role still has members. Choose the role they should move to.",
  reassignNotFound: "The role to move members to does not exist in this organization.",
  reassignSame: "Members cannot be moved to the role that is being deleted.",
  reassignUnauthenticated: "Members cannot be moved to the Unauthenticated role.",
  selfLockoutRoles:
    "This is your own role: without role management you would lock yourself out of this page. Ask another admin.",
  nameTaken: "A role with this name already exists.",
  nameReserved: "That name is reserved for a built-in role.",
  noAdminLeft: "The organization must keep at least one admin.",
} as const;

export function isAdminRole(role: Pick<RoleFacts, "name" | "isSystem">): boolean {
  return role.isSystem && role.name === SYSTEM_ROLES.ADMIN;
}

export function isUnauthenticatedRole(role: Pick<RoleFacts, "name" | "isSystem">): boolean {
  return role.isSystem && role.name === SYSTEM_ROLES.UNAUTHENTICATED;
}

export function countAdmins(members: readonly Pick<MemberFacts, "role">[]): number {
  return members.filter((m) => isAdminRole(m.role)).length;
}

/**
 * Effective permissions of a role: Admin has everything, others their stored set plus dependencies.
 * `stored` are the permission names connected to the role in the database.
 */
export function effectivePermissions(role: Pick<RoleFacts, "name" | "isSystem">, stored: readonly string[]): Set<string> {
  return new Set(isAdminRole(role) ? ALL_PERMISSION_NAMES : expandPermissions(stored));
}

/** Normalises a submitted permission list: known names only, dependencies added, catalogue order, no duplicates. */
export function normalizePermissionSelection(submitted: readonly string[]): PermissionName[] {
  const known = submitted.filter(isPermissionName);
  const expanded = new Set(expandPermissions(known));
  return ALL_PERMISSION_NAMES.filter((p) => expanded.has(p));
}

// ---------------------------------------------------------------------------------------------------------------
// Members

export interface RoleChangeInput {
  organizationId: string;
  actorUserId: string;
  /** The membership being changed, as loaded with organizationId (null when not found). */
  target: MemberFacts | null;
  /** The requested role, as loaded with organizationId (null when not found). */
  newRole: RoleFacts | null;
  /** Effective permissions of the requested role (to detect self-lockout). */
  newRolePermissions: ReadonlySet<string>;
  /** Every membership of the organization with its role (for the last-admin count). */
  members: readonly MemberFacts[];
}

export function validateRoleChange(input: RoleChangeInput): RuleResult {
  const { target, newRole, organizationId } = input;
  if (!target || target.organizationId !== organizationId) return refuse(404, MESSAGES.memberNotFound);
  if (!newRole || newRole.organizationId !== organizationId) return refuse(404, MESSAGES.roleNotFound);
  if (target.role.id === newRole.id) return refuse(400, MESSAGES.alreadyHasRole);
  if (isUnauthenticatedRole(newRole)) return refuse(400, MESSAGES.unauthenticatedNotAssignable);
  if (isAdminRole(target.role) && !isAdminRole(newRole) && countAdmins(input.members) <= 1) {
    return refuse(409, MESSAGES.lastAdminDemote);
  }
  if (target.userId === input.actorUserId && !input.newRolePermissions.has("user:manage")) {
    return refuse(409, MESSAGES.selfLockoutMembers);
  }
  return OK;
}

export interface MemberRemovalInput {
  organizationId: string;
  actorUserId: string;
  target: MemberFacts | null;
  members: readonly MemberFacts[];
}

export function validateMemberRemoval(input: MemberRemovalInput): RuleResult {
  const { target } = input;
  if (!target || target.organizationId !== input.organizationId) return refuse(404, MESSAGES.memberNotFound);
  if (isAdminRole(target.role) && countAdmins(input.members) <= 1) return refuse(409, MESSAGES.lastAdminRemove);
  if (target.userId === input.actorUserId) return refuse(409, MESSAGES.selfRemove);
  return OK;
}

export interface InviteRoleInput {
  organizationId: string;
  role: RoleFacts | null;
}

/** The role chosen for an invitation must exist here and be a member role. */
export function validateInviteRole(input: InviteRoleInput): RuleResult {
  if (!input.role || input.role.organizationId !== input.organizationId) return refuse(404, MESSAGES.roleNotFound);
  if (isUnauthenticatedRole(input.role)) return refuse(400, MESSAGES.unauthenticatedNotAssignable);
  return OK;
}

// ---------------------------------------------------------------------------------------------------------------
// Roles

/** Case-insensitive, whitespace-collapsed comparison key for role names. */
export function roleNameKey(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

export interface RoleNameInput {
  name: string;
  /** Names of the organization's other roles (excluding the one being renamed). */
  otherNames: readonly string[];
}

export function validateRoleName(input: RoleNameInput): RuleResult {
  const key = roleNameKey(input.name);
  if (key === roleNameKey(SYSTEM_ROLES.ADMIN) || key === roleNameKey(SYSTEM_ROLES.UNAUTHENTICATED)) {
    return refuse(409, MESSAGES.nameReserved);
  }
  if (input.otherNames.some((n) => roleNameKey(n) === key)) return refuse(409, MESSAGES.nameTaken);
  return OK;
}

export interface RoleUpdateInput {
  organizationId: string;
  actorRoleId: string | null;
  role: RoleFacts | null;
  /** What the form wants to change. */
  changes: { name?: string; isDefault?: boolean; permissions?: readonly string[] };
}

export function validateRoleUpdate(input: RoleUpdateInput): RuleResult {
  const { role, changes } = input;
  if (!role || role.organizationId !== input.organizationId) return refuse(404, MESSAGES.roleNotFound);
  if (isAdminRole(role)) return refuse(403, MESSAGES.adminImmutable);
  if (role.isSystem) {
    const renames = changes.name !== undefined && changes.name !== role.name;
    const redefaults = changes.isDefault !== undefined && changes.isDefault !== Boolean(role.isDefault);
    if (renames || redefaults) return refuse(403, MESSAGES.unauthenticatedPermissionsOnly);
  }
  if (changes.permissions && input.actorRoleId === role.id) {
    const next = new Set(expandPermissions(changes.permissions));
    if (!next.has("role:manage")) return refuse(409, MESSAGES.selfLockoutRoles);
  }
  return OK;
}

export interface RoleDeletionInput {
  organizationId: string;
  role: RoleFacts | null;
  /** Requested target for the role's members (null when none was chosen or not found). */
  reassignRole: RoleFacts | null;
  /** Whether the form named a reassignment role at all (to tell "missing" from "not found"). */
  reassignRequested: boolean;
  /** Members currently holding the role. */
  memberCount: number;
  members: readonly MemberFacts[];
}

export function validateRoleDeletion(input: RoleDeletionInput): RuleResult {
  const { role, reassignRole } = input;
  if (!role || role.organizationId !== input.organizationId) return refuse(404, MESSAGES.roleNotFound);
  if (role.isSystem) return refuse(403, MESSAGES.systemNotDeletable);
  if (input.memberCount > 0) {
    if (!input.reassignRequested) return refuse(400, MESSAGES.reassignRequired);
    if (!reassignRole || reassignRole.organizationId !== input.organizationId) return refuse(404, MESSAGES.reassignNotFound);
    if (reassignRole.id === role.id) return refuse(400, MESSAGES.reassignSame);
    if (isUnauthenticatedRole(reassignRole)) return refuse(400, MESSAGES.reassignUnauthenticated);
  }
  // After the move, admins are those already admin plus (if the target is Admin) the moved members.
  const after = countAdmins(input.members.filter((m) => m.role.id !== role.id)) + (reassignRole && isAdminRole(reassignRole) ? input.memberCount : 0);
  if (after < 1) return refuse(409, MESSAGES.noAdminLeft);
  return OK;
}
