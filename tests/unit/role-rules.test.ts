import { describe, expect, it } from "vitest";
import {
  MESSAGES,
  checkControl,
  checkGrant,
  controlRefusal,
  countAdmins,
  effectivePermissions,
  grantRefusal,
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
import { isFailure, type FailureCode } from "../../core/failure";

/** What a rule decides: "ok", or the code and message of the Failure it throws (anything else is a bug). */
function outcome(rule: () => void): "ok" | { code: FailureCode; message: string } {
  try {
    rule();
    return "ok";
  } catch (error) {
    if (isFailure(error)) return { code: error.code, message: error.message };
    throw error;
  }
}

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
const asErin: ActorFacts = {
  userId: "u-erin",
  isAdmin: false,
  permissions: new Set(["user:manage", "role:manage", "issue:view", "issue:create", "machine:view"]),
};
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
    for (const [r, p] of [
      [admin, ALL],
      [manager, MANAGE_PERMS],
      [memberRole, MEMBER_PERMS],
    ] as const) {
      expect(outcome(() => checkGrant(asAlice, r, p))).toBe("ok");
      expect(outcome(() => checkControl(asAlice, r, p))).toBe("ok");
    }
  });

  it("non-admins may give and touch roles within their own permissions", () => {
    expect(outcome(() => checkGrant(asErin, viewer, VIEWER_PERMS))).toBe("ok");
    expect(outcome(() => checkControl(asErin, viewer, VIEWER_PERMS))).toBe("ok");
    expect(outcome(() => checkGrant(asErin, memberRole, NONE))).toBe("ok");
  });

  it("non-admins never give or touch the Admin role, even holding every other permission", () => {
    const almostAll: ActorFacts = { userId: "u-x", isAdmin: false, permissions: ALL };
    expect(outcome(() => checkGrant(almostAll, admin, ALL))).toEqual({
      code: "forbidden",
      message: MESSAGES.grantAdmin,
    });
    expect(outcome(() => checkControl(almostAll, admin, ALL))).toEqual({
      code: "forbidden",
      message: MESSAGES.controlAdmin,
    });
  });

  it("non-admins never give or touch a role that manages roles or members, even when they hold that permission", () => {
    expect(outcome(() => checkGrant(asErin, manager, new Set(["user:manage"])))).toEqual({
      code: "forbidden",
      message: MESSAGES.grantManagement,
    });
    expect(outcome(() => checkControl(asErin, manager, new Set(["role:manage"])))).toEqual({
      code: "forbidden",
      message: MESSAGES.controlManagement,
    });
  });

  it("non-admins never give or touch a role holding a permission they lack", () => {
    const withDelete = new Set(["issue:view", "issue:delete"]);
    expect(outcome(() => checkGrant(asErin, viewer, withDelete))).toEqual({
      code: "forbidden",
      message: MESSAGES.grantBeyond,
    });
    expect(outcome(() => checkControl(asErin, viewer, withDelete))).toEqual({
      code: "forbidden",
      message: MESSAGES.controlBeyond,
    });
  });

  it("the refusals that pages show are the ones the writes throw (one rule), and null when nothing stands in the way", () => {
    expect(grantRefusal(asAlice, admin, ALL)).toBeNull();
    expect(controlRefusal(asErin, viewer, VIEWER_PERMS)).toBeNull();
    expect(grantRefusal(asErin, manager, MANAGE_PERMS)).toMatchObject({
      code: "forbidden",
      message: MESSAGES.grantManagement,
    });
    expect(controlRefusal(asErin, admin, ALL)).toMatchObject({ code: "forbidden", message: MESSAGES.controlAdmin });
    expect(outcome(() => checkControl(asErin, admin, ALL))).toEqual({
      code: "forbidden",
      message: controlRefusal(asErin, admin, ALL)!.message,
    });
  });

  it("a custom role merely named Admin is judged by its permissions, not its name", () => {
    expect(outcome(() => checkGrant(asErin, fakeAdmin, VIEWER_PERMS))).toBe("ok");
  });
});

describe("permissionChoices: what the role editor offers", () => {
  it("admins may tick everything on custom roles, nothing on Admin, only public permissions on Unauthenticated", () => {
    expect(permissionChoices(asAlice, viewer).every((c) => c.editable)).toBe(true);
    expect(permissionChoices(asAlice, admin).some((c) => c.editable)).toBe(false);
    const unauthChoices = permissionChoices(asAlice, unauth);
    expect(
      unauthChoices
        .filter((c) => c.editable)
        .map((c) => c.name)
        .sort(),
    ).toEqual([...PUBLIC_PERMISSIONS].sort());
    expect(unauthChoices.find((c) => c.name === "user:manage")).toMatchObject({
      editable: false,
      reason: expect.any(String),
    });
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
    expect(
      outcome(() => validateRoleChange({ ...base, target: carol, newRole: manager, newRolePermissions: MANAGE_PERMS })),
    ).toBe("ok");
    expect(outcome(() => validateRoleChange({ ...base, target: carol, newRole: admin, newRolePermissions: ALL }))).toBe(
      "ok",
    );
    expect(
      outcome(() =>
        validateRoleChange({
          ...base,
          target: bob,
          targetPermissions: ALL,
          newRole: memberRole,
          newRolePermissions: MEMBER_PERMS,
        }),
      ),
    ).toBe("ok");
  });

  it("rejects a member or role of another organization as not found", () => {
    const foreignMember = member("m-f", "u-f", foreignRole, OTHER);
    expect(
      outcome(() =>
        validateRoleChange({ ...base, target: foreignMember, newRole: memberRole, newRolePermissions: MEMBER_PERMS }),
      ),
    ).toEqual({
      code: "not_found",
      message: MESSAGES.memberNotFound,
    });
    expect(
      outcome(() =>
        validateRoleChange({ ...base, target: carol, newRole: foreignRole, newRolePermissions: MEMBER_PERMS }),
      ),
    ).toEqual({
      code: "not_found",
      message: MESSAGES.roleNotFound,
    });
    expect(
      outcome(() =>
        validateRoleChange({ ...base, target: null, newRole: memberRole, newRolePermissions: MEMBER_PERMS }),
      ),
    ).not.toBe("ok");
    expect(
      outcome(() => validateRoleChange({ ...base, target: carol, newRole: null, newRolePermissions: NONE })),
    ).not.toBe("ok");
  });

  it("rejects a no-op change with a message", () => {
    const r = outcome(() =>
      validateRoleChange({ ...base, target: carol, newRole: memberRole, newRolePermissions: MEMBER_PERMS }),
    );
    expect(r).toEqual({ code: "invalid", message: MESSAGES.alreadyHasRole });
  });

  it("never gives members the Unauthenticated role", () => {
    const r = outcome(() => validateRoleChange({ ...base, target: carol, newRole: unauth, newRolePermissions: NONE }));
    expect(r).toMatchObject({ code: "invalid", message: MESSAGES.unauthenticatedNotAssignable });
  });

  it("nobody changes their own role, admins included", () => {
    expect(
      outcome(() =>
        validateRoleChange({
          ...base,
          target: alice,
          targetPermissions: ALL,
          newRole: manager,
          newRolePermissions: MANAGE_PERMS,
        }),
      ),
    ).toEqual({
      code: "forbidden",
      message: MESSAGES.ownRole,
    });
    const asDave: ActorFacts = { userId: "u-dave", isAdmin: false, permissions: MANAGE_PERMS };
    expect(
      outcome(() =>
        validateRoleChange({
          ...base,
          actor: asDave,
          target: dave,
          targetPermissions: MANAGE_PERMS,
          newRole: admin,
          newRolePermissions: ALL,
        }),
      ),
    ).toMatchObject({
      message: MESSAGES.ownRole,
    });
  });

  it("refuses to demote the last admin, also when the last admin demotes themselves", () => {
    expect(
      outcome(() =>
        validateRoleChange({
          ...base,
          members: [alice],
          target: alice,
          targetPermissions: ALL,
          newRole: memberRole,
          newRolePermissions: MEMBER_PERMS,
        }),
      ),
    ).toEqual({ code: "conflict", message: MESSAGES.lastAdminDemote });
    expect(
      outcome(() =>
        validateRoleChange({
          ...base,
          members: [alice],
          actor: { ...asAlice, userId: "u-other" },
          target: alice,
          targetPermissions: ALL,
          newRole: memberRole,
          newRolePermissions: MEMBER_PERMS,
        }),
      ),
    ).toMatchObject({ message: MESSAGES.lastAdminDemote });
    // A custom role named Admin does not count as an admin.
    expect(
      outcome(() =>
        validateRoleChange({
          ...base,
          members: [alice, member("m-x", "u-x", fakeAdmin)],
          actor: { ...asAlice, userId: "u-other" },
          target: alice,
          targetPermissions: ALL,
          newRole: memberRole,
          newRolePermissions: MEMBER_PERMS,
        }),
      ),
    ).toMatchObject({ code: "conflict", message: MESSAGES.lastAdminDemote });
  });

  it("non-admins: not the Admin role, not management roles, not beyond their own permissions, not members beyond them", () => {
    const erin = { ...base, actor: asErin };
    expect(
      outcome(() =>
        validateRoleChange({
          ...erin,
          target: frank,
          targetPermissions: VIEWER_PERMS,
          newRole: admin,
          newRolePermissions: ALL,
        }),
      ),
    ).toMatchObject({
      code: "forbidden",
      message: MESSAGES.grantAdmin,
    });
    expect(
      outcome(() =>
        validateRoleChange({
          ...erin,
          target: frank,
          targetPermissions: VIEWER_PERMS,
          newRole: manager,
          newRolePermissions: MANAGE_PERMS,
        }),
      ),
    ).toMatchObject({
      message: MESSAGES.grantManagement,
    });
    const beyond = new Set(["issue:view", "issue:delete"]);
    expect(
      outcome(() =>
        validateRoleChange({
          ...erin,
          target: frank,
          targetPermissions: VIEWER_PERMS,
          newRole: memberRole,
          newRolePermissions: beyond,
        }),
      ),
    ).toMatchObject({
      message: MESSAGES.grantBeyond,
    });
    expect(
      outcome(() =>
        validateRoleChange({
          ...erin,
          target: bob,
          targetPermissions: ALL,
          newRole: viewer,
          newRolePermissions: VIEWER_PERMS,
        }),
      ),
    ).toMatchObject({
      message: MESSAGES.controlAdmin,
    });
    expect(
      outcome(() =>
        validateRoleChange({
          ...erin,
          target: carol,
          targetPermissions: beyond,
          newRole: viewer,
          newRolePermissions: VIEWER_PERMS,
        }),
      ),
    ).toMatchObject({
      message: MESSAGES.controlBeyond,
    });
    expect(
      outcome(() =>
        validateRoleChange({
          ...erin,
          target: frank,
          targetPermissions: VIEWER_PERMS,
          newRole: memberRole,
          newRolePermissions: MEMBER_PERMS,
        }),
      ),
    ).toBe("ok");
  });
});

describe("validateMemberRemoval", () => {
  const base = { organizationId: ORG, actor: asAlice, members: [alice, bob, carol], targetPermissions: MEMBER_PERMS };

  it("allows removing an ordinary member or one of several admins", () => {
    expect(outcome(() => validateMemberRemoval({ ...base, target: carol }))).toBe("ok");
    expect(outcome(() => validateMemberRemoval({ ...base, target: bob, targetPermissions: ALL }))).toBe("ok");
  });

  it("refuses to remove the last admin", () => {
    expect(
      outcome(() =>
        validateMemberRemoval({
          ...base,
          actor: { ...asAlice, userId: "u-carol" },
          members: [alice, carol],
          target: alice,
          targetPermissions: ALL,
        }),
      ),
    ).toEqual({
      code: "conflict",
      message: MESSAGES.lastAdminRemove,
    });
  });

  it("refuses self-removal and other organizations' members", () => {
    expect(outcome(() => validateMemberRemoval({ ...base, target: alice }))).toMatchObject({
      message: MESSAGES.selfRemove,
    });
    expect(
      outcome(() => validateMemberRemoval({ ...base, target: member("m-f", "u-f", foreignRole, OTHER) })),
    ).toMatchObject({ code: "not_found" });
    expect(outcome(() => validateMemberRemoval({ ...base, target: null }))).toMatchObject({ code: "not_found" });
  });

  it("non-admins cannot remove admins or members whose role is beyond them", () => {
    expect(
      outcome(() => validateMemberRemoval({ ...base, actor: asErin, target: bob, targetPermissions: ALL })),
    ).toMatchObject({ code: "forbidden", message: MESSAGES.controlAdmin });
    expect(
      outcome(() => validateMemberRemoval({ ...base, actor: asErin, target: dave, targetPermissions: MANAGE_PERMS })),
    ).toMatchObject({ message: MESSAGES.controlManagement });
    expect(
      outcome(() => validateMemberRemoval({ ...base, actor: asErin, target: frank, targetPermissions: VIEWER_PERMS })),
    ).toBe("ok");
  });
});

describe("validateInviteRole", () => {
  const base = { organizationId: ORG, actor: asAlice };
  it("accepts member roles and Admin of this organization for an admin", () => {
    expect(outcome(() => validateInviteRole({ ...base, role: memberRole, permissions: MEMBER_PERMS }))).toBe("ok");
    expect(outcome(() => validateInviteRole({ ...base, role: admin, permissions: ALL }))).toBe("ok");
  });
  it("rejects Unauthenticated, foreign and missing roles", () => {
    expect(outcome(() => validateInviteRole({ ...base, role: unauth, permissions: NONE }))).toMatchObject({
      code: "invalid",
    });
    expect(outcome(() => validateInviteRole({ ...base, role: foreignRole, permissions: NONE }))).toMatchObject({
      code: "not_found",
    });
    expect(outcome(() => validateInviteRole({ ...base, role: null, permissions: NONE }))).toMatchObject({
      code: "not_found",
    });
  });
  it("obeys the delegation rule: only admins invite as Admin, nobody invites beyond their own permissions", () => {
    expect(outcome(() => validateInviteRole({ ...base, actor: asErin, role: admin, permissions: ALL }))).toMatchObject({
      code: "forbidden",
      message: MESSAGES.grantAdmin,
    });
    expect(
      outcome(() => validateInviteRole({ ...base, actor: asErin, role: manager, permissions: MANAGE_PERMS })),
    ).toMatchObject({ message: MESSAGES.grantManagement });
    expect(outcome(() => validateInviteRole({ ...base, actor: asErin, role: viewer, permissions: VIEWER_PERMS }))).toBe(
      "ok",
    );
  });
});

describe("roleNameKey and validateRoleName", () => {
  it("accepts a fresh name and compares case- and space-insensitively", () => {
    expect(outcome(() => validateRoleName({ name: "Technician", otherNames: ["Admin", "Member"] }))).toBe("ok");
    expect(outcome(() => validateRoleName({ name: "  member ", otherNames: ["Admin", "Member"] }))).toEqual({
      code: "conflict",
      message: MESSAGES.nameTaken,
    });
    expect(roleNameKey("  Front   Desk ")).toBe("front desk");
  });
  it("reserves the built-in names", () => {
    expect(outcome(() => validateRoleName({ name: "admin", otherNames: [] }))).toMatchObject({
      message: MESSAGES.nameReserved,
    });
    expect(outcome(() => validateRoleName({ name: "UNAUTHENTICATED", otherNames: [] }))).toMatchObject({
      message: MESSAGES.nameReserved,
    });
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
    expect(outcome(() => validateRoleName({ name: "\u0410dmin", otherNames: [] }))).toMatchObject({
      message: MESSAGES.nameReserved,
    });
    expect(outcome(() => validateRoleName({ name: "M\u0435mber", otherNames: ["Member"] }))).toMatchObject({
      message: MESSAGES.nameTaken,
    });
  });
  it("keeps accented letters and other scripts distinct", () => {
    expect(roleNameKey("Ádmin")).not.toBe("admin");
    expect(roleNameKey("Δ")).toBe("δ");
    expect(roleNameKey("Мастер")).not.toBe(roleNameKey("Master")); // a Cyrillic word is not its Latin translation
  });
});

describe("validateRoleCreation", () => {
  it("a new role starts only with permissions the actor could give", () => {
    expect(outcome(() => validateRoleCreation({ actor: asAlice, permissions: MANAGE_PERMS }))).toBe("ok");
    expect(outcome(() => validateRoleCreation({ actor: asErin, permissions: VIEWER_PERMS }))).toBe("ok");
    expect(
      outcome(() => validateRoleCreation({ actor: asErin, permissions: new Set(["issue:delete"]) })),
    ).toMatchObject({ code: "forbidden", message: MESSAGES.grantBeyond });
    expect(outcome(() => validateRoleCreation({ actor: asErin, permissions: new Set(["user:manage"]) }))).toMatchObject(
      { message: MESSAGES.grantManagement },
    );
  });
});

describe("validateRoleUpdate", () => {
  const base = { organizationId: ORG, actor: asAlice, currentPermissions: MEMBER_PERMS };

  it("Admin is immutable: no rename, no permission change", () => {
    expect(outcome(() => validateRoleUpdate({ ...base, role: admin, changes: { permissions: [] } }))).toEqual({
      code: "forbidden",
      message: MESSAGES.adminImmutable,
    });
    expect(outcome(() => validateRoleUpdate({ ...base, role: admin, changes: { name: "Boss" } }))).not.toBe("ok");
  });

  it("Unauthenticated: permissions only, and public ones only (400 otherwise)", () => {
    expect(outcome(() => validateRoleUpdate({ ...base, role: unauth, changes: { permissions: ["issue:view"] } }))).toBe(
      "ok",
    );
    expect(
      outcome(() => validateRoleUpdate({ ...base, role: unauth, changes: { permissions: [...PUBLIC_PERMISSIONS] } })),
    ).toBe("ok");
    expect(
      outcome(() =>
        validateRoleUpdate({ ...base, role: unauth, changes: { permissions: ["issue:view", "user:manage"] } }),
      ),
    ).toEqual({
      code: "invalid",
      message: MESSAGES.unauthenticatedPublicOnly,
    });
    expect(
      outcome(() => validateRoleUpdate({ ...base, role: unauth, changes: { permissions: ["issue:edit"] } })),
    ).toMatchObject({ code: "invalid" });
    expect(outcome(() => validateRoleUpdate({ ...base, role: unauth, changes: { name: "Guests" } }))).toMatchObject({
      code: "forbidden",
      message: MESSAGES.unauthenticatedPermissionsOnly,
    });
    expect(outcome(() => validateRoleUpdate({ ...base, role: unauth, changes: { isDefault: true } }))).not.toBe("ok");
    // Re-submitting the same name and default is not a change.
    expect(
      outcome(() =>
        validateRoleUpdate({ ...base, role: unauth, changes: { name: "Unauthenticated", isDefault: false } }),
      ),
    ).toBe("ok");
  });

  it("custom roles are fully editable by admins", () => {
    expect(
      outcome(() =>
        validateRoleUpdate({
          ...base,
          role: memberRole,
          changes: { name: "Volunteer", isDefault: false, permissions: [] },
        }),
      ),
    ).toBe("ok");
    expect(
      outcome(() =>
        validateRoleUpdate({ ...base, role: memberRole, changes: { permissions: ["user:manage", "role:manage"] } }),
      ),
    ).toBe("ok");
  });

  it("rejects roles of other organizations", () => {
    expect(outcome(() => validateRoleUpdate({ ...base, role: foreignRole, changes: { name: "x" } }))).toMatchObject({
      code: "not_found",
    });
    expect(outcome(() => validateRoleUpdate({ ...base, role: null, changes: {} }))).toMatchObject({
      code: "not_found",
    });
  });

  it("non-admins: only roles within their permissions and without management, only to sets they hold", () => {
    const erin = { ...base, actor: asErin };
    // Erin's own kind of role manages roles: hands off, including renaming it.
    expect(
      outcome(() =>
        validateRoleUpdate({ ...erin, role: manager, currentPermissions: MANAGE_PERMS, changes: { name: "Managers" } }),
      ),
    ).toMatchObject({
      code: "forbidden",
      message: MESSAGES.controlManagement,
    });
    expect(
      outcome(() =>
        validateRoleUpdate({
          ...erin,
          role: viewer,
          currentPermissions: VIEWER_PERMS,
          changes: { permissions: ["issue:view", "issue:create"] },
        }),
      ),
    ).toBe("ok");
    expect(
      outcome(() =>
        validateRoleUpdate({
          ...erin,
          role: viewer,
          currentPermissions: VIEWER_PERMS,
          changes: { permissions: ALL_PERMISSION_NAMES },
        }),
      ),
    ).toMatchObject({
      code: "forbidden",
      message: MESSAGES.grantManagement,
    });
    expect(
      outcome(() =>
        validateRoleUpdate({
          ...erin,
          role: viewer,
          currentPermissions: VIEWER_PERMS,
          changes: { permissions: ["issue:delete"] },
        }),
      ),
    ).toMatchObject({
      message: MESSAGES.grantBeyond,
    });
    expect(
      outcome(() =>
        validateRoleUpdate({
          ...erin,
          role: memberRole,
          currentPermissions: new Set(["issue:edit"]),
          changes: { permissions: [] },
        }),
      ),
    ).toMatchObject({
      message: MESSAGES.controlBeyond,
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
    expect(
      outcome(() =>
        validateRoleDeletion({ ...base, role: manager, reassignRole: null, reassignRequested: false, memberCount: 0 }),
      ),
    ).toBe("ok");
  });

  it("requires a reassignment role when the role has members", () => {
    expect(
      outcome(() =>
        validateRoleDeletion({
          ...base,
          role: memberRole,
          reassignRole: null,
          reassignRequested: false,
          memberCount: 1,
        }),
      ),
    ).toEqual({
      code: "invalid",
      message: MESSAGES.reassignRequired,
    });
    expect(
      outcome(() => validateRoleDeletion({ ...base, role: memberRole, reassignRole: manager, memberCount: 1 })),
    ).toBe("ok");
  });

  it("the reassignment role must be in the organization, differ from the deleted role, and not be Unauthenticated", () => {
    expect(
      outcome(() => validateRoleDeletion({ ...base, role: memberRole, reassignRole: foreignRole, memberCount: 1 })),
    ).toMatchObject({
      code: "not_found",
      message: MESSAGES.reassignNotFound,
    });
    expect(
      outcome(() => validateRoleDeletion({ ...base, role: memberRole, reassignRole: null, memberCount: 1 })),
    ).toMatchObject({ code: "not_found" });
    expect(
      outcome(() => validateRoleDeletion({ ...base, role: memberRole, reassignRole: memberRole, memberCount: 1 })),
    ).toMatchObject({
      message: MESSAGES.reassignSame,
    });
    expect(
      outcome(() => validateRoleDeletion({ ...base, role: memberRole, reassignRole: unauth, memberCount: 1 })),
    ).toMatchObject({
      message: MESSAGES.reassignUnauthenticated,
    });
  });

  it("system roles cannot be deleted", () => {
    expect(
      outcome(() => validateRoleDeletion({ ...base, role: admin, reassignRole: memberRole, memberCount: 1 })),
    ).toEqual({
      code: "forbidden",
      message: MESSAGES.systemNotDeletable,
    });
    expect(
      outcome(() => validateRoleDeletion({ ...base, role: unauth, reassignRole: null, memberCount: 0 })),
    ).toMatchObject({ code: "forbidden" });
  });

  it("roles of other organizations are not found", () => {
    expect(
      outcome(() => validateRoleDeletion({ ...base, role: foreignRole, reassignRole: memberRole, memberCount: 0 })),
    ).toMatchObject({ code: "not_found" });
  });

  it("keeps at least one admin", () => {
    expect(
      outcome(() =>
        validateRoleDeletion({
          ...base,
          members: [carol],
          role: manager,
          reassignRole: null,
          reassignRequested: false,
          memberCount: 0,
        }),
      ),
    ).toEqual({
      code: "conflict",
      message: MESSAGES.noAdminLeft,
    });
    // Moving members into Admin counts them.
    expect(
      outcome(() =>
        validateRoleDeletion({
          ...base,
          members: [carol],
          role: memberRole,
          reassignRole: admin,
          reassignPermissions: ALL,
          memberCount: 1,
        }),
      ),
    ).toBe("ok");
  });

  it("non-admins: not their management roles, not roles beyond them, and never moving members into Admin or beyond", () => {
    const erin = { ...base, actor: asErin };
    expect(
      outcome(() =>
        validateRoleDeletion({
          ...erin,
          role: manager,
          rolePermissions: MANAGE_PERMS,
          reassignRole: null,
          reassignRequested: false,
          memberCount: 0,
        }),
      ),
    ).toMatchObject({
      code: "forbidden",
      message: MESSAGES.controlManagement,
    });
    expect(
      outcome(() =>
        validateRoleDeletion({
          ...erin,
          role: viewer,
          rolePermissions: VIEWER_PERMS,
          reassignRole: admin,
          reassignPermissions: ALL,
          memberCount: 1,
        }),
      ),
    ).toMatchObject({
      message: MESSAGES.grantAdmin,
    });
    expect(
      outcome(() =>
        validateRoleDeletion({
          ...erin,
          role: viewer,
          rolePermissions: VIEWER_PERMS,
          reassignRole: memberRole,
          reassignPermissions: new Set(["issue:delete"]),
          memberCount: 1,
        }),
      ),
    ).toMatchObject({ message: MESSAGES.grantBeyond });
    expect(
      outcome(() =>
        validateRoleDeletion({
          ...erin,
          role: viewer,
          rolePermissions: VIEWER_PERMS,
          reassignRole: memberRole,
          reassignPermissions: VIEWER_PERMS,
          memberCount: 1,
        }),
      ),
    ).toBe("ok");
  });
});

describe("refusals name the form field they concern", () => {
  const fieldOf = (rule: () => void): string[] => {
    try {
      rule();
    } catch (error) {
      if (isFailure(error)) return Object.keys(error.fields);
      throw error;
    }
    return [];
  };

  it("the invitation's role, the role name, the starting template and the reassignment role; the form otherwise", () => {
    expect(
      fieldOf(() => validateInviteRole({ organizationId: ORG, actor: asErin, role: admin, permissions: ALL })),
    ).toEqual(["roleId"]);
    expect(
      fieldOf(() => validateInviteRole({ organizationId: ORG, actor: asAlice, role: null, permissions: NONE })),
    ).toEqual(["roleId"]);
    expect(fieldOf(() => validateRoleName({ name: "admin", otherNames: [] }))).toEqual(["name"]);
    expect(fieldOf(() => validateRoleCreation({ actor: asErin, permissions: new Set(["issue:delete"]) }))).toEqual([
      "template",
    ]);
    const deletion = {
      organizationId: ORG,
      actor: asErin,
      members: [alice],
      rolePermissions: VIEWER_PERMS,
      reassignPermissions: ALL,
      memberCount: 1,
    };
    expect(
      fieldOf(() => validateRoleDeletion({ ...deletion, role: viewer, reassignRole: admin, reassignRequested: true })),
    ).toEqual(["reassignRoleId"]);
    expect(
      fieldOf(() => validateRoleDeletion({ ...deletion, role: viewer, reassignRole: null, reassignRequested: false })),
    ).toEqual(["reassignRoleId"]);
    expect(
      fieldOf(() => validateRoleDeletion({ ...deletion, role: admin, reassignRole: null, reassignRequested: false })),
    ).toEqual(["form"]);
    expect(fieldOf(() => checkGrant(asErin, admin, ALL))).toEqual(["form"]);
  });
});
