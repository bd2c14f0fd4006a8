/**
 * Member and role administration over HTTP: invitations (links, conflicts), role changes, the last-admin
 * protection, own-role changes, built-in role protections, role creation/renaming/permission editing with dependency
 * expansion, deletion with reassignment, and one AuditLog row per change written in the same transaction. The
 * delegation rule and the invitation links in depth: tests/integration/security-roles.test.ts.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { MESSAGES } from "../../core/role-rules";
import { seedDatabase } from "../../db/seed.server";
import { auditLogs, invitations, memberships, roles, users } from "../../db/schema";
import { listRolePermissionNames } from "../../db/queries/roles.server";
import { createTestDb, type TestDb } from "../helpers/db";
import {
  auditCount,
  membershipOf,
  orgIdOf,
  roleIdOf,
  roleNameOfMember,
  tenantAccessSnapshot,
} from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

let t: TestDb;
let server: TestServer;
let admin: TestClient;
let apc: string;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  server = await startTestServer(t.db);
  admin = server.client();
  await admin.login("admin@dev.local");
  apc = await orgIdOf(t.db, "apc");
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

/** Decoded HTML text is enough for messages; the escaping of quotes differs, so compare a safe prefix. */
const says = (text: string, message: string) => expect(text).toContain(message.slice(0, 40).replace(/'/g, "&#x27;"));
/** Shown to people in an alert, not only present in the page's data for the browser. */
const alerts = (text: string, message: string) =>
  expect(text).toMatch(new RegExp(`role="alert"[^>]*>${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}<`));

describe("members page", () => {
  it("lists members with their role and invitation state", async () => {
    const res = await admin.get("/admin/members");
    expect(res.status).toBe(200);
    expect(res.text).toContain("Dev Member");
    expect(res.text).toContain("member@dev.local");
    expect(res.text).toContain("Active");
  });

  it("invites a new person: a pending invitation with a link, no user and no membership yet; audited", async () => {
    const audits = await auditCount(t.db, "apc", "invitation.created");
    const res = await admin.post("/admin/members", {
      intent: "invite",
      email: "New.Tech@Example.test",
      roleId: await roleIdOf(t.db, "apc", "Member"),
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain("Invitation for new.tech@example.test as Member created.");
    expect(res.text).toMatch(/\/invite\/[A-Za-z0-9_-]{43}/);
    expect(await t.db.select().from(users).where(eq(users.email, "new.tech@example.test"))).toHaveLength(0);
    expect(await auditCount(t.db, "apc", "invitation.created")).toBe(audits + 1);
    const list = await admin.get("/admin/members");
    expect(list.text).toContain("Pending invitations");
    expect(list.text).toContain("new.tech@example.test");
  });

  it("inviting someone who already has an account makes a link too: they join only by accepting it", async () => {
    const res = await admin.post("/admin/members", {
      intent: "invite",
      email: "admin@beta.local",
      roleId: await roleIdOf(t.db, "apc", "Member"),
    });
    expect(res.status).toBe(200);
    expect(await membershipOf(t.db, "admin@beta.local", "apc")).toBeNull();
    const token = /\/invite\/([A-Za-z0-9_-]{43})/.exec(res.text)![1];
    const beta = server.client();
    await beta.login("admin@beta.local");
    expect((await beta.post(`/invite/${token}`, { intent: "accept" })).status).toBe(302);
    expect(await roleNameOfMember(t.db, "admin@beta.local", "apc")).toBe("Member");
    // Clean up: beta's admin is not an apc member in the other tests.
    const m = await membershipOf(t.db, "admin@beta.local", "apc");
    await t.db.delete(memberships).where(eq(memberships.id, m!.id));
  });

  it("answers an invitation of an existing member with a conflict message and writes nothing", async () => {
    const before = await tenantAccessSnapshot(t.db, "apc");
    const res = await admin.post("/admin/members", {
      intent: "invite",
      email: "MEMBER@dev.local",
      roleId: await roleIdOf(t.db, "apc", "Admin"),
    });
    expect(res.status).toBe(409);
    expect(res.text).toContain("member@dev.local is already a member of this organization.");
    expect(await tenantAccessSnapshot(t.db, "apc")).toEqual(before);
  });

  it("rejects bad invitation input with field errors (400) and never the Unauthenticated role", async () => {
    const bad = await admin.post("/admin/members", {
      intent: "invite",
      email: "not an email",
      roleId: await roleIdOf(t.db, "apc", "Member"),
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Enter a valid email address");
    const unauth = await admin.post("/admin/members", {
      intent: "invite",
      email: "guest@example.test",
      roleId: await roleIdOf(t.db, "apc", "Unauthenticated"),
    });
    expect(unauth.status).toBe(400);
    const missing = await admin.post("/admin/members", {
      intent: "invite",
      email: "guest@example.test",
      roleId: "no-such-role",
    });
    expect(missing.status).toBe(404);
    const unknownIntent = await admin.post("/admin/members", { intent: "explode" });
    expect(unknownIntent.status).toBe(400);
    expect(await t.db.select().from(users).where(eq(users.email, "guest@example.test"))).toHaveLength(0);
  });

  it("an invited person who signs up with that email gets an account but no membership (the link is the way in)", async () => {
    await admin.post("/admin/members", {
      intent: "invite",
      email: "joiner@example.test",
      roleId: await roleIdOf(t.db, "apc", "Member"),
    });
    const joiner = server.client();
    const res = await joiner.post("/signup", {
      name: "Jo Iner",
      email: "joiner@example.test",
      password: "a long passphrase 42",
      confirm: "a long passphrase 42",
    });
    expect(res.status).toBe(302);
    const [user] = await t.db.select().from(users).where(eq(users.email, "joiner@example.test"));
    expect(user.emailVerified).toBeNull();
    expect(await roleNameOfMember(t.db, "joiner@example.test", "apc")).toBeNull();
  });

  it("changes a role (audited) and rejects a no-op change with a message", async () => {
    const player = await membershipOf(t.db, "player@dev.local", "apc");
    const audits = await auditCount(t.db, "apc", "membership.role_changed");
    const noop = await admin.post("/admin/members", {
      intent: "change-role",
      membershipId: player!.id,
      roleId: player!.roleId,
    });
    expect(noop.status).toBe(400);
    says(noop.text, MESSAGES.alreadyHasRole);
    expect(await auditCount(t.db, "apc", "membership.role_changed")).toBe(audits);

    const promote = await admin.post("/admin/members", {
      intent: "change-role",
      membershipId: player!.id,
      roleId: await roleIdOf(t.db, "apc", "Admin"),
    });
    expect(promote.status).toBe(200);
    expect(await roleNameOfMember(t.db, "player@dev.local", "apc")).toBe("Admin");
    const back = await admin.post("/admin/members", {
      intent: "change-role",
      membershipId: player!.id,
      roleId: player!.roleId,
    });
    expect(back.status).toBe(200);
    expect(await auditCount(t.db, "apc", "membership.role_changed")).toBe(audits + 2);
    const [row] = await t.db
      .select()
      .from(auditLogs)
      .where(
        and(
          eq(auditLogs.organizationId, apc),
          eq(auditLogs.action, "membership.role_changed"),
          eq(auditLogs.targetId, player!.id),
        ),
      )
      .orderBy(auditLogs.createdAt)
      .limit(1);
    expect(row.meta).toMatchObject({ from: "Member", to: "Admin" });
    expect(row.actorId).not.toBeNull();
  });

  it("a refusal for a row that is no longer listed is shown at the top of the page (withdrawing twice)", async () => {
    await admin.post("/admin/members", {
      intent: "invite",
      email: "twice@example.test",
      roleId: await roleIdOf(t.db, "apc", "Member"),
    });
    const [row] = await t.db
      .select({ id: invitations.id })
      .from(invitations)
      .where(eq(invitations.email, "twice@example.test"));
    expect((await admin.post("/admin/members", { intent: "revoke", invitationId: row.id })).status).toBe(200);
    const again = await admin.post("/admin/members", { intent: "revoke", invitationId: row.id });
    expect(again.status).toBe(404);
    alerts(again.text, "That invitation does not exist or is no longer pending.");
  });

  it("never gives a member the Unauthenticated role", async () => {
    const player = await membershipOf(t.db, "player@dev.local", "apc");
    const res = await admin.post("/admin/members", {
      intent: "change-role",
      membershipId: player!.id,
      roleId: await roleIdOf(t.db, "apc", "Unauthenticated"),
    });
    expect(res.status).toBe(400);
    expect(await roleNameOfMember(t.db, "player@dev.local", "apc")).toBe("Member");
  });
});

describe("last-admin protection and self-lockout", () => {
  // beta has exactly one admin: admin@beta.local.
  let beta: TestClient;
  beforeAll(async () => {
    beta = server.client({ org: "beta" });
    await beta.login("admin@beta.local");
  });

  it("the last admin cannot demote themselves", async () => {
    const me = await membershipOf(t.db, "admin@beta.local", "beta");
    const before = await tenantAccessSnapshot(t.db, "beta");
    const res = await beta.post("/admin/members", {
      intent: "change-role",
      membershipId: me!.id,
      roleId: await roleIdOf(t.db, "beta", "Member"),
    });
    expect(res.status).toBe(409);
    says(res.text, MESSAGES.lastAdminDemote);
    expect(await tenantAccessSnapshot(t.db, "beta")).toEqual(before);
  });

  it("the last admin cannot be removed", async () => {
    const me = await membershipOf(t.db, "admin@beta.local", "beta");
    const before = await tenantAccessSnapshot(t.db, "beta");
    const res = await beta.post("/admin/members", { intent: "remove", membershipId: me!.id });
    expect(res.status).toBe(409);
    says(res.text, MESSAGES.lastAdminRemove);
    expect(await tenantAccessSnapshot(t.db, "beta")).toEqual(before);
  });

  it("with two admins one may demote the other, but then the remaining one is protected", async () => {
    // apc has two admins: admin@dev.local and roger.sharpe@pinpoint.dev.
    const roger = await membershipOf(t.db, "roger.sharpe@pinpoint.dev", "apc");
    const me = await membershipOf(t.db, "admin@dev.local", "apc");
    const memberRole = await roleIdOf(t.db, "apc", "Member");
    // Nobody changes their own role, even while another admin exists.
    const self = await admin.post("/admin/members", {
      intent: "change-role",
      membershipId: me!.id,
      roleId: memberRole,
    });
    expect(self.status).toBe(403);
    says(self.text, MESSAGES.ownRole);

    const demote = await admin.post("/admin/members", {
      intent: "change-role",
      membershipId: roger!.id,
      roleId: memberRole,
    });
    expect(demote.status).toBe(200);
    const roger2 = server.client();
    await roger2.login("roger.sharpe@pinpoint.dev");
    // Roger is a Member now: he cannot act on the admin, and admin@dev.local is the last admin.
    expect((await roger2.post("/admin/members", { intent: "remove", membershipId: me!.id })).status).toBe(403);
    const last = await admin.post("/admin/members", { intent: "remove", membershipId: me!.id });
    expect(last.status).toBe(409);
    // Restore.
    expect(
      (
        await admin.post("/admin/members", {
          intent: "change-role",
          membershipId: roger!.id,
          roleId: await roleIdOf(t.db, "apc", "Admin"),
        })
      ).status,
    ).toBe(200);
  });

  it("an admin cannot remove themselves", async () => {
    const me = await membershipOf(t.db, "admin@dev.local", "apc");
    const res = await admin.post("/admin/members", { intent: "remove", membershipId: me!.id });
    expect(res.status).toBe(409);
    says(res.text, MESSAGES.selfRemove);
    expect(await membershipOf(t.db, "admin@dev.local", "apc")).not.toBeNull();
  });

  it("removing an ordinary member works and is audited", async () => {
    const keith = await membershipOf(t.db, "keith.elwin@pinpoint.dev", "apc");
    const audits = await auditCount(t.db, "apc", "membership.removed");
    const res = await admin.post("/admin/members", { intent: "remove", membershipId: keith!.id });
    expect(res.status).toBe(200);
    expect(await membershipOf(t.db, "keith.elwin@pinpoint.dev", "apc")).toBeNull();
    expect(await auditCount(t.db, "apc", "membership.removed")).toBe(audits + 1);
  });
});

describe("roles", () => {
  it("lists roles with built-in markers and member counts", async () => {
    const res = await admin.get("/admin/roles");
    expect(res.status).toBe(200);
    for (const name of ["Admin", "Unauthenticated", "Member"]) expect(res.text).toContain(name);
    expect(res.text).toContain("Built-in");
  });

  it("creates a role from the Member template (audited), rejecting duplicates and bad names", async () => {
    const audits = await auditCount(t.db, "apc", "role.created");
    const res = await admin.post("/admin/roles", { intent: "create", name: "  Technician  ", template: "MEMBER" });
    expect(res.status).toBe(302);
    const roleId = res.location!.split("/").pop()!.split("?")[0];
    const [role] = await t.db.select().from(roles).where(eq(roles.id, roleId));
    expect(role).toMatchObject({ name: "Technician", organizationId: apc, isSystem: false, isDefault: false });
    expect((await listRolePermissionNames(t.db, apc, roleId)).sort()).toEqual(
      [
        "attachment:create",
        "attachment:view",
        "issue:assign",
        "issue:create",
        "issue:delete",
        "issue:edit",
        "issue:view",
        "location:view",
        "machine:maintain",
        "machine:view",
      ].sort(),
    );
    expect(await auditCount(t.db, "apc", "role.created")).toBe(audits + 1);

    const dup = await admin.post("/admin/roles", { intent: "create", name: "technician", template: "blank" });
    expect(dup.status).toBe(409);
    expect(dup.text).toContain(MESSAGES.nameTaken);
    const reserved = await admin.post("/admin/roles", { intent: "create", name: "admin", template: "blank" });
    expect(reserved.status).toBe(409);
    const empty = await admin.post("/admin/roles", { intent: "create", name: "   ", template: "blank" });
    expect(empty.status).toBe(400);
    const long = await admin.post("/admin/roles", { intent: "create", name: "x".repeat(51), template: "blank" });
    expect(long.status).toBe(400);
    const badTemplate = await admin.post("/admin/roles", { intent: "create", name: "Other", template: "ROOT" });
    expect(badTemplate.status).toBe(400);
    expect(await auditCount(t.db, "apc", "role.created")).toBe(audits + 1);
  });

  it("a blank role starts with no permissions; a default role becomes the only default", async () => {
    const res = await admin.post("/admin/roles", {
      intent: "create",
      name: "Volunteers",
      template: "blank",
      isDefault: "on",
    });
    expect(res.status).toBe(302);
    const roleId = res.location!.split("/").pop()!.split("?")[0];
    expect(await listRolePermissionNames(t.db, apc, roleId)).toEqual([]);
    const defaults = await t.db
      .select({ id: roles.id })
      .from(roles)
      .where(and(eq(roles.organizationId, apc), eq(roles.isDefault, true)));
    expect(defaults.map((d) => d.id)).toEqual([roleId]);
    // Give Member its default back.
    const memberRole = await roleIdOf(t.db, "apc", "Member");
    expect(
      (await admin.post(`/admin/roles/${memberRole}`, { intent: "settings", name: "Member", isDefault: "on" })).status,
    ).toBe(200);
  });

  it("renames a role and edits permissions with dependency expansion (audited)", async () => {
    const roleId = await roleIdOf(t.db, "apc", "Technician");
    const rename = await admin.post(`/admin/roles/${roleId}`, { intent: "settings", name: "Technicians" });
    expect(rename.status).toBe(200);
    expect((await t.db.select({ name: roles.name }).from(roles).where(eq(roles.id, roleId)))[0].name).toBe(
      "Technicians",
    );

    const audits = await auditCount(t.db, "apc", "role.permissions_changed");
    const res = await admin.post(`/admin/roles/${roleId}`, {
      intent: "permissions",
      permission: ["issue:bulk_manage", "machine:edit", "bogus:perm"],
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain("Also granted");
    expect((await listRolePermissionNames(t.db, apc, roleId)).sort()).toEqual(
      ["issue:bulk_manage", "issue:edit", "issue:view", "machine:edit", "machine:view"].sort(),
    );
    expect(await auditCount(t.db, "apc", "role.permissions_changed")).toBe(audits + 1);

    const page = await admin.get(`/admin/roles/${roleId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("also grants");
  });

  it("the Admin role is immutable and the Unauthenticated role accepts permission changes only", async () => {
    const adminRole = await roleIdOf(t.db, "apc", "Admin");
    const unauthRole = await roleIdOf(t.db, "apc", "Unauthenticated");
    const before = await tenantAccessSnapshot(t.db, "apc");
    expect(
      (await admin.post(`/admin/roles/${adminRole}`, { intent: "permissions", permission: ["issue:view"] })).status,
    ).toBe(403);
    expect((await admin.post(`/admin/roles/${adminRole}`, { intent: "settings", name: "Boss" })).status).toBe(403);
    expect((await admin.post(`/admin/roles/${adminRole}`, { intent: "delete" })).status).toBe(403);
    expect((await admin.post(`/admin/roles/${unauthRole}`, { intent: "settings", name: "Guests" })).status).toBe(403);
    expect((await admin.post(`/admin/roles/${unauthRole}`, { intent: "delete" })).status).toBe(403);
    expect(await tenantAccessSnapshot(t.db, "apc")).toEqual(before);

    // Taking issue:view away from visitors takes effect on the next anonymous request.
    const original = await listRolePermissionNames(t.db, apc, unauthRole);
    const res = await admin.post(`/admin/roles/${unauthRole}`, {
      intent: "permissions",
      permission: original.filter((p) => p !== "issue:view" && p !== "issue:create"),
    });
    expect(res.status).toBe(200);
    expect(await listRolePermissionNames(t.db, apc, unauthRole)).not.toContain("issue:view");
    expect(
      (await admin.post(`/admin/roles/${unauthRole}`, { intent: "permissions", permission: original })).status,
    ).toBe(200);
    expect((await listRolePermissionNames(t.db, apc, unauthRole)).sort()).toEqual([...original].sort());
  });

  it("refusing to delete a role with no reassignment choice on the page shows why (a built-in role)", async () => {
    const unauthRole = await roleIdOf(t.db, "apc", "Unauthenticated");
    const res = await admin.post(`/admin/roles/${unauthRole}`, { intent: "delete" });
    expect(res.status).toBe(403);
    alerts(res.text, MESSAGES.systemNotDeletable);
  });

  it("a non-admin role manager cannot edit their own role (it manages roles), nor change their own role", async () => {
    const created = await admin.post("/admin/roles", { intent: "create", name: "Role keepers", template: "blank" });
    const roleId = created.location!.split("/").pop()!.split("?")[0];
    expect(
      (
        await admin.post(`/admin/roles/${roleId}`, {
          intent: "permissions",
          permission: ["role:manage", "user:manage"],
        })
      ).status,
    ).toBe(200);
    const gary = await membershipOf(t.db, "gary.stern@pinpoint.dev", "apc");
    expect((await admin.post("/admin/members", { intent: "change-role", membershipId: gary!.id, roleId })).status).toBe(
      200,
    );
    const c = server.client();
    await c.login("gary.stern@pinpoint.dev");
    const res = await c.post(`/admin/roles/${roleId}`, { intent: "permissions", permission: ["user:manage"] });
    expect(res.status).toBe(403);
    says(res.text, MESSAGES.controlManagement);
    expect((await listRolePermissionNames(t.db, apc, roleId)).sort()).toEqual(["role:manage", "user:manage"]);
    // Nor can he move himself to another role.
    const self = await c.post("/admin/members", {
      intent: "change-role",
      membershipId: gary!.id,
      roleId: await roleIdOf(t.db, "apc", "Member"),
    });
    expect(self.status).toBe(403);
    says(self.text, MESSAGES.ownRole);
    // An admin can move him back.
    expect(
      (
        await admin.post("/admin/members", {
          intent: "change-role",
          membershipId: gary!.id,
          roleId: await roleIdOf(t.db, "apc", "Member"),
        })
      ).status,
    ).toBe(200);
  });

  it("deletes a role with members only with a valid reassignment, moving them (audited)", async () => {
    const created = await admin.post("/admin/roles", { intent: "create", name: "Night shift", template: "MEMBER" });
    const roleId = created.location!.split("/").pop()!.split("?")[0];
    const steve = await membershipOf(t.db, "steve.ritchie@pinpoint.dev", "apc");
    expect(
      (await admin.post("/admin/members", { intent: "change-role", membershipId: steve!.id, roleId })).status,
    ).toBe(200);

    const before = await tenantAccessSnapshot(t.db, "apc");
    const noTarget = await admin.post(`/admin/roles/${roleId}`, { intent: "delete" });
    expect(noTarget.status).toBe(400);
    says(noTarget.text, MESSAGES.reassignRequired);
    const same = await admin.post(`/admin/roles/${roleId}`, { intent: "delete", reassignRoleId: roleId });
    expect(same.status).toBe(400);
    const unauth = await admin.post(`/admin/roles/${roleId}`, {
      intent: "delete",
      reassignRoleId: await roleIdOf(t.db, "apc", "Unauthenticated"),
    });
    expect(unauth.status).toBe(400);
    const foreign = await admin.post(`/admin/roles/${roleId}`, {
      intent: "delete",
      reassignRoleId: await roleIdOf(t.db, "beta", "Member"),
    });
    expect(foreign.status).toBe(404);
    expect(await tenantAccessSnapshot(t.db, "apc")).toEqual(before);

    const audits = await auditCount(t.db, "apc", "role.deleted");
    const ok = await admin.post(`/admin/roles/${roleId}`, {
      intent: "delete",
      reassignRoleId: await roleIdOf(t.db, "apc", "Member"),
    });
    expect(ok.status).toBe(302);
    expect(ok.location).toBe("/admin/roles?deleted=Night%20shift");
    expect(await t.db.select().from(roles).where(eq(roles.id, roleId))).toHaveLength(0);
    expect(await roleNameOfMember(t.db, "steve.ritchie@pinpoint.dev", "apc")).toBe("Member");
    expect(await auditCount(t.db, "apc", "role.deleted")).toBe(audits + 1);
    const [log] = await t.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.action, "role.deleted"), eq(auditLogs.targetId, roleId)));
    expect(log.meta).toMatchObject({ name: "Night shift", moved: 1, reassignedTo: "Member" });
  });

  it("deletes an empty role without reassignment; unknown ids are 404", async () => {
    const created = await admin.post("/admin/roles", { intent: "create", name: "Empty", template: "blank" });
    const roleId = created.location!.split("/").pop()!.split("?")[0];
    const res = await admin.post(`/admin/roles/${roleId}`, { intent: "delete" });
    expect(res.status).toBe(302);
    expect((await admin.get(`/admin/roles/${roleId}`)).status).toBe(404);
    expect((await admin.post(`/admin/roles/${roleId}`, { intent: "delete" })).status).toBe(404);
    expect((await admin.get(`/admin/roles/${"x".repeat(300)}`)).status).toBe(404);
  });

  it("an unknown intent is a 400 and a non-form body is a 400, never a 500", async () => {
    const memberRole = await roleIdOf(t.db, "apc", "Member");
    expect((await admin.post(`/admin/roles/${memberRole}`, { intent: "nuke" })).status).toBe(400);
    expect((await admin.post("/admin/roles", { intent: "nuke" })).status).toBe(400);
    const raw = await fetch(`${server.url}/admin/roles/${memberRole}`, {
      method: "POST",
      headers: {
        "content-type": "multipart/form-data; boundary=x",
        origin: server.url,
        cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      },
      body: "broken",
    });
    expect(raw.status).toBe(400);
  });
});

describe("who may see and use these pages", () => {
  it("members without the permission get 403; anonymous visitors are sent to sign in", async () => {
    const member = server.client();
    await member.login("member@dev.local");
    for (const path of ["/admin", "/admin/members", "/admin/roles"]) {
      expect((await member.get(path)).status).toBe(403);
      const anon = await server.client().get(path);
      expect(anon.status).toBe(302);
      expect(anon.location).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
    }
    expect(
      (await member.post("/admin/members", { intent: "invite", email: "x@example.test", roleId: "x" })).status,
    ).toBe(403);
  });

  it("organization:manage may list roles but not change them", async () => {
    const created = await admin.post("/admin/roles", { intent: "create", name: "Settings only", template: "blank" });
    const roleId = created.location!.split("/").pop()!.split("?")[0];
    await admin.post(`/admin/roles/${roleId}`, { intent: "permissions", permission: ["organization:manage"] });
    const escher = await membershipOf(t.db, "escher.lefkoff@pinpoint.dev", "apc");
    expect(
      (await admin.post("/admin/members", { intent: "change-role", membershipId: escher!.id, roleId })).status,
    ).toBe(200);
    const c = server.client();
    await c.login("escher.lefkoff@pinpoint.dev");
    expect((await c.get("/admin/roles")).status).toBe(200);
    expect((await c.get(`/admin/roles/${roleId}`)).status).toBe(200);
    expect((await c.get("/admin/roles")).text).not.toContain("Create role");
    expect((await c.post("/admin/roles", { intent: "create", name: "Nope", template: "blank" })).status).toBe(403);
    expect(
      (await c.post(`/admin/roles/${roleId}`, { intent: "permissions", permission: ["role:manage"] })).status,
    ).toBe(403);
    expect((await c.get("/admin/members")).status).toBe(403);
    const hub = await c.get("/admin");
    expect(hub.status).toBe(200);
    expect(hub.text).toContain("/admin/roles");
    expect(hub.text).not.toContain('href="/admin/members"');
  });
});
