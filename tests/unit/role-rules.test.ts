import { describe, expect, it } from "vitest";
import {
  MESSAGES,
  checkControl,
  checkGrant,
  countAdmins,
  effectivePermissions,
  isAdminRole,
  isUnauthenticatedRole,
  normalizePermissionSelection,
  permissionChoices,
  roleNameKey,
  validateInviteRole,
  validateMemberRemoval,
  validateRoleChange,
  validateRoleCreation,
  validateRoleDeletion,
  validateRoleName,
  validateRoleUpdate,
  type ActorFacts,
  type MemberFacts,
  type RoleFacts,
} from "../../core/role-rules";
import { ALL_PERMISSION_NAMES, PUBLIC_PERMISSIONS } from "../../core/permissions";

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
const NONE = new Set<string>();

/** Alice, an Admin. */
const asAlice: ActorFacts = { userId: "u-alice", isAdmin: true, permissions: ALL };
/** Erin holds a custom role with user:manage, role:manage and viewing/reporting issues, but not Admin. */
const asErin: ActorFacts = { userId: "u-erin", isAdmin: false, permissions: new Set(["user:manage", "role:manage", "issue:view", "issue:create", "machine:view"]) };
const viewer = role("r-viewer", "Viewer");
const VIEWER_PERMS = new Set(["issue:view"]);
const frank = member("m-frank", "u-frank", viewer);

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

describe("checkGrant and checkControl: the delegation rule", () => {
  it("admins may give and touch any role", () => {
    for (const [r, p] of [[admin, ALL], [manager, MANAGE_PERMS], [memberRole, MEMBER_PERMS]] as const) {
      expect(checkGrant(asAlice, r, p)).toEqual({ ok: true });
      expect(checkControl(asAlice, r, p)).toEqual({ ok: true });
    }
  });

  it("non-admins may give and touch roles within their own permissions", () => {
    expect(checkGrant(asErin, viewer, VIEWER_PERMS)).toEqual({ ok: true });
    expect(checkControl(asErin, viewer, VIEWER_PERMS)).toEqual({ ok: true });
    expect(checkGrant(asErin, memberRole, NONE)).toEqual({ ok: true });
  });

  it("non-admins never give or touch the Admin role, even holding every other permission", () => {
    const almostAll: ActorFacts = { userId: "u-x", isAdmin: false, permissions: ALL };
    expect(checkGrant(almostAll, admin, ALL)).toEqual({ ok: false, status: 403, error: MESSAGES.grantAdmin });
    expect(checkControl(almostAll, admin, ALL)).toEqual({ ok: false, status: 403, error: MESSAGES.controlAdmin });
  });

  it("non-admins never give or touch a role that manages roles or members, even when they hold that permission", () => {
    expect(checkGrant(asErin, manager, new Set(["user:manage"]))).toEqual({ ok: false, status: 403, error: MESSAGES.grantManagement });
    expect(checkControl(asErin, manager, new Set(["role:manage"]))).toEqual({ ok: false, status: 403, error: MESSAGES.controlManagement });
  });

  it("non-admins never give or touch a role holding a permission they lack", () => {
    const withDelete = new Set(["issue:view", "issue:delete"]);
    expect(checkGrant(asErin, viewer, withDelete)).toEqual({ ok: false, status: 403, error: MESSAGES.grantBeyond });
    expect(checkControl(asErin, viewer, withDelete)).toEqual({ ok: false, status: 403, error: MESSAGES.controlBeyond });
  });

  it("a custom role merely named Admin is judged by its permissions, not its name", () => {
    expect(checkGrant(asErin, fakeAdmin, VIEWER_PERMS)).toEqual({ ok: true });
  });
});

describe("permissionChoices: what the role editor offers", () => {
  it("admins may tick everything on custom roles, nothing on Admin, only public permissions on Unauthenticated", () => {
    expect(permissionChoices(asAlice, viewer).every((c) => c.editable)).toBe(true);
    expect(permissionChoices(asAlice, admin).some((c) => c.editable)).toBe(false);
    const unauthChoices = permissionChoices(asAlice, unauth);
    expect(unauthChoices.filter((c) => c.editable).map((c) => c.name).sort()).toEqual([...PUBLIC_PERMISSIONS].sort());
    expect(unauthChoices.find((c) => c.name === "user:manage")).toMatchObject({ editable: false, reason: expect.any(String) });
  });

  it("non-admins may tick only what they hold, never role or member management", () => {
    const choices = Object.fromEntries(permissionChoices(asErin, viewer).map((c) => [c.name, c]));
    expect(choices["issue:view"].editable).toBe(true);
    expect(choices["issue:delete"]).toMatchObject({ editable: false, reason: "You do not have this permission." });
    expect(choices["user:manage"]).toMatchObject({ editable: false, reason: "Only admins can give this." });
    expect(choices["role:manage"].editable).toBe(false);
  });
});

describe("validateRoleChange", () => {
  const base = {
    organizationId: ORG,
    actor: asAlice,
    members: [alice, bob],
    targetPermissions: MEMBER_PERMS,
  };

  it("allows a normal change, and an admin promoting to Admin or demoting another admin", () => {
    expect(validateRoleChange({ ...base, target: carol, newRole: manager, newRolePermissions: MANAGE_PERMS })).toEqual({ ok: true });
    expect(validateRoleChange({ ...base, target: carol, newRole: admin, newRolePermissions: ALL }).ok).toBe(true);
    expect(validateRoleChange({ ...base, target: bob, targetPermissions: ALL, newRole: memberRole, newRolePermissions: MEMBER_PERMS }).ok).toBe(true);
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
    expect(validateRoleChange({ ...base, target: carol, newRole: null, newRolePermissions: NONE }).ok).toBe(false);
  });

  it("rejects a no-op change with a message", () => {
    const r = validateRoleChange({ ...base, target: carol, newRole: memberRole, newRolePermissions: MEMBER_PERMS });
    expect(r).toEqual({ ok: false, status: 400, error: MESSAGES.alreadyHasRole });
  });

  it("never gives members the Unauthenticated role", () => {
    const r = validateRoleChange({ ...base, target: carol, newRole: unauth, newRolePermissions: NONE });
    expect(r).toMatchObject({ ok: false, error: MESSAGES.unauthenticatedNotAssignable });
  });

  it("nobody changes their own role, admins included", () => {
    expect(validateRoleChange({ ...base, target: alice, targetPermissions: ALL, newRole: manager, newRolePermissions: MANAGE_PERMS })).toEqual({
      ok: false,
      status: 403,
      error: MESSAGES.ownRole,
    });
    const asDave: ActorFacts = { userId: "u-dave", isAdmin: false, permissions: MANAGE_PERMS };
    expect(validateRoleChange({ ...base, actor: asDave, target: dave, targetPermissions: MANAGE_PERMS, newRole: admin, newRolePermissions: ALL })).toMatchObject({
      error: MESSAGES.ownRole,
    });
  });

  it("refuses to demote the last admin, also when the last admin demotes themselves", () => {
    expect(
      validateRoleChange({ ...base, members: [alice], target: alice, targetPermissions: ALL, newRole: memberRole, newRolePermissions: MEMBER_PERMS }),
    ).toEqual({ ok: false, status: 409, error: MESSAGES.lastAdminDemote });
    expect(
      validateRoleChange({ ...base, members: [alice], actor: { ...asAlice, userId: "u-other" }, target: alice, targetPermissions: ALL, newRole: memberRole, newRolePermissions: MEMBER_PERMS }),
    ).toMatchObject({ error: MESSAGES.lastAdminDemote });
    // A custom role named Admin does not count as an admin.
    expect(
      validateRoleChange({ ...base, members: [alice, member("m-x", "u-x", fakeAdmin)], actor: { ...asAlice, userId: "u-other" }, target: alice, targetPermissions: ALL, newRole: memberRole, newRolePermissions: MEMBER_PERMS }).ok,
    ).toBe(false);
  });

  it("non-admins: not the Admin role, not management roles, not beyond their own permissions, not members beyond them", () => {
    const erin = { ...base, actor: asErin };
    expect(validateRoleChange({ ...erin, target: frank, targetPermissions: VIEWER_PERMS, newRole: admin, newRolePermissions: ALL })).toMatchObject({
      status: 403,
      error: MESSAGES.grantAdmin,
    });
    expect(validateRoleChange({ ...erin, target: frank, targetPermissions: VIEWER_PERMS, newRole: manager, newRolePermissions: MANAGE_PERMS })).toMatchObject({
      error: MESSAGES.grantManagement,
    });
    const beyond = new Set(["issue:view", "issue:delete"]);
    expect(validateRoleChange({ ...erin, target: frank, targetPermissions: VIEWER_PERMS, newRole: memberRole, newRolePermissions: beyond })).toMatchObject({
      error: MESSAGES.grantBeyond,
    });
    expect(validateRoleChange({ ...erin, target: bob, targetPermissions: ALL, newRole: viewer, newRolePermissions: VIEWER_PERMS })).toMatchObject({
      error: MESSAGES.controlAdmin,
    });
    expect(validateRoleChange({ ...erin, target: carol, targetPermissions: beyond, newRole: viewer, newRolePermissions: VIEWER_PERMS })).toMatchObject({
      error: MESSAGES.controlBeyond,
    });
    expect(validateRoleChange({ ...erin, target: frank, targetPermissions: VIEWER_PERMS, newRole: memberRole, newRolePermissions: MEMBER_PERMS })).toEqual({ ok: true });
  });
});

describe("validateMemberRemoval", () => {
  const base = { organizationId: ORG, actor: asAlice, members: [alice, bob, carol], targetPermissions: MEMBER_PERMS };

  it("allows removing an ordinary member or one of several admins", () => {
    expect(validateMemberRemoval({ ...base, target: carol })).toEqual({ ok: true });
    expect(validateMemberRemoval({ ...base, target: bob, targetPermissions: ALL }).ok).toBe(true);
  });

  it("refuses to remove the last admin", () => {
    expect(validateMemberRemoval({ ...base, actor: { ...asAlice, userId: "u-carol" }, members: [alice, carol], target: alice, targetPermissions: ALL })).toEqual({
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

  it("non-admins cannot remove admins or members whose role is beyond them", () => {
    expect(validateMemberRemoval({ ...base, actor: asErin, target: bob, targetPermissions: ALL })).toMatchObject({ status: 403, error: MESSAGES.controlAdmin });
    expect(validateMemberRemoval({ ...base, actor: asErin, target: dave, targetPermissions: MANAGE_PERMS })).toMatchObject({ error: MESSAGES.controlManagement });
    expect(validateMemberRemoval({ ...base, actor: asErin, target: frank, targetPermissions: VIEWER_PERMS })).toEqual({ ok: true });
  });
});

describe("validateInviteRole", () => {
  const base = { organizationId: ORG, actor: asAlice };
  it("accepts member roles and Admin of this organization for an admin", () => {
    expect(validateInviteRole({ ...base, role: memberRole, permissions: MEMBER_PERMS }).ok).toBe(true);
    expect(validateInviteRole({ ...base, role: admin, permissions: ALL }).ok).toBe(true);
  });
  it("rejects Unauthenticated, foreign and missing roles", () => {
    expect(validateInviteRole({ ...base, role: unauth, permissions: NONE })).toMatchObject({ ok: false, status: 400 });
    expect(validateInviteRole({ ...base, role: foreignRole, permissions: NONE })).toMatchObject({ ok: false, status: 404 });
    expect(validateInviteRole({ ...base, role: null, permissions: NONE })).toMatchObject({ ok: false, status: 404 });
  });
  it("obeys the delegation rule: only admins invite as Admin, nobody invites beyond their own permissions", () => {
    expect(validateInviteRole({ ...base, actor: asErin, role: admin, permissions: ALL })).toMatchObject({ status: 403, error: MESSAGES.grantAdmin });
    expect(validateInviteRole({ ...base, actor: asErin, role: manager, permissions: MANAGE_PERMS })).toMatchObject({ error: MESSAGES.grantManagement });
    expect(validateInviteRole({ ...base, actor: asErin, role: viewer, permissions: VIEWER_PERMS }).ok).toBe(true);
  });
});

describe("roleNameKey and validateRoleName", () => {
  it("accepts a fresh name and compares case- and space-insensitively", () => {
    expect(validateRoleName({ name: "Technician", otherNames: ["Admin", "Member"] }).ok).toBe(true);
    expect(validateRoleName({ name: "  member ", otherNames: ["Admin", "Member"] })).toEqual({ ok: false, status: 409, error: MESSAGES.nameTaken });
    expect(roleNameKey("  Front   Desk ")).toBe("front desk");
  });
  it("reserves the built-in names", () => {
    expect(validateRoleName({ name: "admin", otherNames: [] })).toMatchObject({ ok: false, error: MESSAGES.nameReserved });
    expect(validateRoleName({ name: "UNAUTHENTICATED", otherNames: [] })).toMatchObject({ ok: false, error: MESSAGES.nameReserved });
  });
  it("folds Cyrillic and Greek look-alikes, fullwidth and mathematical letters, and invisible characters", () => {
    expect(roleNameKey("\u0410dmin")).toBe("admin"); // Cyrillic А
    expect(roleNameKey("\u0391\u0394MIN")).not.toBe("admin"); // Greek Δ is no d
    expect(roleNameKey("\u0391dmin")).toBe("admin"); // Greek Α
    expect(roleNameKey("\uFF21\uFF44\uFF4D\uFF49\uFF4E")).toBe("admin"); // fullwidth
    expect(roleNameKey("\u{1D400}dmin")).toBe("admin"); // mathematical bold A
    expect(roleNameKey("Ad\u200Bmin\u200D")).toBe("admin"); // zero-width space and joiner
    expect(roleNameKey("Ad\u00ADmin")).toBe("admin"); // soft hyphen
    expect(roleNameKey("\u202EAdmin")).toBe("admin"); // right-to-left override
    expect(roleNameKey("\u0422\u0435\u0441h")).toBe("tech"); // Cyrillic Т е с
    expect(roleNameKey("\u039C\u0395\u039C\u0392\u0395R")).toBe("member"); // Greek ΜΕΜΒΕ + Latin R
    expect(roleNameKey("Front\u00A0Desk")).toBe("front desk"); // no-break space
    expect(validateRoleName({ name: "\u0410dmin", otherNames: [] })).toMatchObject({ ok: false, error: MESSAGES.nameReserved });
    expect(validateRoleName({ name: "M\u0435mber", otherNames: ["Member"] })).toMatchObject({ ok: false, error: MESSAGES.nameTaken });
  });
  it("keeps accented letters and other scripts distinct", () => {
    expect(roleNameKey("Ádmin")).not.toBe("admin");
    expect(roleNameKey("Δ")).toBe("δ");
    expect(roleNameKey("Мастер")).not.toBe(roleNameKey("Master")); // a Cyrillic word is not its Latin translation
  });
});

describe("validateRoleCreation", () => {
  it("a new role starts only with permissions the actor could give", () => {
    expect(validateRoleCreation({ actor: asAlice, permissions: MANAGE_PERMS }).ok).toBe(true);
    expect(validateRoleCreation({ actor: asErin, permissions: VIEWER_PERMS }).ok).toBe(true);
    expect(validateRoleCreation({ actor: asErin, permissions: new Set(["issue:delete"]) })).toMatchObject({ status: 403, error: MESSAGES.grantBeyond });
    expect(validateRoleCreation({ actor: asErin, permissions: new Set(["user:manage"]) })).toMatchObject({ error: MESSAGES.grantManagement });
  });
});

describe("validateRoleUpdate", () => {
  const base = { organizationId: ORG, actor: asAlice, currentPermissions: MEMBER_PERMS };

  it("Admin is immutable: no rename, no permission change", () => {
    expect(validateRoleUpdate({ ...base, role: admin, changes: { permissions: [] } })).toEqual({
      ok: false,
      status: 403,
      error: MESSAGES.adminImmutable,
    });
    expect(validateRoleUpdate({ ...base, role: admin, changes: { name: "Boss" } }).ok).toBe(false);
  });

  it("Unauthenticated: permissions only, and public ones only (400 otherwise)", () => {
    expect(validateRoleUpdate({ ...base, role: unauth, changes: { permissions: ["issue:view"] } }).ok).toBe(true);
    expect(validateRoleUpdate({ ...base, role: unauth, changes: { permissions: [...PUBLIC_PERMISSIONS] } }).ok).toBe(true);
    expect(validateRoleUpdate({ ...base, role: unauth, changes: { permissions: ["issue:view", "user:manage"] } })).toEqual({
      ok: false,
      status: 400,
      error: MESSAGES.unauthenticatedPublicOnly,
    });
    expect(validateRoleUpdate({ ...base, role: unauth, changes: { permissions: ["issue:edit"] } })).toMatchObject({ status: 400 });
    expect(validateRoleUpdate({ ...base, role: unauth, changes: { name: "Guests" } })).toMatchObject({
      ok: false,
      status: 403,
      error: MESSAGES.unauthenticatedPermissionsOnly,
    });
    expect(validateRoleUpdate({ ...base, role: unauth, changes: { isDefault: true } }).ok).toBe(false);
    // Re-submitting the same name and default is not a change.
    expect(validateRoleUpdate({ ...base, role: unauth, changes: { name: "Unauthenticated", isDefault: false } }).ok).toBe(true);
  });

  it("custom roles are fully editable by admins", () => {
    expect(validateRoleUpdate({ ...base, role: memberRole, changes: { name: "Volunteer", isDefault: false, permissions: [] } }).ok).toBe(true);
    expect(validateRoleUpdate({ ...base, role: memberRole, changes: { permissions: ["user:manage", "role:manage"] } }).ok).toBe(true);
  });

  it("rejects roles of other organizations", () => {
    expect(validateRoleUpdate({ ...base, role: foreignRole, changes: { name: "x" } })).toMatchObject({ ok: false, status: 404 });
    expect(validateRoleUpdate({ ...base, role: null, changes: {} })).toMatchObject({ ok: false, status: 404 });
  });

  it("non-admins: only roles within their permissions and without management, only to sets they hold", () => {
    const erin = { ...base, actor: asErin };
    // Erin's own kind of role manages roles: hands off, including renaming it.
    expect(validateRoleUpdate({ ...erin, role: manager, currentPermissions: MANAGE_PERMS, changes: { name: "Managers" } })).toMatchObject({
      status: 403,
      error: MESSAGES.controlManagement,
    });
    expect(validateRoleUpdate({ ...erin, role: viewer, currentPermissions: VIEWER_PERMS, changes: { permissions: ["issue:view", "issue:create"] } }).ok).toBe(true);
    expect(validateRoleUpdate({ ...erin, role: viewer, currentPermissions: VIEWER_PERMS, changes: { permissions: ALL_PERMISSION_NAMES } })).toMatchObject({
      status: 403,
      error: MESSAGES.grantManagement,
    });
    expect(validateRoleUpdate({ ...erin, role: viewer, currentPermissions: VIEWER_PERMS, changes: { permissions: ["issue:delete"] } })).toMatchObject({
      error: MESSAGES.grantBeyond,
    });
    expect(validateRoleUpdate({ ...erin, role: memberRole, currentPermissions: new Set(["issue:edit"]), changes: { permissions: [] } })).toMatchObject({
      error: MESSAGES.controlBeyond,
    });
  });
});

describe("validateRoleDeletion", () => {
  const base = {
    organizationId: ORG,
    actor: asAlice,
    members: [alice, carol, dave],
    reassignRequested: true,
    rolePermissions: MEMBER_PERMS,
    reassignPermissions: MANAGE_PERMS,
  };

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
    expect(validateRoleDeletion({ ...base, members: [carol], role: memberRole, reassignRole: admin, reassignPermissions: ALL, memberCount: 1 }).ok).toBe(true);
  });

  it("non-admins: not their management roles, not roles beyond them, and never moving members into Admin or beyond", () => {
    const erin = { ...base, actor: asErin };
    expect(validateRoleDeletion({ ...erin, role: manager, rolePermissions: MANAGE_PERMS, reassignRole: null, reassignRequested: false, memberCount: 0 })).toMatchObject({
      status: 403,
      error: MESSAGES.controlManagement,
    });
    expect(validateRoleDeletion({ ...erin, role: viewer, rolePermissions: VIEWER_PERMS, reassignRole: admin, reassignPermissions: ALL, memberCount: 1 })).toMatchObject({
      error: MESSAGES.grantAdmin,
    });
    expect(
      validateRoleDeletion({ ...erin, role: viewer, rolePermissions: VIEWER_PERMS, reassignRole: memberRole, reassignPermissions: new Set(["issue:delete"]), memberCount: 1 }),
    ).toMatchObject({ error: MESSAGES.grantBeyond });
    expect(validateRoleDeletion({ ...erin, role: viewer, rolePermissions: VIEWER_PERMS, reassignRole: memberRole, reassignPermissions: VIEWER_PERMS, memberCount: 1 }).ok).toBe(true);
  });
});
