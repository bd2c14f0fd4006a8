/**
 * Tenant isolation of member and role administration, over HTTP with real cookies.
 *
 * 1. On beta's own host (X-Organization: beta), beta's admin submits apc's ids (memberships, roles) to beta's admin
 *    pages: every read and write answers 404, and nothing in apc changes.
 * 2. On apc's host, beta's admin is not a member: the admin pages answer 403 (403 because the permission is missing;
 *    the organization itself is public), and nothing changes.
 * Other engineers add machine/issue/comment cases in their own files.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { addMember, createUser, seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { membershipOf, orgIdOf, roleIdOf, tenantAccessSnapshot } from "../helpers/fixtures";
import { type TestClient, type TestServer, startTestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

let t: TestDb;
let server: TestServer;
let betaHost: TestClient;
let apcHost: TestClient;
let apcIds: {
  memberRole: string;
  adminRole: string;
  unauthRole: string;
  memberMembership: string;
  adminMembership: string;
};
let betaIds: { memberRole: string; adminMembership: string };

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  server = await startTestServer(t.db);
  betaHost = server.client({ org: "beta" });
  await betaHost.login("admin@beta.local");
  apcHost = server.client({ org: "apc" });
  await apcHost.login("admin@beta.local");
  apcIds = {
    memberRole: await roleIdOf(t.db, "apc", "Member"),
    adminRole: await roleIdOf(t.db, "apc", "Admin"),
    unauthRole: await roleIdOf(t.db, "apc", "Unauthenticated"),
    memberMembership: (await membershipOf(t.db, "member@dev.local", "apc"))!.id,
    adminMembership: (await membershipOf(t.db, "admin@dev.local", "apc"))!.id,
  };
  betaIds = {
    memberRole: await roleIdOf(t.db, "beta", "Member"),
    adminMembership: (await membershipOf(t.db, "admin@beta.local", "beta"))!.id,
  };
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

/** Runs `fn` and proves that neither organization's roles, memberships, permissions or audit log changed. */
async function unchanged(fn: () => Promise<void>) {
  const before = { apc: await tenantAccessSnapshot(t.db, "apc"), beta: await tenantAccessSnapshot(t.db, "beta") };
  await fn();
  expect({ apc: await tenantAccessSnapshot(t.db, "apc"), beta: await tenantAccessSnapshot(t.db, "beta") }).toEqual(
    before,
  );
}

describe("beta's admin, on beta's host, using apc's ids", () => {
  it("sanity: beta's admin can use beta's own admin pages", async () => {
    expect((await betaHost.get("/admin/members")).status).toBe(200);
    expect((await betaHost.get(`/admin/roles/${betaIds.memberRole}`)).status).toBe(200);
    // …and apc's members are not listed there.
    const list = await betaHost.get("/admin/members");
    expect(list.text).not.toContain("member@dev.local");
    expect(list.text).not.toContain("Dev Member");
  });

  it("cannot read an apc role", async () => {
    for (const id of [apcIds.memberRole, apcIds.adminRole, apcIds.unauthRole]) {
      const res = await betaHost.get(`/admin/roles/${id}`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain("Austin");
    }
    // The single-fetch data request too.
    expect((await betaHost.get(`/admin/roles/${apcIds.memberRole}.data`)).status).toBe(404);
  });

  it("cannot rename, re-permission or delete an apc role", async () => {
    await unchanged(async () => {
      expect(
        (await betaHost.post(`/admin/roles/${apcIds.memberRole}`, { intent: "settings", name: "Hacked" })).status,
      ).toBe(404);
      expect(
        (
          await betaHost.post(`/admin/roles/${apcIds.memberRole}`, {
            intent: "permissions",
            permission: ["role:manage", "user:manage"],
          })
        ).status,
      ).toBe(404);
      expect(
        (await betaHost.post(`/admin/roles/${apcIds.unauthRole}`, { intent: "permissions", permission: [] })).status,
      ).toBe(404);
      expect(
        (
          await betaHost.post(`/admin/roles/${apcIds.memberRole}`, {
            intent: "delete",
            reassignRoleId: apcIds.adminRole,
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await betaHost.post(`/admin/roles/${apcIds.memberRole}.data`, {
            intent: "delete",
            reassignRoleId: apcIds.adminRole,
          })
        ).status,
      ).toBe(404);
    });
  });

  it("cannot reassign a beta role's members into an apc role when deleting", async () => {
    const created = await betaHost.post("/admin/roles", { intent: "create", name: "Beta temp", template: "blank" });
    expect(created.status).toBe(302);
    const betaTemp = created.location!.split("/").pop()!.split("?")[0];
    // A member with that role (set up directly: invitations only become members through their link).
    const member = await createUser(t.db, { email: "beta-temp@example.test", name: "Beta Temp" });
    await addMember(t.db, { userId: member.id, organizationId: await orgIdOf(t.db, "beta"), roleId: betaTemp });
    await unchanged(async () => {
      const res = await betaHost.post(`/admin/roles/${betaTemp}`, {
        intent: "delete",
        reassignRoleId: apcIds.adminRole,
      });
      expect(res.status).toBe(404);
    });
  });

  it("cannot change the role of, or remove, an apc member", async () => {
    await unchanged(async () => {
      const change = await betaHost.post("/admin/members", {
        intent: "change-role",
        membershipId: apcIds.memberMembership,
        roleId: betaIds.memberRole,
      });
      expect(change.status).toBe(404);
      const changeApcRole = await betaHost.post("/admin/members", {
        intent: "change-role",
        membershipId: apcIds.memberMembership,
        roleId: apcIds.adminRole,
      });
      expect(changeApcRole.status).toBe(404);
      const remove = await betaHost.post("/admin/members", { intent: "remove", membershipId: apcIds.adminMembership });
      expect(remove.status).toBe(404);
      const removeData = await betaHost.post("/admin/members.data", {
        intent: "remove",
        membershipId: apcIds.memberMembership,
      });
      expect(removeData.status).toBe(404);
    });
  });

  it("cannot give a beta member an apc role, or invite into an apc role", async () => {
    await unchanged(async () => {
      const own = await betaHost.post("/admin/members", {
        intent: "change-role",
        membershipId: betaIds.adminMembership,
        roleId: apcIds.adminRole,
      });
      expect(own.status).toBe(404);
      const invite = await betaHost.post("/admin/members", {
        intent: "invite",
        email: "sneaky@example.test",
        roleId: apcIds.adminRole,
      });
      expect(invite.status).toBe(404);
    });
  });

  it("cannot forge the organization with a form field", async () => {
    await unchanged(async () => {
      const res = await betaHost.post("/admin/members", {
        intent: "remove",
        membershipId: apcIds.memberMembership,
        organizationId: "apc",
        organization: "apc",
      });
      expect(res.status).toBe(404);
    });
  });
});

describe("beta's admin on apc's host (not a member there)", () => {
  it("gets 403 on apc's admin pages and API-style data requests", async () => {
    for (const path of ["/admin", "/admin/members", "/admin/roles", `/admin/roles/${apcIds.memberRole}`]) {
      expect((await apcHost.get(path)).status, path).toBe(403);
    }
    expect((await apcHost.get("/admin/members.data")).status).toBe(403);
  });

  it("cannot write anything there", async () => {
    await unchanged(async () => {
      expect(
        (
          await apcHost.post("/admin/members", {
            intent: "invite",
            email: "beta-admin-was-here@example.test",
            roleId: apcIds.adminRole,
          })
        ).status,
      ).toBe(403);
      expect(
        (await apcHost.post("/admin/members", { intent: "remove", membershipId: apcIds.memberMembership })).status,
      ).toBe(403);
      expect(
        (
          await apcHost.post("/admin/members", {
            intent: "change-role",
            membershipId: apcIds.memberMembership,
            roleId: apcIds.adminRole,
          })
        ).status,
      ).toBe(403);
      expect(
        (await apcHost.post("/admin/roles", { intent: "create", name: "Beta was here", template: "MEMBER" })).status,
      ).toBe(403);
      expect(
        (await apcHost.post(`/admin/roles/${apcIds.unauthRole}`, { intent: "permissions", permission: [] })).status,
      ).toBe(403);
      expect(
        (
          await apcHost.post(`/admin/roles/${apcIds.memberRole}`, {
            intent: "delete",
            reassignRoleId: apcIds.adminRole,
          })
        ).status,
      ).toBe(403);
    });
  });

  it("is not shown apc's member emails anywhere public", async () => {
    const home = await apcHost.get("/");
    expect(home.text).not.toContain("member@dev.local");
    expect(home.text).not.toContain("admin@dev.local");
  });

  it("an anonymous visitor is sent to sign in and cannot write either", async () => {
    const anon = server.client({ org: "apc" });
    await unchanged(async () => {
      const res = await anon.post("/admin/members", { intent: "remove", membershipId: apcIds.memberMembership });
      expect(res.status).toBe(302);
      expect(res.location).toMatch(/^\/login\?redirectTo=/);
    });
  });
});
