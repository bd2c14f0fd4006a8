/**
 * The privilege holes of the security issue "Close the privilege holes", one describe per finding, over real HTTP
 * (production build, real cookies) on a real database:
 *   1. an invitation is its own row, accepted only through its single-use, expiring link (a plain sign-up with an
 *      invited address gets no membership);
 *   2. delegated permissions cannot escalate (docs/decisions/012-permission-delegation.md);
 *   3. the Unauthenticated role holds public permissions only, in the editor, the action and the access check;
 *   10a. sign-up answers the same whether or not the address has an account;
 *   10b. role names are compared after NFKC and look-alike folding.
 */
import { createHash } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { MESSAGES } from "../../core/role-rules";
import { PUBLIC_PERMISSIONS } from "../../core/permissions";
import { createRole, listRolePermissionNames, setRolePermissions } from "../../db/queries/roles.server";
import { seedDatabase } from "../../db/seed.server";
import { auditLogs, invitations, passwords, roles, users } from "../../db/schema";
import { createTestDb, type TestDb } from "../helpers/db";
import {
  auditCount,
  membershipOf,
  orgIdOf,
  roleIdOf,
  roleNameOfMember,
  setRoleDirect,
  signedIn,
  tenantAccessSnapshot,
} from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

const PASSPHRASE = "a long passphrase 42";
let t: TestDb;
let server: TestServer;
let apc: string;

beforeAll(async () => {
  t = await createTestDb();
  server = await startTestServer(t.db);
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

/** A fresh demo database for each finding, so they do not depend on each other. */
async function freshSeed() {
  await t.reset();
  await seedDatabase(t.db, { demo: true });
  apc = await orgIdOf(t.db, "apc");
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** The token of the invitation link shown in an answer of the members page. */
function linkToken(html: string): string {
  const m = /\/invite\/([A-Za-z0-9_-]{43})/.exec(html);
  if (!m)
    throw new Error(
      `no invitation link in: ${html
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .slice(0, 400)}`,
    );
  return m[1];
}

async function invite(client: TestClient, email: string, roleName: string) {
  return client.post("/admin/members", { intent: "invite", email, roleId: await roleIdOf(t.db, "apc", roleName) });
}

async function invitationRows(email: string) {
  return t.db.select().from(invitations).where(eq(invitations.email, email));
}

async function userRows(email: string) {
  return t.db.select().from(users).where(eq(users.email, email));
}

/** A custom role of apc with exactly these stored permissions; `holders` get it directly in the database. */
async function customRole(name: string, permissions: string[], holders: string[] = []): Promise<string> {
  const role = await createRole(t.db, apc, { name, isDefault: false, permissions });
  for (const email of holders) await setRoleDirect(t.db, email, "apc", name);
  return role.id;
}

// ---------------------------------------------------------------------------------------------------------------

describe("finding 1: an invitation is accepted only through its own single-use, expiring link", () => {
  let admin: TestClient;
  beforeAll(async () => {
    await freshSeed();
    admin = await signedIn(server, "admin@dev.local");
  });

  it("a plain sign-up with an address invited as Admin creates an account without any membership", async () => {
    const res = await invite(admin, "x@example.net", "Admin");
    expect(res.status).toBe(200);

    const stranger = server.client();
    const signup = await stranger.post("/signup", {
      name: "Not X",
      email: "x@example.net",
      password: PASSPHRASE,
      confirm: PASSPHRASE,
    });
    expect(signup.status).toBe(302);
    expect(await userRows("x@example.net")).toHaveLength(1);
    expect(await membershipOf(t.db, "x@example.net", "apc")).toBeNull();
    await stranger.login("x@example.net", PASSPHRASE);
    expect((await stranger.get("/admin/members")).status).toBe(403);
  });

  it("the invitation is its own row: lower-cased address, role, sha256 of the token (never the token), 7 days", async () => {
    const before = Date.now();
    const res = await invite(admin, "New.Tech@Example.test", "Member");
    expect(res.status).toBe(200);
    // Nothing is created for the address itself: no User (so no Membership).
    expect(await userRows("new.tech@example.test")).toHaveLength(0);
    const token = linkToken(res.text);
    const [row] = await invitationRows("new.tech@example.test");
    expect(row).toMatchObject({
      organizationId: apc,
      roleId: await roleIdOf(t.db, "apc", "Member"),
      acceptedAt: null,
      revokedAt: null,
    });
    expect(row.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const days = (row.expiresAt.getTime() - before) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);
    expect(await auditCount(t.db, "apc", "invitation.created")).toBe(2);
    // The members page lists it apart from the members, with its expiry, and never shows the link again.
    const page = await admin.get("/admin/members");
    const pending = page.text.slice(page.text.indexOf("Pending invitations"), page.text.indexOf("All members"));
    expect(pending).toContain("new.tech@example.test");
    expect(pending).toMatch(/\b(CST|CDT)\b/); // apc dates are in America/Chicago
    expect(page.text).not.toContain(token);
  });

  it("a second pending invitation of the same address is refused; so is inviting a member", async () => {
    const again = await invite(admin, "new.tech@example.test", "Member");
    expect(again.status).toBe(409);
    expect(await invitationRows("new.tech@example.test")).toHaveLength(1);
    const member = await invite(admin, "MEMBER@dev.local", "Admin");
    expect(member.status).toBe(409);
    expect(await invitationRows("member@dev.local")).toHaveLength(0);
  });

  it("a visitor without an account creates one on the link's page and joins with the invited role, once", async () => {
    const res = await invite(admin, "joiner@example.test", "Member");
    const token = linkToken(res.text);
    const visitor = server.client();
    const page = await visitor.get(`/invite/${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Austin Pinball Collective");
    expect(page.text).toContain("Member");
    expect(page.text).toContain("joiner@example.test");

    const bad = await visitor.post(`/invite/${token}`, {
      intent: "create-account",
      name: "Jo",
      password: PASSPHRASE,
      confirm: "other",
    });
    expect(bad.status).toBe(400);
    expect(await userRows("joiner@example.test")).toHaveLength(0);

    const created = await visitor.post(`/invite/${token}`, {
      intent: "create-account",
      name: "Jo Iner",
      password: PASSPHRASE,
      confirm: PASSPHRASE,
    });
    expect(created.status).toBe(302);
    const [user] = await userRows("joiner@example.test");
    expect(user.emailVerified).not.toBeNull();
    expect(await roleNameOfMember(t.db, "joiner@example.test", "apc")).toBe("Member");
    expect((await visitor.get("/issues")).status).toBe(200);
    const [row] = await invitationRows("joiner@example.test");
    expect(row.acceptedById).toBe(user.id);
    expect(row.acceptedAt).not.toBeNull();
    const [log] = await t.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.action, "invitation.accepted"), eq(auditLogs.targetId, row.id)));
    expect(log.actorId).toBe(user.id);

    // Used: the link is gone for everyone.
    expect((await server.client().get(`/invite/${token}`)).status).toBe(410);
    const reuse = await server
      .client()
      .post(`/invite/${token}`, { intent: "create-account", name: "Other", password: PASSPHRASE, confirm: PASSPHRASE });
    expect(reuse.status).toBe(410);
  });

  it("someone with an account signs in, comes back and accepts with one button; the link then answers 410", async () => {
    const res = await invite(admin, "x@example.net", "Admin");
    // The earlier invitation of x@example.net is still pending: this one is refused, use that one's new link.
    expect(res.status).toBe(409);
    const [pending] = await t.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.email, "x@example.net"), isNull(invitations.acceptedAt)));
    const renewed = await admin.post("/admin/members", { intent: "renew-link", invitationId: pending.id });
    expect(renewed.status).toBe(200);
    const token = linkToken(renewed.text);

    const x = server.client();
    const anonymousPage = await x.get(`/invite/${token}`);
    expect(anonymousPage.status).toBe(200);
    expect(anonymousPage.text).toContain(`/login?redirectTo=${encodeURIComponent(`/invite/${token}`)}`);
    const login = await x.post("/login", {
      email: "x@example.net",
      password: PASSPHRASE,
      redirectTo: `/invite/${token}`,
    });
    expect(login.status).toBe(302);
    expect(login.location).toBe(`/invite/${token}`);
    const accepted = await x.post(`/invite/${token}`, { intent: "accept" });
    expect(accepted.status).toBe(302);
    expect(await roleNameOfMember(t.db, "x@example.net", "apc")).toBe("Admin");
    expect(await auditCount(t.db, "apc", "invitation.accepted")).toBe(2);
    expect((await x.get(`/invite/${token}`)).status).toBe(410);
  });

  it("a single-use link cannot be accepted twice, also by two people at the same moment", async () => {
    const res = await invite(admin, "race@example.test", "Member");
    const token = linkToken(res.text);
    const a = await signedIn(server, "admin@beta.local");
    const b = server.client();
    await b.post("/signup", { name: "B", email: "race-b@example.test", password: PASSPHRASE, confirm: PASSPHRASE });
    await b.login("race-b@example.test", PASSPHRASE);
    // Joining with an address other than the invited one needs a verified address (mail-address.test.ts).
    await t.db.update(users).set({ emailVerified: new Date() }).where(eq(users.email, "race-b@example.test"));
    const [ra, rb] = await Promise.all([
      a.post(`/invite/${token}`, { intent: "accept" }),
      b.post(`/invite/${token}`, { intent: "accept" }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([302, 410]);
    const joined = [
      await membershipOf(t.db, "admin@beta.local", "apc"),
      await membershipOf(t.db, "race-b@example.test", "apc"),
    ].filter(Boolean);
    expect(joined).toHaveLength(1);
  });

  it("revoking kills the link (410); a new link replaces the old one (404) and resets the expiry; both audited", async () => {
    const first = await invite(admin, "revoked@example.test", "Member");
    const revokedToken = linkToken(first.text);
    const [row] = await invitationRows("revoked@example.test");
    const revoke = await admin.post("/admin/members", { intent: "revoke", invitationId: row.id });
    expect(revoke.status).toBe(200);
    expect(await auditCount(t.db, "apc", "invitation.revoked")).toBe(1);
    expect((await server.client().get(`/invite/${revokedToken}`)).status).toBe(410);
    const late = await server.client().post(`/invite/${revokedToken}`, {
      intent: "create-account",
      name: "Late",
      password: PASSPHRASE,
      confirm: PASSPHRASE,
    });
    expect(late.status).toBe(410);
    expect(await userRows("revoked@example.test")).toHaveLength(0);
    expect((await admin.post("/admin/members", { intent: "revoke", invitationId: row.id })).status).toBe(404);

    const second = await invite(admin, "renewed@example.test", "Member");
    const oldToken = linkToken(second.text);
    const [pending] = await invitationRows("renewed@example.test");
    await t.db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() + 60_000) })
      .where(eq(invitations.id, pending.id));
    const audits = await auditCount(t.db, "apc", "invitation.link_renewed");
    const renewed = await admin.post("/admin/members", { intent: "renew-link", invitationId: pending.id });
    const newToken = linkToken(renewed.text);
    expect(newToken).not.toBe(oldToken);
    expect((await server.client().get(`/invite/${oldToken}`)).status).toBe(404);
    expect((await server.client().get(`/invite/${newToken}`)).status).toBe(200);
    const [after] = await invitationRows("renewed@example.test");
    expect(after.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);
    expect(await auditCount(t.db, "apc", "invitation.link_renewed")).toBe(audits + 1);
  });

  it("an expired link answers 410 and writes nothing; an unknown or malformed one 404; another organization's 404", async () => {
    const res = await invite(admin, "late@example.test", "Member");
    const token = linkToken(res.text);
    const beta = server.client({ org: "beta" });
    expect((await beta.get(`/invite/${token}`)).status).toBe(404);
    await t.db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.email, "late@example.test"));
    const before = await tenantAccessSnapshot(t.db, "apc");
    const page = await server.client().get(`/invite/${token}`);
    expect(page.status).toBe(410);
    expect(page.text).toContain("no longer works");
    const post = await server
      .client()
      .post(`/invite/${token}`, { intent: "create-account", name: "Late", password: PASSPHRASE, confirm: PASSPHRASE });
    expect(post.status).toBe(410);
    expect(await tenantAccessSnapshot(t.db, "apc")).toEqual(before);
    expect((await server.client().get(`/invite/${"A".repeat(43)}`)).status).toBe(404);
    expect((await server.client().get("/invite/short")).status).toBe(404);
    // An expired invitation does not block inviting the address again.
    expect((await invite(admin, "late@example.test", "Member")).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("finding 2: nobody grants, assigns or reassigns permissions they do not hold", () => {
  let admin: TestClient;
  /** player@dev.local: user:manage and two view permissions only. */
  let desk: TestClient;
  /** gary.stern@pinpoint.dev: role:manage and three view permissions only. */
  let roleKeeper: TestClient;
  let viewerRoleId: string;
  let deskRoleId: string;
  let keeperRoleId: string;

  beforeAll(async () => {
    await freshSeed();
    deskRoleId = await customRole("Desk", ["user:manage", "issue:view", "machine:view"], ["player@dev.local"]);
    keeperRoleId = await customRole(
      "Role keepers",
      ["role:manage", "issue:view", "machine:view", "location:view"],
      ["gary.stern@pinpoint.dev"],
    );
    // keith holds a role within what Desk holds, without management.
    viewerRoleId = await customRole(
      "Viewers",
      ["issue:view", "machine:view"],
      ["keith.elwin@pinpoint.dev", "escher.lefkoff@pinpoint.dev"],
    );
    await customRole("Machine viewers", ["machine:view"]);
    admin = await signedIn(server, "admin@dev.local");
    desk = await signedIn(server, "player@dev.local");
    roleKeeper = await signedIn(server, "gary.stern@pinpoint.dev");
  });

  it("a member with only user:manage cannot make themself or anyone else Admin", async () => {
    const before = await tenantAccessSnapshot(t.db, "apc");
    const me = await membershipOf(t.db, "player@dev.local", "apc");
    const self = await desk.post("/admin/members", {
      intent: "change-role",
      membershipId: me!.id,
      roleId: await roleIdOf(t.db, "apc", "Admin"),
    });
    expect(self.status).toBe(403);
    const keith = await membershipOf(t.db, "keith.elwin@pinpoint.dev", "apc");
    const other = await desk.post("/admin/members", {
      intent: "change-role",
      membershipId: keith!.id,
      roleId: await roleIdOf(t.db, "apc", "Admin"),
    });
    expect(other.status).toBe(403);
    expect(other.text).toContain(MESSAGES.grantAdmin);
    expect(await tenantAccessSnapshot(t.db, "apc")).toEqual(before);
  });

  it("…nor demote or remove the real admins, nor touch members whose role is beyond them", async () => {
    const before = await tenantAccessSnapshot(t.db, "apc");
    const roger = await membershipOf(t.db, "roger.sharpe@pinpoint.dev", "apc");
    expect(
      (await desk.post("/admin/members", { intent: "change-role", membershipId: roger!.id, roleId: viewerRoleId }))
        .status,
    ).toBe(403);
    expect((await desk.post("/admin/members", { intent: "remove", membershipId: roger!.id })).status).toBe(403);
    const member = await membershipOf(t.db, "member@dev.local", "apc");
    const demote = await desk.post("/admin/members", {
      intent: "change-role",
      membershipId: member!.id,
      roleId: viewerRoleId,
    });
    expect(demote.status).toBe(403);
    expect(demote.text).toContain(MESSAGES.controlBeyond.slice(0, 30));
    expect((await desk.post("/admin/members", { intent: "remove", membershipId: member!.id })).status).toBe(403);
    expect(await tenantAccessSnapshot(t.db, "apc")).toEqual(before);
  });

  it("…nor assign a role with permissions they lack or one that manages members", async () => {
    const before = await tenantAccessSnapshot(t.db, "apc");
    const keith = await membershipOf(t.db, "keith.elwin@pinpoint.dev", "apc");
    const member = await desk.post("/admin/members", {
      intent: "change-role",
      membershipId: keith!.id,
      roleId: await roleIdOf(t.db, "apc", "Member"),
    });
    expect(member.status).toBe(403);
    expect(member.text).toContain(MESSAGES.grantBeyond);
    const managing = await desk.post("/admin/members", {
      intent: "change-role",
      membershipId: keith!.id,
      roleId: deskRoleId,
    });
    expect(managing.status).toBe(403);
    expect(await tenantAccessSnapshot(t.db, "apc")).toEqual(before);
    // Within their own permissions it works.
    const ok = await desk.post("/admin/members", {
      intent: "change-role",
      membershipId: keith!.id,
      roleId: await roleIdOf(t.db, "apc", "Machine viewers"),
    });
    expect(ok.status).toBe(200);
    expect(await roleNameOfMember(t.db, "keith.elwin@pinpoint.dev", "apc")).toBe("Machine viewers");
  });

  it("…nor invite as Admin or with a role beyond them, nor make a working link for an admin's Admin invitation", async () => {
    const asAdmin = await invite(desk, "boss@example.test", "Admin");
    expect(asAdmin.status).toBe(403);
    expect((await invite(desk, "boss@example.test", "Member")).status).toBe(403);
    expect((await invite(desk, "boss@example.test", "Desk")).status).toBe(403);
    expect(await invitationRows("boss@example.test")).toHaveLength(0);
    expect((await invite(desk, "boss@example.test", "Viewers")).status).toBe(200);

    await invite(admin, "real-admin@example.test", "Admin");
    const [adminInvite] = await invitationRows("real-admin@example.test");
    const renew = await desk.post("/admin/members", { intent: "renew-link", invitationId: adminInvite.id });
    expect(renew.status).toBe(403);
    expect(renew.text).not.toMatch(/\/invite\/[A-Za-z0-9_-]{43}/);
    expect((await desk.post("/admin/members", { intent: "revoke", invitationId: adminInvite.id })).status).toBe(403);
    const [still] = await invitationRows("real-admin@example.test");
    expect(still).toEqual(adminInvite);
    // The page offers Desk only the roles it may give.
    const page = await desk.get("/admin/members");
    const select = page.text.slice(
      page.text.indexOf('name="roleId"'),
      page.text.indexOf("</select>", page.text.indexOf('name="roleId"')),
    );
    expect(select).toContain("Viewers");
    expect(select).not.toContain(">Admin<");
    expect(select).not.toContain(">Member<");
  });

  it("nobody changes their own role, admins included", async () => {
    const me = await membershipOf(t.db, "admin@dev.local", "apc");
    const res = await admin.post("/admin/members", {
      intent: "change-role",
      membershipId: me!.id,
      roleId: viewerRoleId,
    });
    expect(res.status).toBe(403);
    expect(res.text).toContain(MESSAGES.ownRole);
    expect(await roleNameOfMember(t.db, "admin@dev.local", "apc")).toBe("Admin");
  });

  it("a member with only role:manage cannot grant their own role all permissions, nor edit or grant beyond their own set", async () => {
    const before = await tenantAccessSnapshot(t.db, "apc");
    const all = await roleKeeper.post(`/admin/roles/${keeperRoleId}`, {
      intent: "permissions",
      permission: ["user:manage", "organization:manage", "issue:delete"],
    });
    expect(all.status).toBe(403);
    expect((await roleKeeper.post(`/admin/roles/${keeperRoleId}`, { intent: "settings", name: "Kings" })).status).toBe(
      403,
    );
    const beyond = await roleKeeper.post(`/admin/roles/${viewerRoleId}`, {
      intent: "permissions",
      permission: ["issue:view", "issue:delete"],
    });
    expect(beyond.status).toBe(403);
    expect(beyond.text).toContain(MESSAGES.grantBeyond);
    const managing = await roleKeeper.post(`/admin/roles/${viewerRoleId}`, {
      intent: "permissions",
      permission: ["issue:view", "role:manage"],
    });
    expect(managing.status).toBe(403);
    // A role created from the Member template would hold permissions the keeper lacks.
    expect((await roleKeeper.post("/admin/roles", { intent: "create", name: "Copy", template: "MEMBER" })).status).toBe(
      403,
    );
    expect(await tenantAccessSnapshot(t.db, "apc")).toEqual(before);
    // Within their own set it works.
    expect(
      (
        await roleKeeper.post(`/admin/roles/${viewerRoleId}`, {
          intent: "permissions",
          permission: ["issue:view", "location:view"],
        })
      ).status,
    ).toBe(200);
    expect((await listRolePermissionNames(t.db, apc, viewerRoleId)).sort()).toEqual(["issue:view", "location:view"]);
  });

  it("…nor delete a role moving its members to Admin or to a role beyond them, nor delete their own role", async () => {
    const before = await tenantAccessSnapshot(t.db, "apc");
    const adminRole = await roleIdOf(t.db, "apc", "Admin");
    const toAdmin = await roleKeeper.post(`/admin/roles/${viewerRoleId}`, {
      intent: "delete",
      reassignRoleId: adminRole,
    });
    expect(toAdmin.status).toBe(403);
    expect(toAdmin.text).toContain(MESSAGES.grantAdmin);
    expect(
      (
        await roleKeeper.post(`/admin/roles/${viewerRoleId}`, {
          intent: "delete",
          reassignRoleId: await roleIdOf(t.db, "apc", "Member"),
        })
      ).status,
    ).toBe(403);
    expect(
      (await roleKeeper.post(`/admin/roles/${keeperRoleId}`, { intent: "delete", reassignRoleId: adminRole })).status,
    ).toBe(403);
    expect(await tenantAccessSnapshot(t.db, "apc")).toEqual(before);
  });

  it("the role editor offers a non-admin only the boxes they may grant, the others disabled with a reason", async () => {
    const page = await roleKeeper.get(`/admin/roles/${viewerRoleId}`);
    expect(page.status).toBe(200);
    const box = (name: string) => {
      const at = page.text.indexOf(`value="${name}"`);
      return page.text.slice(page.text.lastIndexOf("<input", at), page.text.indexOf(">", at));
    };
    expect(box("issue:view")).not.toContain("disabled");
    expect(box("issue:delete")).toContain("disabled");
    expect(box("user:manage")).toContain("disabled");
    expect(page.text).toContain("You do not have this permission.");
    expect(page.text).toContain("Only admins can give this.");
    // Their own role (it manages roles) is read-only for them.
    const own = await roleKeeper.get(`/admin/roles/${keeperRoleId}`);
    expect(own.text).not.toContain("Save permissions");
    expect(own.text).toContain(MESSAGES.controlManagement.slice(0, 40));
  });

  it("admins still give any role, including Admin", async () => {
    const keith = await membershipOf(t.db, "keith.elwin@pinpoint.dev", "apc");
    expect(
      (
        await admin.post("/admin/members", {
          intent: "change-role",
          membershipId: keith!.id,
          roleId: await roleIdOf(t.db, "apc", "Admin"),
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await admin.post(`/admin/roles/${keeperRoleId}`, {
          intent: "permissions",
          permission: ["role:manage", "user:manage"],
        })
      ).status,
    ).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("finding 3: visitors who are not members hold public permissions only", () => {
  let admin: TestClient;
  let unauthRoleId: string;
  beforeAll(async () => {
    await freshSeed();
    admin = await signedIn(server, "admin@dev.local");
    unauthRoleId = await roleIdOf(t.db, "apc", "Unauthenticated");
  });

  it("the role action refuses management permissions for the Unauthenticated role (400, nothing written)", async () => {
    const before = await tenantAccessSnapshot(t.db, "apc");
    const res = await admin.post(`/admin/roles/${unauthRoleId}`, {
      intent: "permissions",
      permission: [...PUBLIC_PERMISSIONS, "user:manage"],
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain(MESSAGES.unauthenticatedPublicOnly.slice(0, 40));
    expect(await tenantAccessSnapshot(t.db, "apc")).toEqual(before);
    // Public ones can still be changed.
    expect(
      (
        await admin.post(`/admin/roles/${unauthRoleId}`, {
          intent: "permissions",
          permission: ["issue:view", "machine:view"],
        })
      ).status,
    ).toBe(200);
    expect(
      (await admin.post(`/admin/roles/${unauthRoleId}`, { intent: "permissions", permission: [...PUBLIC_PERMISSIONS] }))
        .status,
    ).toBe(200);
  });

  it("the role editor shows only the public permissions for it", async () => {
    const page = await admin.get(`/admin/roles/${unauthRoleId}`);
    const boxes = [...page.text.matchAll(/<input[^>]*name="permission"[^>]*value="([a-z_:]+)"/g)].map((m) => m[1]);
    expect(boxes.sort()).toEqual([...PUBLIC_PERMISSIONS].sort());
  });

  it("a management permission already stored on the role gives anonymous visitors and non-members nothing", async () => {
    await setRolePermissions(t.db, apc, unauthRoleId, [
      ...PUBLIC_PERMISSIONS,
      "user:manage",
      "role:manage",
      "organization:manage",
    ]);
    const anonymous = server.client();
    const list = await anonymous.get("/admin/members");
    expect(list.status).toBe(302);
    expect(list.location).toMatch(/^\/login\?redirectTo=/);
    expect(list.text).not.toContain("member@dev.local");
    const before = await tenantAccessSnapshot(t.db, "apc");
    const inviteAdmin = await invite(anonymous, "anon-admin@example.test", "Admin");
    expect(inviteAdmin.status).toBe(302);
    expect(await invitationRows("anon-admin@example.test")).toHaveLength(0);
    expect(await tenantAccessSnapshot(t.db, "apc")).toEqual(before);
    expect((await anonymous.get("/admin/roles")).status).toBe(302);
    // Signed in elsewhere (beta's admin visiting apc) is the same: a stranger here.
    const stranger = await signedIn(server, "admin@beta.local");
    expect((await stranger.get("/admin/members")).status).toBe(403);
    // The public part still works.
    expect((await anonymous.get("/machines")).status).toBe(200);
    await setRolePermissions(t.db, apc, unauthRoleId, [...PUBLIC_PERMISSIONS]);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("finding 10a: sign-up answers the same whether or not the address has an account", () => {
  beforeAll(freshSeed);

  it("same status, location, headers and body for a taken and a new address; only the new one gets an account", async () => {
    const form = (email: string) => ({
      name: "Some One",
      email,
      password: "another long phrase 7",
      confirm: "another long phrase 7",
    });
    const taken = await server.client().post("/signup", form("member@dev.local"));
    const fresh = await server.client().post("/signup", form("brand-new@example.test"));
    expect(taken.status).toBe(fresh.status);
    expect(taken.location).toBe(fresh.location);
    expect(taken.text).toBe(fresh.text);
    expect(taken.setCookies).toEqual([]);
    expect(fresh.setCookies).toEqual([]);
    const headerNames = (h: Headers) => [...h.keys()].filter((k) => k !== "date").sort();
    expect(headerNames(taken.headers)).toEqual(headerNames(fresh.headers));

    // Where they land reads the same too.
    const landing = await server.client().get(fresh.location!);
    expect(landing.status).toBe(200);
    expect(landing.text).toContain("now sign in");
    // The new account exists and works; the existing one kept its password.
    await server.client().login("brand-new@example.test", "another long phrase 7");
    await server.client().login("member@dev.local");
    expect(
      (await server.client().post("/login", { email: "member@dev.local", password: "another long phrase 7" })).status,
    ).toBe(400);
    const [member] = await t.db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(eq(users.email, "member@dev.local"));
    expect(member.name).toBe("Dev Member");
    expect(await t.db.select().from(passwords).where(eq(passwords.userId, member.id))).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("finding 10b: role names are compared after NFKC and look-alike folding", () => {
  let admin: TestClient;
  beforeAll(async () => {
    await freshSeed();
    admin = await signedIn(server, "admin@dev.local");
  });

  it("refuses look-alikes of Admin and of existing roles, on creation and on rename", async () => {
    const before = await t.db.select({ id: roles.id }).from(roles).where(eq(roles.organizationId, apc));
    const cases: [string, string][] = [
      ["\u0410dmin", MESSAGES.nameReserved], // Cyrillic А
      ["\uFF21\uFF44\uFF4D\uFF49\uFF4E", MESSAGES.nameReserved], // fullwidth Ａｄｍｉｎ
      ["Ad\u200Bmin", MESSAGES.nameReserved], // zero-width space
      ["\u039Cember", MESSAGES.nameTaken], // Greek Μ
      ["M\u0435mb\u0435r", MESSAGES.nameTaken], // Cyrillic е
    ];
    for (const [name, message] of cases) {
      const res = await admin.post("/admin/roles", { intent: "create", name, template: "blank" });
      expect(res.status, JSON.stringify(name)).toBe(409);
      expect(res.text).toContain(message);
    }
    expect(await t.db.select({ id: roles.id }).from(roles).where(eq(roles.organizationId, apc))).toHaveLength(
      before.length,
    );

    const created = await admin.post("/admin/roles", { intent: "create", name: "Technicians", template: "blank" });
    const roleId = created.location!.split("/").pop()!.split("?")[0];
    const rename = await admin.post(`/admin/roles/${roleId}`, { intent: "settings", name: "\u0410dmin" });
    expect(rename.status).toBe(409);
    expect((await t.db.select({ name: roles.name }).from(roles).where(eq(roles.id, roleId)))[0].name).toBe(
      "Technicians",
    );
    // Ordinary distinct names are still fine.
    expect((await admin.post("/admin/roles", { intent: "create", name: "Ádmins", template: "blank" })).status).toBe(
      302,
    );
  });
});
