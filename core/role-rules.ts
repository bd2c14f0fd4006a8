/**
 * Role-management safety rules (docs/decisions/012-permission-delegation.md, docs/decisions/015-role-changes-locked.md), as pure
 * functions: no database, no request. The admin code (app/lib/member-admin.server.ts, app/lib/role-admin.server.ts)
 * loads the rows inside a transaction, asks these functions, and only then writes. Unit-tested in
 * tests/unit/role-rules.test.ts.
 *
 * Invariants kept here:
 * - the target role and the target member belong to the acting organization (else "not found");
 * - the Admin system role is immutable; the Unauthenticated system role only has its permissions edited, and only
 *   public ones (PUBLIC_PERMISSIONS);
 * - system roles are never deleted; a deleted role's members go to another role of the same organization;
 * - the organization never loses its last Admin (demote, remove, delete);
 * - delegation: nobody grants, assigns or reassigns a permission set they do not hold; only Admins give the Admin
 *   role or touch roles that manage roles or members; non-admins cannot change or remove a member whose role is
 *   beyond them; nobody changes their own role.
 */
import {
  ACCESS_MANAGEMENT_PERMISSIONS,
  ALL_PERMISSION_NAMES,
  SYSTEM_ROLES,
  expandPermissions,
  isPermissionName,
  isPublicPermission,
  type PermissionName,
} from "./permissions";

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

/** Who is acting: their user id, whether they hold the Admin role, and their effective permissions here. */
export interface ActorFacts {
  userId: string;
  isAdmin: boolean;
  permissions: ReadonlySet<string>;
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
  ownRole: "You cannot change your own role. Ask an admin.",
  selfRemove: "You cannot remove yourself here. Ask another admin to remove you.",
  adminImmutable: "The Admin role is built in and cannot be changed.",
  unauthenticatedPermissionsOnly: "Only the permissions of the Unauthenticated role can be changed.",
  unauthenticatedPublicOnly:
    "Visitors who are not members can only be allowed to view and report (issues, machines, locations, attachments).",
  systemNotDeletable: "Built-in roles (Admin, Unauthenticated) cannot be deleted.",
  reassignRequired: "This role still has members. Choose the role they should move to.",
  reassignNotFound: "The role to move members to does not exist in this organization.",
  reassignSame: "Members cannot be moved to the role that is being deleted.",
  reassignUnauthenticated: "Members cannot be moved to the Unauthenticated role.",
  nameTaken: "A role with this name already exists.",
  nameReserved: "That name is reserved for a built-in role.",
  noAdminLeft: "The organization must keep at least one admin.",
  // Delegation (docs/decisions/012-permission-delegation.md)
  grantAdmin: "Only admins can give the Admin role.",
  grantManagement: "Only admins can give a role that manages roles or members.",
  grantBeyond: "You can only give permissions you have yourself.",
  controlAdmin: "Only admins can change or remove an admin.",
  controlManagement: "Only admins can change a role that manages roles or members, or the members who hold one.",
  controlBeyond: "This role has permissions you do not have, so only an admin can change it or its members.",
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
// Delegation: the one place that decides whether an actor may hand out, change or take away a role.

/** Why a non-admin may not hand out or touch a role, or null when nothing stands in the way. */
type Blocker = "admin" | "management" | "beyond" | null;

function delegationBlocker(actor: ActorFacts, role: Pick<RoleFacts, "name" | "isSystem">, permissions: Iterable<string>): Blocker {
  if (actor.isAdmin) return null;
  if (isAdminRole(role)) return "admin";
  const set = [...permissions];
  if (set.some((p) => (ACCESS_MANAGEMENT_PERMISSIONS as readonly string[]).includes(p))) return "management";
  if (set.some((p) => !actor.permissions.has(p))) return "beyond";
  return null;
}

/**
 * May the actor give this role (invite with it, assign it, move members into it, create it, or save it with this
 * permission set)? The role's effective set must be within the actor's own; the Admin role and roles holding
 * role:manage or user:manage are for Admins to give.
 */
export function checkGrant(actor: ActorFacts, role: Pick<RoleFacts, "name" | "isSystem">, permissions: Iterable<string>): RuleResult {
  const blocker = delegationBlocker(actor, role, permissions);
  if (blocker === "admin") return refuse(403, MESSAGES.grantAdmin);
  if (blocker === "management") return refuse(403, MESSAGES.grantManagement);
  if (blocker === "beyond") return refuse(403, MESSAGES.grantBeyond);
  return OK;
}

/**
 * May the actor change or take away this role as it is now (edit or delete the role; change or remove a member who
 * holds it)? Same test as checkGrant on the role's current set: what you could not give, you cannot take away either.
 */
export function checkControl(actor: ActorFacts, role: Pick<RoleFacts, "name" | "isSystem">, permissions: Iterable<string>): RuleResult {
  const blocker = delegationBlocker(actor, role, permissions);
  if (blocker === "admin") return refuse(403, MESSAGES.controlAdmin);
  if (blocker === "management") return refuse(403, MESSAGES.controlManagement);
  if (blocker === "beyond") return refuse(403, MESSAGES.controlBeyond);
  return OK;
}

export interface PermissionChoice {
  name: PermissionName;
  /** Whether the actor may tick or untick it on this role. */
  editable: boolean;
  /** Short reason shown beside a locked box. */
  reason?: string;
}

/**
 * Which permission boxes the role editor offers on `role` to `actor`: the Unauthenticated role takes public
 * permissions only; non-admins may only tick what they hold, never role or member management.
 */
export function permissionChoices(actor: ActorFacts, role: Pick<RoleFacts, "name" | "isSystem">): PermissionChoice[] {
  return ALL_PERMISSION_NAMES.map((name) => {
    if (isAdminRole(role)) return { name, editable: false, reason: "Admins always have every permission." };
    if (isUnauthenticatedRole(role) && !isPublicPermission(name)) {
      return { name, editable: false, reason: "Not for visitors who are not members." };
    }
    if (!actor.isAdmin && (ACCESS_MANAGEMENT_PERMISSIONS as readonly string[]).includes(name)) {
      return { name, editable: false, reason: "Only admins can give this." };
    }
    if (!actor.isAdmin && !actor.permissions.has(name)) return { name, editable: false, reason: "You do not have this permission." };
    return { name, editable: true };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Members

export interface RoleChangeInput {
  organizationId: string;
  actor: ActorFacts;
  /** The membership being changed, as loaded with organizationId (null when not found). */
  target: MemberFacts | null;
  /** Effective permissions of the target's current role. */
  targetPermissions: ReadonlySet<string>;
  /** The requested role, as loaded with organizationId (null when not found). */
  newRole: RoleFacts | null;
  /** Effective permissions of the requested role. */
  newRolePermissions: ReadonlySet<string>;
  /** Every membership of the organization holding the Admin role (for the last-admin count). */
  members: readonly MemberFacts[];
}

export function validateRoleChange(input: RoleChangeInput): RuleResult {
  const { target, newRole, organizationId, actor } = input;
  if (!target || target.organizationId !== organizationId) return refuse(404, MESSAGES.memberNotFound);
  if (!newRole || newRole.organizationId !== organizationId) return refuse(404, MESSAGES.roleNotFound);
  if (target.role.id === newRole.id) return refuse(400, MESSAGES.alreadyHasRole);
  if (isUnauthenticatedRole(newRole)) return refuse(400, MESSAGES.unauthenticatedNotAssignable);
  if (isAdminRole(target.role) && !isAdminRole(newRole) && countAdmins(input.members) <= 1) {
    return refuse(409, MESSAGES.lastAdminDemote);
  }
  if (target.userId === actor.userId) return refuse(403, MESSAGES.ownRole);
  const control = checkControl(actor, target.role, input.targetPermissions);
  if (!control.ok) return control;
  return checkGrant(actor, newRole, input.newRolePermissions);
}

export interface MemberRemovalInput {
  organizationId: string;
  actor: ActorFacts;
  target: MemberFacts | null;
  /** Effective permissions of the target's role. */
  targetPermissions: ReadonlySet<string>;
  members: readonly MemberFacts[];
}

export function validateMemberRemoval(input: MemberRemovalInput): RuleResult {
  const { target } = input;
  if (!target || target.organizationId !== input.organizationId) return refuse(404, MESSAGES.memberNotFound);
  if (isAdminRole(target.role) && countAdmins(input.members) <= 1) return refuse(409, MESSAGES.lastAdminRemove);
  if (target.userId === input.actor.userId) return refuse(409, MESSAGES.selfRemove);
  return checkControl(input.actor, target.role, input.targetPermissions);
}

export interface InviteRoleInput {
  organizationId: string;
  actor: ActorFacts;
  role: RoleFacts | null;
  /** Effective permissions of the role. */
  permissions: ReadonlySet<string>;
}

/** The role chosen for an invitation must exist here, be a member role, and be one the actor may give. */
export function validateInviteRole(input: InviteRoleInput): RuleResult {
  if (!input.role || input.role.organizationId !== input.organizationId) return refuse(404, MESSAGES.roleNotFound);
  if (isUnauthenticatedRole(input.role)) return refuse(400, MESSAGES.unauthenticatedNotAssignable);
  return checkGrant(input.actor, input.role, input.permissions);
}

// ---------------------------------------------------------------------------------------------------------------
// Role names

/**
 * Letters of other scripts that look like Latin letters, mapped to that Latin letter. Keys are lower case (the key
 * is lower-cased first), so the upper-case look-alikes are covered through their lower-case forms (Cyrillic А→а→a,
 * Greek Ν→ν→n). Covers the Cyrillic and Greek look-alikes of the Latin alphabet and a few Latin/IPA variants
 * (dotless ı, script ɑ and ɡ). Fullwidth and mathematical letters are folded earlier by NFKC. Not covered: accented
 * letters (Ádmin stays distinct), Armenian, Cherokee and other scripts of Unicode's full confusables list (UTS #39).
 */
const LOOKALIKES: Readonly<Record<string, string>> = {
  // Cyrillic
  а: "a", в: "b", ь: "b", с: "c", ԁ: "d", е: "e", һ: "h", н: "h", і: "i", ӏ: "l", ј: "j", к: "k", м: "m", п: "n",
  о: "o", р: "p", ԛ: "q", ѕ: "s", т: "t", у: "y", ү: "y", х: "x", ԝ: "w", ѡ: "w",
  // Greek
  α: "a", β: "b", ϲ: "c", ε: "e", η: "h", ι: "i", ϳ: "j", κ: "k", μ: "m", ν: "n", ο: "o", ρ: "p", τ: "t",
  υ: "y", χ: "x", ζ: "z",
  // Latin and IPA variants
  ı: "i", ɑ: "a", ɡ: "g",
};

/** Characters that render as nothing (zero-width spaces and joiners, soft hyphen, direction marks, BOM, …). */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/gu;

/**
 * Comparison key for role names: Unicode NFKC (fullwidth Ａｄｍｉｎ → Admin), invisible characters removed, spaces
 * collapsed, lower case, look-alike letters folded to Latin (Cyrillic "Аdmin" → "admin").
 */
export function roleNameKey(name: string): string {
  const folded = name.normalize("NFKC").replace(INVISIBLE, "").replace(/\s+/g, " ").trim().toLowerCase();
  let out = "";
  for (const ch of folded) out += LOOKALIKES[ch] ?? ch;
  return out;
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

// ---------------------------------------------------------------------------------------------------------------
// Roles

export interface RoleCreationInput {
  actor: ActorFacts;
  /** Effective permissions the new role would start with. */
  permissions: ReadonlySet<string>;
}

/** A new role may only start with permissions the actor could give. */
export function validateRoleCreation(input: RoleCreationInput): RuleResult {
  return checkGrant(input.actor, { name: "", isSystem: false }, input.permissions);
}

export interface RoleUpdateInput {
  organizationId: string;
  actor: ActorFacts;
  role: RoleFacts | null;
  /** Effective permissions of the role as it is now. */
  currentPermissions: ReadonlySet<string>;
  /** What the form wants to change (permissions: the normalised, expanded selection). */
  changes: { name?: string; isDefault?: boolean; permissions?: readonly string[] };
}

export function validateRoleUpdate(input: RoleUpdateInput): RuleResult {
  const { role, changes, actor } = input;
  if (!role || role.organizationId !== input.organizationId) return refuse(404, MESSAGES.roleNotFound);
  if (isAdminRole(role)) return refuse(403, MESSAGES.adminImmutable);
  if (role.isSystem) {
    const renames = changes.name !== undefined && changes.name !== role.name;
    const redefaults = changes.isDefault !== undefined && changes.isDefault !== Boolean(role.isDefault);
    if (renames || redefaults) return refuse(403, MESSAGES.unauthenticatedPermissionsOnly);
  }
  if (changes.permissions && isUnauthenticatedRole(role) && !changes.permissions.every(isPublicPermission)) {
    return refuse(400, MESSAGES.unauthenticatedPublicOnly);
  }
  const control = checkControl(actor, role, input.currentPermissions);
  if (!control.ok) return control;
  if (changes.permissions) {
    const grant = checkGrant(actor, role, changes.permissions);
    if (!grant.ok) return grant;
  }
  return OK;
}

export interface RoleDeletionInput {
  organizationId: string;
  actor: ActorFacts;
  role: RoleFacts | null;
  /** Effective permissions of the role being deleted. */
  rolePermissions: ReadonlySet<string>;
  /** Requested target for the role's members (null when none was chosen or not found). */
  reassignRole: RoleFacts | null;
  /** Effective permissions of the reassignment role. */
  reassignPermissions: ReadonlySet<string>;
  /** Whether the form named a reassignment role at all (to tell "missing" from "not found"). */
  reassignRequested: boolean;
  /** Members currently holding the role. */
  memberCount: number;
  members: readonly MemberFacts[];
}

export function validateRoleDeletion(input: RoleDeletionInput): RuleResult {
  const { role, reassignRole, actor } = input;
  if (!role || role.organizationId !== input.organizationId) return refuse(404, MESSAGES.roleNotFound);
  if (role.isSystem) return refuse(403, MESSAGES.systemNotDeletable);
  const control = checkControl(actor, role, input.rolePermissions);
  if (!control.ok) return control;
  if (input.memberCount > 0) {
    if (!input.reassignRequested) return refuse(400, MESSAGES.reassignRequired);
    if (!reassignRole || reassignRole.organizationId !== input.organizationId) return refuse(404, MESSAGES.reassignNotFound);
    if (reassignRole.id === role.id) return refuse(400, MESSAGES.reassignSame);
    if (isUnauthenticatedRole(reassignRole)) return refuse(400, MESSAGES.reassignUnauthenticated);
    const grant = checkGrant(actor, reassignRole, input.reassignPermissions);
    if (!grant.ok) return grant;
  }
  // After the move, admins are those already admin plus (if the target is Admin) the moved members.
  const after = countAdmins(input.members.filter((m) => m.role.id !== role.id)) + (reassignRole && isAdminRole(reassignRole) ? input.memberCount : 0);
  if (after < 1) return refuse(409, MESSAGES.noAdminLeft);
  return OK;
}
