import { describe, expect, it } from "vitest";
import {
  MESSAGES,
  countAdmins,
  effectivePermissions,
  isAdminRole,
  isUnauthenticatedRole,
  normalizePermissionSelection,
  roleNameKey,
  validateInviteRole,
  validateMemberRemoval,
  validateRoleChange,
  validateRoleDeletion,
  validateRoleName,
  validateRoleUpdate,
  type MemberFacts,
  type RoleFacts,
} from "../../core/role-rules";
import { ALL_PERMISSION_NAMES } from "../../core/permissions";

const ORG = "org-a";
const OTHER = "org-b";

const role = (id: string, name: string, extra: Partial<RoleFacts> = {}): RoleFacts => ({
  id,
  name,
  organizationId: ORG,
  isSystem: false,
  isDefault: false,
  ...extra,
});
const admin = role("r-admin", "Admin", { isSystem: true });
const unauth = role("r-unauth", "Unauthenticated", { isSystem: true });
const memberRole = role("r-member", "Member", { isDefault: true });
const manager = role("r-manager", "Manager");
const foreignRole = role("r-foreign", "Member", { organizationId: OTHER });
/** A custom role *named* Admin but not the system role: never counts as an admin. */
const fakeAdmin = role("r-fake", "Admin");

const member = (id: string, userId: string, r: RoleFacts, organizationId = ORG): MemberFacts => ({
  membershipId: id,
  userId,
  organizationId,
  role: r,
});

const alice = member("m-alice", "u-alice", admin);
const bob = member("m-bob", "u-bob", admin);
const carol = member("m-carol", "u-carol", memberRole);
const dave = member("m-dave", "u-dave", manager);

const MEMBER_PERMS = effectivePermissions(memberRole, ["issue:view", "issue:create"]);
const MANAGE_PERMS = effectivePermissions(manager, ["user:manage", "role:manage"]);
const ALL = effectivePermissions(admin, []);

describe("role identification and counting", () => {
  it("recognises the system Admin and Unauthenticated roles only", () => {
    expect(isAdminRole(admin)).toBe(true);
    expect(isAdminRole(fakeAdmin)).toBe(false);
    expect(isAdminRole(memberRole)).toBe(false);
    expect(isUnauthenticatedRole(unauth)).toBe(true);
    expect(isUnauthenticatedRole(role("x", "Unauthenticated"))).toBe(false);
  });

  it("counts admins by the system role", () => {
    expect(countAdmins([alice, bob, carol])).toBe(2);
    expect(countAdmins([alice, carol, member("m-x", "u-x", fakeAdmin)])).toBe(1);
    expect(countAdmins([])).toBe(0);
  });

  it("gives Admin every permission and others their set plus dependencies", () => {
    expect([...ALL].sort()).toEqual([...ALL_PERMISSION_NAMES].sort());
    expect([...effectivePermissions(memberRole, ["issue:edit"])].sort()).toEqual(["issue:edit", "issue:view"]);
    expect(effectivePermissions(memberRole, []).size).toBe(0);
  });

  it("normalises a permission selection: unknown names dropped, dependencies added, catalogue order", () => {
    expect(normalizePermissionSelection(["issue:bulk_manage", "nope:nope", "issue:bulk_manage"])).toEqual([
      "issue:view",
      "issue:edit",
      "issue:bulk_manage",
    ]);
    expect(normalizePermissionSelection([])).toEqual([]);
    expect(normalizePermissionSelection(["attachment:delete"])).toEqual(["attachment:view", "attachment:delete"]);
  });
});

describe("validateRoleChange", () => {
  const base = { organizationId: ORG, actorUserId: "u-alice", members: [alice, bob, carol, dave] };

  it("allows a normal change", () => {
    expect(validateRoleChange({ ...base, target: carol, newRole: manager, newRolePermissions: MANAGE_PERMS })).toEqual({ ok: true });
  });

  it("allows promoting to Admin", () => {
    expect(validateRoleChange({ ...base, target: carol, newRole: admin, newRolePermissions: ALL }).ok).toBe(true);
  });

  it("allows demoting an admin when another admin remains", () => {
    expect(validateRoleChange({ ...base, target: bob, newRole: memberRole, newRolePermissions: MEMBER_PERMS }).ok).toBe(true);
  });

  it("rejects a member or role of another organization as not found", () => {
    const foreignMember = member("m-f", "u-f", foreignRole, OTHER);
    expect(validateRoleChange({ ...base, target: foreignMember, newRole: memberRole, newRolePermissions: MEMBER_PERMS })).toEqual({
      ok: false,
      status: 404,
      error: MESSAGES.memberNotFound,
    });
    expect(validateRoleChange({ ...base, target: carol, newRole: foreignRole, newRolePermissions: MEMBER_PERMS })).toEqual({
      ok: false,
      status: 404,
      error: MESSAGES.roleNotFound,
    });
    expect(validateRoleChange({ ...base, target: null, newRole: memberRole, newRolePermissions: MEMBER_PERMS }).ok).toBe(false);
    expect(validateRoleChange({ ...base, target: carol, newRole: null, newRolePermissions: new Set() }).ok).toBe(false);
  });

  it("rejects a no-op change with a message", () => {
    const r = validateRoleChange({ ...base, target: carol, newRole: memberRole, newRolePermissions: MEMBER_PERMS });
    expect(r).toEqual({ ok: false, status: 400, error: MESSAGES.alreadyHasRole });
  });

  it("never gives members the Unauthenticated role", () => {
    const r = validateRoleChange({ ...base, target: carol, newRole: unauth, newRolePermissions: new Set() });
    expect(r).toMatchObject({ ok: false, error: MESSAGES.unauthenticatedNotAssignable });
  });

  it("refuses to demote the last admin, also when the last admin demotes themselves", () => {
    const members = [alice, carol];
    expect(validateRoleChange({ ...base, members, target: alice, newRole: memberRole, newRolePermissions: MEMBER_PERMS })).toEqual({
      ok: false,
      status: 409,
      error: MESSAGES.lastAdminDemote,
    });
    expect(
      validateRoleChange({ ...base, members, actorUserId: "u-carol", target: alice, newRole: memberRole, newRolePermissions: MEMBER_PERMS }),
    ).toMatchObject({ ok: false, error: MESSAGES.lastAdminDemote });
  });

  it("a custom role named Admin does not count as an admin", () => {
    const members = [alice, member("m-x", "u-x", fakeAdmin)];
    expect(validateRoleChange({ ...base, members, target: alice, newRole: memberRole, newRolePermissions: MEMBER_PERMS }).ok).toBe(false);
  });

  it("stops people changing their own role into a lockout", () => {
    // Alice is one of two admins: demoting herself to Member would drop user:manage.
    expect(validateRoleChange({ ...base, target: alice, newRole: memberRole, newRolePermissions: MEMBER_PERMS })).toEqual({
      ok: false,
      status: 409,
      error: MESSAGES.selfLockoutMembers,
    });
    // …but moving to a role that keeps member management is fine.
    expect(validateRoleChange({ ...base, target: alice, newRole: manager, newRolePermissions: MANAGE_PERMS }).ok).toBe(true);
    // Dave (Manager) moving himself to Member is also a lockout.
    expect(
      validateRoleChange({ ...base, actorUserId: "u-dave", target: dave, newRole: memberRole, newRolePermissions: MEMBER_PERMS }).ok,
    ).toBe(false);
  });
});

describe("validateMemberRemoval", () => {
  const base = { organizationId: ORG, actorUserId: "u-alice", members: [alice, bob, carol] };

  it("allows removing an ordinary member or one of several admins", () => {
    expect(validateMemberRemoval({ ...base, target: carol })).toEqual({ ok: true });
    expect(validateMemberRemoval({ ...base, target: bob }).ok).toBe(true);
  });

  it("refuses to remove the last admin", () => {
    expect(validateMemberRemoval({ ...base, actorUserId: "u-carol", members: [alice, carol], target: alice })).toEqual({
      ok: false,
      status: 409,
      error: MESSAGES.lastAdminRemove,
    });
  });

  it("refuses self-removal and other organizations' members", () => {
    expect(validateMemberRemoval({ ...base, target: alice })).toMatchObject({ ok: false, error: MESSAGES.selfRemove });
    expect(validateMemberRemoval({ ...base, target: member("m-f", "u-f", foreignRole, OTHER) })).toMatchObject({ ok: false, status: 404 });
    expect(validateMemberRemoval({ ...base, target: null })).toMatchObject({ ok: false, status: 404 });
  });
});

describe("validateInviteRole", () => {
  it("accepts member roles and Admin of this organization", () => {
    expect(validateInviteRole({ organizationId: ORG, role: memberRole }).ok).toBe(true);
    expect(validateInviteRole({ organizationId: ORG, role: admin }).ok).toBe(true);
  });
  it("rejects Unauthenticated, foreign and missing roles", () => {
    expect(validateInviteRole({ organizationId: ORG, role: unauth })).toMatchObject({ ok: false, status: 400 });
    expect(validateInviteRole({ organizationId: ORG, role: foreignRole })).toMatchObject({ ok: false, status: 404 });
    expect(validateInviteRole({ organizationId: ORG, role: null })).toMatchObject({ ok: false, status: 404 });
  });
});

describe("validateRoleName", () => {
  it("accepts a fresh name and compares case- and space-insensitively", () => {
    expect(validateRoleName({ name: "Technician", otherNames: ["Admin", "Member"] }).ok).toBe(true);
    expect(validateRoleName({ name: "  member ", otherNames: ["Admin", "Member"] })).toEqual({ ok: false, status: 409, error: MESSAGES.nameTaken });
    expect(roleNameKey("  Front   Desk ")).toBe("front desk");
  });
  it("reserves the built-in names", () => {
    expect(validateRoleName({ name: "admin", otherNames: [] })).toMatchObject({ ok: false, error: MESSAGES.nameReserved });
    expect(validateRoleName({ name: "UNAUTHENTICATED", otherNames: [] })).toMatchObject({ ok: false, error: MESSAGES.nameReserved });
  });
});

describe("validateRoleUpdate", () => {
  const base = { organizationId: ORG, actorRoleId: "r-admin" };

  it("Admin is immutable: no rename, no permission change", () => {
    expect(validateRoleUpdate({ ...base, role: admin, changes: { permissions: [] } })).toEqual({
      ok: false,
      status: 403,
      error: MESSAGES.adminImmutable,
    });
    expect(validateRoleUpdate({ ...base, role: admin, changes: { name: "Boss" } }).ok).toBe(false);
  });

  it("Unauthenticated: permissions only", () => {
    expect(validateRoleUpdate({ ...base, role: unauth, changes: { permissions: ["issue:view"] } }).ok).toBe(true);
    expect(validateRoleUpdate({ ...base, role: unauth, changes: { name: "Guests" } })).toMatchObject({
      ok: false,
      status: 403,
      error: MESSAGES.unauthenticatedPermissionsOnly,
    });
    expect(validateRoleUpdate({ ...base, role: unauth, changes: { isDefault: true } }).ok).toBe(false);
    // Re-submitting the same name and default is not a change.
    expect(validateRoleUpdate({ ...base, role: unauth, changes: { name: "Unauthenticated", isDefault: false } }).ok).toBe(true);
  });

  it("custom roles are fully editable", () => {
    expect(validateRoleUpdate({ ...base, role: memberRole, changes: { name: "Volunteer", isDefault: false, permissions: [] } }).ok).toBe(true);
  });

  it("rejects roles of other organizations", () => {
    expect(validateRoleUpdate({ ...base, role: foreignRole, changes: { name: "x" } })).toMatchObject({ ok: false, status: 404 });
    expect(validateRoleUpdate({ ...base, role: null, changes: {} })).toMatchObject({ ok: false, status: 404 });
  });

  it("you cannot remove role management from your own role", () => {
    const own = { ...base, actorRoleId: manager.id, role: manager };
    expect(validateRoleUpdate({ ...own, changes: { permissions: ["user:manage"] } })).toEqual({
      ok: false,
      status: 409,
      error: MESSAGES.selfLockoutRoles,
    });
    expect(validateRoleUpdate({ ...own, changes: { permissions: ["role:manage"] } }).ok).toBe(true);
    // Renaming your own role is fine.
    expect(validateRoleUpdate({ ...own, changes: { name: "Managers" } }).ok).toBe(true);
  });
});

describe("validateRoleDeletion", () => {
  const base = { organizationId: ORG, members: [alice, carol, dave], reassignRequested: true };

  it("deletes an empty role without reassignment", () => {
    expect(validateRoleDeletion({ ...base, role: manager, reassignRole: null, reassignRequested: false, memberCount: 0 })).toEqual({ ok: true });
  });

  it("requires a reassignment role when the role has members", () => {
    expect(validateRoleDeletion({ ...base, role: memberRole, reassignRole: null, reassignRequested: false, memberCount: 1 })).toEqual({
      ok: false,
      status: 400,
      error: MESSAGES.reassignRequired,
    });
    expect(validateRoleDeletion({ ...base, role: memberRole, reassignRole: manager, memberCount: 1 }).ok).toBe(true);
  });

  it("the reassignment role must be in the organization, differ from the deleted role, and not be Unauthenticated", () => {
    expect(validateRoleDeletion({ ...base, role: memberRole, reassignRole: foreignRole, memberCount: 1 })).toMatchObject({
      ok: false,
      status: 404,
      error: MESSAGES.reassignNotFound,
    });
    expect(validateRoleDeletion({ ...base, role: memberRole, reassignRole: null, memberCount: 1 })).toMatchObject({ status: 404 });
    expect(validateRoleDeletion({ ...base, role: memberRole, reassignRole: memberRole, memberCount: 1 })).toMatchObject({
      error: MESSAGES.reassignSame,
    });
    expect(validateRoleDeletion({ ...base, role: memberRole, reassignRole: unauth, memberCount: 1 })).toMatchObject({
      error: MESSAGES.reassignUnauthenticated,
    });
  });

  it("system roles cannot be deleted", () => {
    expect(validateRoleDeletion({ ...base, role: admin, reassignRole: memberRole, memberCount: 1 })).toEqual({
      ok: false,
      status: 403,
      error: MESSAGES.systemNotDeletable,
    });
    expect(validateRoleDeletion({ ...base, role: unauth, reassignRole: null, memberCount: 0 })).toMatchObject({ status: 403 });
  });

  it("roles of other organizations are not found", () => {
    expect(validateRoleDeletion({ ...base, role: foreignRole, reassignRole: memberRole, memberCount: 0 })).toMatchObject({ status: 404 });
  });

  it("keeps at least one admin", () => {
    expect(validateRoleDeletion({ ...base, members: [carol], role: manager, reassignRole: null, reassignRequested: false, memberCount: 0 })).toEqual({
      ok: false,
      status: 409,
      error: MESSAGES.noAdminLeft,
    });
    // Moving members into Admin counts them.
    expect(validateRoleDeletion({ ...base, members: [carol], role: memberRole, reassignRole: admin, memberCount: 1 }).ok).toBe(true);
  });
});
