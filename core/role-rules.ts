/**
 * Role-management safety rules (domain.md §2.3/§2.4 and docs/decisions/012-permission-delegation.md), as pure
 * functions: no database, no request. The use cases (app/use-cases/members.server.ts, roles.server.ts,
 * invitations.server.ts) load the rows inside a transaction, ask these functions, and only then write. A rule that
 * refuses throws a Failure (core/failure.ts) with a code: not_found, forbidden, invalid or conflict. Unit-tested in
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
import { Failure, fail } from "./failure";
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

// The form fields a refusal belongs to, where it concerns one input (else the form as a whole).
const ROLE_FIELD = "roleId";
const NAME_FIELD = "name";
const TEMPLATE_FIELD = "template";
const REASSIGN_FIELD = "reassignRoleId";

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
export function effectivePermissions(
  role: Pick<RoleFacts, "name" | "isSystem">,
  stored: readonly string[],
): Set<string> {
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

function delegationBlocker(
  actor: ActorFacts,
  role: Pick<RoleFacts, "name" | "isSystem">,
  permissions: Iterable<string>,
): Blocker {
  if (actor.isAdmin) return null;
  if (isAdminRole(role)) return "admin";
  const set = [...permissions];
  if (set.some((p) => (ACCESS_MANAGEMENT_PERMISSIONS as readonly string[]).includes(p))) return "management";
  if (set.some((p) => !actor.permissions.has(p))) return "beyond";
  return null;
}

const GRANT_MESSAGES = {
  admin: MESSAGES.grantAdmin,
  management: MESSAGES.grantManagement,
  beyond: MESSAGES.grantBeyond,
} as const;
const CONTROL_MESSAGES = {
  admin: MESSAGES.controlAdmin,
  management: MESSAGES.controlManagement,
  beyond: MESSAGES.controlBeyond,
} as const;

/**
 * Why the actor may not give this role (invite with it, assign it, move members into it, create it, or save it with
 * this permission set), or null when they may. The role's effective set must be within the actor's own; the Admin
 * role and roles holding role:manage or user:manage are for Admins to give. Pages use it to decide which choices to
 * offer; writes call checkGrant.
 */
export function grantRefusal(
  actor: ActorFacts,
  role: Pick<RoleFacts, "name" | "isSystem">,
  permissions: Iterable<string>,
  field?: string,
): Failure | null {
  const blocker = delegationBlocker(actor, role, permissions);
  return blocker ? new Failure("forbidden", GRANT_MESSAGES[blocker], { field }) : null;
}

/**
 * Why the actor may not change or take away this role as it is now (edit or delete the role; change or remove a
 * member who holds it), or null. Same test as grantRefusal on the role's current set: what you could not give, you
 * cannot take away either.
 */
export function controlRefusal(
  actor: ActorFacts,
  role: Pick<RoleFacts, "name" | "isSystem">,
  permissions: Iterable<string>,
): Failure | null {
  const blocker = delegationBlocker(actor, role, permissions);
  return blocker ? new Failure("forbidden", CONTROL_MESSAGES[blocker]) : null;
}

/** Throws Failure("forbidden") unless the actor may give this role (grantRefusal). */
export function checkGrant(
  actor: ActorFacts,
  role: Pick<RoleFacts, "name" | "isSystem">,
  permissions: Iterable<string>,
  field?: string,
): void {
  const refusal = grantRefusal(actor, role, permissions, field);
  if (refusal) throw refusal;
}

/** Throws Failure("forbidden") unless the actor may change or take away this role (controlRefusal). */
export function checkControl(
  actor: ActorFacts,
  role: Pick<RoleFacts, "name" | "isSystem">,
  permissions: Iterable<string>,
): void {
  const refusal = controlRefusal(actor, role, permissions);
  if (refusal) throw refusal;
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
    if (!actor.isAdmin && !actor.permissions.has(name))
      return { name, editable: false, reason: "You do not have this permission." };
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

/** Throws unless the target member may be given the new role by the actor. */
export function validateRoleChange(
  input: RoleChangeInput,
): asserts input is RoleChangeInput & { target: MemberFacts; newRole: RoleFacts } {
  const { target, newRole, organizationId, actor } = input;
  if (!target || target.organizationId !== organizationId) throw fail.notFound(MESSAGES.memberNotFound);
  if (!newRole || newRole.organizationId !== organizationId) throw fail.notFound(MESSAGES.roleNotFound);
  if (target.role.id === newRole.id) throw fail.invalid(MESSAGES.alreadyHasRole);
  if (isUnauthenticatedRole(newRole)) throw fail.invalid(MESSAGES.unauthenticatedNotAssignable);
  if (isAdminRole(target.role) && !isAdminRole(newRole) && countAdmins(input.members) <= 1) {
    throw fail.conflict(MESSAGES.lastAdminDemote);
  }
  if (target.userId === actor.userId) throw fail.forbidden(MESSAGES.ownRole);
  checkControl(actor, target.role, input.targetPermissions);
  checkGrant(actor, newRole, input.newRolePermissions);
}

export interface MemberRemovalInput {
  organizationId: string;
  actor: ActorFacts;
  target: MemberFacts | null;
  /** Effective permissions of the target's role. */
  targetPermissions: ReadonlySet<string>;
  members: readonly MemberFacts[];
}

/** Throws unless the actor may remove the target member. */
export function validateMemberRemoval(
  input: MemberRemovalInput,
): asserts input is MemberRemovalInput & { target: MemberFacts } {
  const { target } = input;
  if (!target || target.organizationId !== input.organizationId) throw fail.notFound(MESSAGES.memberNotFound);
  if (isAdminRole(target.role) && countAdmins(input.members) <= 1) throw fail.conflict(MESSAGES.lastAdminRemove);
  if (target.userId === input.actor.userId) throw fail.conflict(MESSAGES.selfRemove);
  checkControl(input.actor, target.role, input.targetPermissions);
}

export interface InviteRoleInput {
  organizationId: string;
  actor: ActorFacts;
  role: RoleFacts | null;
  /** Effective permissions of the role. */
  permissions: ReadonlySet<string>;
}

/** The role chosen for an invitation must exist here, be a member role, and be one the actor may give. */
export function validateInviteRole(input: InviteRoleInput): asserts input is InviteRoleInput & { role: RoleFacts } {
  if (!input.role || input.role.organizationId !== input.organizationId)
    throw fail.notFound(MESSAGES.roleNotFound, ROLE_FIELD);
  if (isUnauthenticatedRole(input.role)) throw fail.invalid(MESSAGES.unauthenticatedNotAssignable, ROLE_FIELD);
  checkGrant(input.actor, input.role, input.permissions, ROLE_FIELD);
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
  а: "a",
  в: "b",
  ь: "b",
  с: "c",
  ԁ: "d",
  е: "e",
  һ: "h",
  н: "h",
  і: "i",
  ӏ: "l",
  ј: "j",
  к: "k",
  м: "m",
  п: "n",
  о: "o",
  р: "p",
  ԛ: "q",
  ѕ: "s",
  т: "t",
  у: "y",
  ү: "y",
  х: "x",
  ԝ: "w",
  ѡ: "w",
  // Greek
  α: "a",
  β: "b",
  ϲ: "c",
  ε: "e",
  η: "h",
  ι: "i",
  ϳ: "j",
  κ: "k",
  μ: "m",
  ν: "n",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "y",
  χ: "x",
  ζ: "z",
  // Latin and IPA variants
  ı: "i",
  ɑ: "a",
  ɡ: "g",
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

/** Throws Failure("conflict") on the name field for a built-in name or one like another role's. */
export function validateRoleName(input: RoleNameInput): void {
  const key = roleNameKey(input.name);
  if (key === roleNameKey(SYSTEM_ROLES.ADMIN) || key === roleNameKey(SYSTEM_ROLES.UNAUTHENTICATED)) {
    throw fail.conflict(MESSAGES.nameReserved, NAME_FIELD);
  }
  if (input.otherNames.some((n) => roleNameKey(n) === key)) throw fail.conflict(MESSAGES.nameTaken, NAME_FIELD);
}

/** The refusal of a name that a concurrent change took first (the database's unique index caught it). */
export function nameTakenFailure(): Failure {
  return fail.conflict(MESSAGES.nameTaken, NAME_FIELD);
}

// ---------------------------------------------------------------------------------------------------------------
// Roles

export interface RoleCreationInput {
  actor: ActorFacts;
  /** Effective permissions the new role would start with. */
  permissions: ReadonlySet<string>;
}

/** A new role may only start with permissions the actor could give. */
export function validateRoleCreation(input: RoleCreationInput): void {
  checkGrant(input.actor, { name: "", isSystem: false }, input.permissions, TEMPLATE_FIELD);
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

/** Throws unless the actor may make these changes to the role. */
export function validateRoleUpdate(input: RoleUpdateInput): asserts input is RoleUpdateInput & { role: RoleFacts } {
  const { role, changes, actor } = input;
  if (!role || role.organizationId !== input.organizationId) throw fail.notFound(MESSAGES.roleNotFound);
  if (isAdminRole(role)) throw fail.forbidden(MESSAGES.adminImmutable);
  if (role.isSystem) {
    const renames = changes.name !== undefined && changes.name !== role.name;
    const redefaults = changes.isDefault !== undefined && changes.isDefault !== Boolean(role.isDefault);
    if (renames || redefaults) throw fail.forbidden(MESSAGES.unauthenticatedPermissionsOnly);
  }
  if (changes.permissions && isUnauthenticatedRole(role) && !changes.permissions.every(isPublicPermission)) {
    throw fail.invalid(MESSAGES.unauthenticatedPublicOnly);
  }
  checkControl(actor, role, input.currentPermissions);
  if (changes.permissions) checkGrant(actor, role, changes.permissions);
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

/**
 * Throws unless the actor may delete the role, moving its members (if any) to the reassignment role. Refusals about
 * the reassignment belong to its field; the others to the form.
 */
export function validateRoleDeletion(
  input: RoleDeletionInput,
): asserts input is RoleDeletionInput & { role: RoleFacts } {
  const { role, reassignRole, actor } = input;
  if (!role || role.organizationId !== input.organizationId) throw fail.notFound(MESSAGES.roleNotFound);
  if (role.isSystem) throw fail.forbidden(MESSAGES.systemNotDeletable);
  checkControl(actor, role, input.rolePermissions);
  if (input.memberCount > 0) {
    if (!input.reassignRequested) throw fail.invalid(MESSAGES.reassignRequired, REASSIGN_FIELD);
    if (!reassignRole || reassignRole.organizationId !== input.organizationId)
      throw fail.notFound(MESSAGES.reassignNotFound, REASSIGN_FIELD);
    if (reassignRole.id === role.id) throw fail.invalid(MESSAGES.reassignSame, REASSIGN_FIELD);
    if (isUnauthenticatedRole(reassignRole)) throw fail.invalid(MESSAGES.reassignUnauthenticated, REASSIGN_FIELD);
    checkGrant(actor, reassignRole, input.reassignPermissions, REASSIGN_FIELD);
  }
  // After the move, admins are those already admin plus (if the target is Admin) the moved members.
  const after =
    countAdmins(input.members.filter((m) => m.role.id !== role.id)) +
    (reassignRole && isAdminRole(reassignRole) ? input.memberCount : 0);
  if (after < 1) throw fail.conflict(MESSAGES.noAdminLeft);
}
