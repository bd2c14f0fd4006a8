/**
 * Cross-site request forgery: every state-changing request must come from our own origin. Document posts (no JS),
 * single-fetch posts (`/path.data`, what Remix's <Form> sends with JS) and resource routes (no UI, e.g. /logout)
 * are all checked by the server before Remix runs. A refusal is a 403 and writes nothing.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { seedDatabase } from "../../db/seed.server";
import { roles, users } from "../../db/schema";
import { createTestDb, type TestDb } from "../helpers/db";
import { sessionCount, tenantAccessSnapshot } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

let t: TestDb;
let server: TestServer;
let admin: TestClient;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  server = await startTestServer(t.db);
  admin = server.client();
  await admin.login("admin@dev.local");
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

const EVIL = "https://evil.example";
const signupBody = (email: string) => ({
  name: "Victim",
  email,
  password: "a long passphrase 42",
  confirm: "a long passphrase 42",
});
const userExists = async (email: string) => (await t.db.select().from(users).where(eq(users.email, email))).length > 0;
const roleExists = async (name: string) => (await t.db.select().from(roles).where(eq(roles.name, name))).length > 0;

describe("foreign Origin is refused with 403 and nothing is written", () => {
  it("document POST (no JavaScript)", async () => {
    const res = await server.client().post("/signup", signupBody("csrf-doc@example.test"), { Origin: EVIL });
    expect(res.status).toBe(403);
    expect(res.text).toContain("another site");
    expect(await userExists("csrf-doc@example.test")).toBe(false);
  });

  it("document POST by a signed-in admin (the classic CSRF): no role is created", async () => {
    const before = await tenantAccessSnapshot(t.db, "apc");
    const res = await admin.post(
      "/admin/roles",
      { intent: "create", name: "CSRF role", template: "MEMBER" },
      { Origin: EVIL },
    );
    expect(res.status).toBe(403);
    expect(await roleExists("CSRF role")).toBe(false);
    expect(await tenantAccessSnapshot(t.db, "apc")).toEqual(before);
  });

  it("single-fetch POST (/route.data, what <Form> sends with JavaScript)", async () => {
    const res = await admin.post(
      "/admin/roles.data",
      { intent: "create", name: "CSRF data role", template: "MEMBER" },
      { Origin: EVIL },
    );
    expect(res.status).toBe(403);
    expect(await roleExists("CSRF data role")).toBe(false);
    const signup = await server.client().post("/signup.data", signupBody("csrf-data@example.test"), { Origin: EVIL });
    expect(signup.status).toBe(403);
    expect(await userExists("csrf-data@example.test")).toBe(false);
  });

  it("resource route POST (/logout): the session is not ended", async () => {
    const c = server.client();
    await c.login("member@dev.local");
    const before = await sessionCount(t.db, "member@dev.local");
    const res = await c.post("/logout", {}, { Origin: EVIL });
    expect(res.status).toBe(403);
    expect(await sessionCount(t.db, "member@dev.local")).toBe(before);
    expect((await c.get("/account")).status).toBe(200);
  });

  it("sign-in from another site (login CSRF) creates no session", async () => {
    const before = await sessionCount(t.db, "player@dev.local");
    const res = await server
      .client()
      .post("/login", { email: "player@dev.local", password: "dev-login-123" }, { Origin: EVIL });
    expect(res.status).toBe(403);
    expect(await sessionCount(t.db, "player@dev.local")).toBe(before);
  });

  it("a sibling tenant's origin counts as foreign", async () => {
    const res = await admin.post(
      "/admin/roles",
      { intent: "create", name: "Sibling role", template: "blank" },
      { Origin: "http://beta.localhost:3000" },
    );
    expect(res.status).toBe(403);
    expect(await roleExists("Sibling role")).toBe(false);
  });

  it("PUT, PATCH and DELETE are checked too", async () => {
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const res = await fetch(`${server.url}/admin/roles`, { method, headers: { Origin: EVIL }, redirect: "manual" });
      expect(res.status).toBe(403);
    }
  });
});

describe("Origin: null and missing Origin", () => {
  it("Origin: null is refused (document and data requests)", async () => {
    const res = await server.client().post("/signup", signupBody("csrf-null@example.test"), { Origin: "null" });
    expect(res.status).toBe(403);
    const data = await admin.post(
      "/admin/roles.data",
      { intent: "create", name: "Null role", template: "blank" },
      { Origin: "null" },
    );
    expect(data.status).toBe(403);
    expect(await userExists("csrf-null@example.test")).toBe(false);
    expect(await roleExists("Null role")).toBe(false);
  });

  it("without Origin, a foreign Referer is refused", async () => {
    const res = await fetch(`${server.url}/signup`, {
      method: "POST",
      body: new URLSearchParams(signupBody("csrf-referer@example.test")),
      headers: { Referer: `${EVIL}/page` },
      redirect: "manual",
    });
    expect(res.status).toBe(403);
    expect(await userExists("csrf-referer@example.test")).toBe(false);
  });

  it("without Origin, Sec-Fetch-Site: cross-site is refused", async () => {
    const res = await fetch(`${server.url}/signup`, {
      method: "POST",
      body: new URLSearchParams(signupBody("csrf-sfs@example.test")),
      headers: { "Sec-Fetch-Site": "cross-site" },
      redirect: "manual",
    });
    expect(res.status).toBe(403);
    expect(await userExists("csrf-sfs@example.test")).toBe(false);
  });
});

describe("same-origin requests work", () => {
  it("document POST from our own origin", async () => {
    const res = await server.client().post("/signup", signupBody("same-origin@example.test"));
    expect(res.status).toBe(302);
    expect(await userExists("same-origin@example.test")).toBe(true);
  });

  it("single-fetch POST from our own origin", async () => {
    const res = await admin.post("/admin/roles.data", {
      intent: "create",
      name: "Same origin role",
      template: "blank",
    });
    // Single fetch answers redirects as 202 + data (so fetch() does not follow them).
    expect([200, 202]).toContain(res.status);
    expect(await roleExists("Same origin role")).toBe(true);
  });

  it("resource route POST from our own origin", async () => {
    const c = server.client();
    await c.login("member@dev.local");
    const res = await c.post("/logout", {});
    expect(res.status).toBe(302);
    expect((await c.get("/account")).status).toBe(302);
  });

  it("a same-origin Referer without Origin is accepted", async () => {
    const res = await fetch(`${server.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ email: "player@dev.local", password: "dev-login-123" }),
      headers: { Referer: `${server.url}/login` },
      redirect: "manual",
    });
    expect(res.status).toBe(302);
  });

  it("GET is never blocked, whatever the Origin", async () => {
    const res = await server.client().get("/login", { Origin: EVIL });
    expect(res.status).toBe(200);
  });
});
