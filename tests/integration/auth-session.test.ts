/**
 * Sign-up, sign-in and database-backed sessions over real HTTP (production build, real cookies):
 * one message for unknown email and wrong password, cookie attributes, a new session id per sign-in, sign-out and
 * "sign out everywhere" revoke the row (a replayed cookie is refused), a password change kills the other sessions,
 * idle and absolute expiry, sign-in rate limits per address and per (account, address) (429 + Retry-After), and a removed
 * member losing access on the very next request.
 */
import path from "node:path";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { RULES, resetRateLimits } from "~/lib/rate-limit.server";
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from "~/lib/session.server";
import { INVALID_CREDENTIALS } from "~/lib/auth.server";
import { seedDatabase } from "../../db/seed.server";
import { memberships, passwords, sessions, users } from "../../db/schema";
import { createHttpApp } from "../../server/app";
import { createTestDb, type TestDb } from "../helpers/db";
import { membershipOf, sessionCount, userIdOf } from "../helpers/fixtures";
import { TestClient, startTestServer, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

const PASSWORD = "dev-login-123";
let t: TestDb;
let server: TestServer;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  server = await startTestServer(t.db);
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());
afterEach(() => {
  delete process.env.COOKIE_SECURE;
  vi.useRealTimers();
});

function sessionCookieOf(res: { setCookies: string[] }): string | undefined {
  return res.setCookies.find((c) => /^(__Host-)?pinpoint_session=/.test(c));
}

/** A second client that sends exactly this cookie header (to replay an old cookie). */
function clientWithCookies(cookies: Map<string, string>): TestClient {
  const c = server.client();
  for (const [k, v] of cookies) c.cookies.set(k, v);
  return c;
}

async function isSignedIn(c: TestClient): Promise<boolean> {
  const res = await c.get("/account");
  if (res.status === 200) return true;
  expect(res.status).toBe(302);
  expect(res.location).toMatch(/^\/login\?redirectTo=/);
  return false;
}

/** Signs up (the neutral answer, no session) and then signs in through the login form, as a person would. */
async function signUp(c: TestClient, email: string, password = "a long passphrase 42") {
  const res = await c.post("/signup", { name: "Test Person", email, password, confirm: password });
  if (res.status === 302 && res.location === "/signup?done=1") await c.login(email, password);
  return res;
}

describe("sign-up", () => {
  it("creates an account and answers with the neutral page (no session: the same answer as for a taken address)", async () => {
    const c = server.client();
    const res = await c.post("/signup", {
      name: "Test Person",
      email: "New.Person@Example.test",
      password: "a long passphrase 42",
      confirm: "a long passphrase 42",
    });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/signup?done=1");
    expect(sessionCookieOf(res)).toBeUndefined();
    await c.login("new.person@example.test", "a long passphrase 42");
    const [user] = await t.db
      .select({ email: users.email, name: users.name })
      .from(users)
      .where(eq(users.email, "new.person@example.test"));
    expect(user).toEqual({ email: "new.person@example.test", name: "Test Person" });
    const account = await c.get("/account");
    expect(account.status).toBe(200);
    expect(account.text).toContain("new.person@example.test");
  });

  it("rejects bad input with field errors and writes nothing", async () => {
    const before = (await t.db.select({ id: users.id }).from(users)).length;
    const c = server.client();
    const mismatch = await c.post("/signup", {
      name: "X",
      email: "x1@example.test",
      password: "a long passphrase 42",
      confirm: "other",
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain("The passwords do not match");
    const common = await signUp(c, "x2@example.test", "password123");
    expect(common.status).toBe(400);
    expect(common.text).toContain("too common");
    const short = await signUp(c, "x3@example.test", "short");
    expect(short.status).toBe(400);
    // A taken address gets the neutral answer and changes nothing (tests/integration/security-roles.test.ts, 10a).
    const taken = await c.post("/signup", {
      name: "X",
      email: "member@dev.local",
      password: "a long passphrase 42",
      confirm: "a long passphrase 42",
    });
    expect(taken.status).toBe(302);
    expect(taken.location).toBe("/signup?done=1");
    expect((await t.db.select({ id: users.id }).from(users)).length).toBe(before);
  });

  it("a bot filling the honeypot gets a fake success and no account", async () => {
    const c = server.client();
    const res = await c.post("/signup", {
      name: "Bot",
      email: "bot@example.test",
      password: "a long passphrase 42",
      confirm: "a long passphrase 42",
      website: "http://spam.example",
    });
    expect(res.status).toBe(302);
    expect(sessionCookieOf(res)).toBeUndefined();
    expect(await t.db.select().from(users).where(eq(users.email, "bot@example.test"))).toHaveLength(0);
  });

  it("a body that is not a form is a 400, not a 500", async () => {
    const res = await fetch(`${server.url}/signup`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=nope", origin: server.url },
      body: "garbage",
    });
    expect(res.status).toBe(400);
  });
});

describe("sign-in", () => {
  it("signs in with the right password and redirects to a safe redirectTo only", async () => {
    const c = server.client();
    const res = await c.post("/login", { email: "member@dev.local", password: PASSWORD, redirectTo: "/account" });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/account");
    expect(await isSignedIn(c)).toBe(true);

    const evil = await server
      .client()
      .post("/login", { email: "member@dev.local", password: PASSWORD, redirectTo: "//evil.example/x" });
    expect(evil.status).toBe(302);
    expect(evil.location).toBe("/");
  });

  it("answers a wrong password and an unknown email with the same status and message", async () => {
    const wrong = await server.client().post("/login", { email: "member@dev.local", password: "not-the-password" });
    const unknown = await server.client().post("/login", { email: "nobody@dev.local", password: "not-the-password" });
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(wrong.text).toContain(INVALID_CREDENTIALS);
    expect(unknown.text).toContain(INVALID_CREDENTIALS);
    expect(sessionCookieOf(wrong)).toBeUndefined();
    expect(sessionCookieOf(unknown)).toBeUndefined();
  });

  it("email is case-insensitive", async () => {
    const c = server.client();
    await c.login("Member@Dev.Local");
    expect(await isSignedIn(c)).toBe(true);
  });

  it("sets an HttpOnly, SameSite=Lax, Path=/ cookie that holds a random id, not the user id", async () => {
    // Plain-HTTP deployments (COOKIE_SECURE=false): no Secure flag, so no __Host- prefix either.
    process.env.COOKIE_SECURE = "false";
    const res = await server.client().login("member@dev.local");
    const cookie = sessionCookieOf(res)!;
    expect(cookie).toMatch(/^pinpoint_session=/);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(cookie).toMatch(/;\s*Max-Age=\d+/i);
    expect(cookie).not.toMatch(/;\s*Domain=/i);
    expect(cookie).not.toMatch(/;\s*Secure/i);
    expect(cookie).not.toContain(await userIdOf(t.db, "member@dev.local"));
  });

  it("uses Secure and the __Host- prefix when COOKIE_SECURE=true (the production default)", async () => {
    process.env.COOKIE_SECURE = "true";
    const c = server.client();
    const res = await c.login("member@dev.local");
    const cookie = sessionCookieOf(res)!;
    expect(cookie).toMatch(/^__Host-pinpoint_session=/);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(cookie).not.toMatch(/;\s*Domain=/i);
    expect(await isSignedIn(c)).toBe(true);
  });

  it("issues a new session id at every sign-in and retires the browser's previous one", async () => {
    const c = server.client();
    const first = sessionCookieOf(await c.login("player@dev.local"));
    const oldCookies = new Map(c.cookies);
    const second = sessionCookieOf(await c.login("player@dev.local"));
    expect(first).toBeTruthy();
    expect(second).toBeTruthy();
    expect(second).not.toEqual(first);
    // Another browser gets yet another id.
    const other = sessionCookieOf(await server.client().login("player@dev.local"));
    expect(other).not.toEqual(second);
    // The replaced cookie of the first browser no longer works.
    expect(await isSignedIn(clientWithCookies(oldCookies))).toBe(false);
    expect(await isSignedIn(c)).toBe(true);
  });

  it("ignores a forged or tampered cookie", async () => {
    const c = server.client();
    await c.login("member@dev.local");
    const [name, value] = [...c.cookies][0];
    const tampered = clientWithCookies(new Map([[name, value.slice(0, -3) + (value.endsWith("A") ? "BBB" : "AAA")]]));
    expect(await isSignedIn(tampered)).toBe(false);
    const garbage = clientWithCookies(new Map([["pinpoint_session", "not-a-session"]]));
    expect(await isSignedIn(garbage)).toBe(false);
  });
});

describe("sign-out and revocation", () => {
  it("sign-out deletes the session row, clears the cookie, and the old cookie is refused when replayed", async () => {
    const c = server.client();
    await c.login("player@dev.local");
    const saved = new Map(c.cookies);
    const before = await sessionCount(t.db, "player@dev.local");
    const res = await c.post("/logout", {});
    expect(res.status).toBe(302);
    expect(sessionCookieOf(res)).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    expect(await sessionCount(t.db, "player@dev.local")).toBe(before - 1);
    expect(await isSignedIn(c)).toBe(false);
    expect(await isSignedIn(clientWithCookies(saved))).toBe(false);
  });

  it("signing out with GET does nothing (sign-out is a POST)", async () => {
    const c = server.client();
    await c.login("player@dev.local");
    const res = await c.get("/logout");
    expect(res.status).toBe(302);
    expect(await isSignedIn(c)).toBe(true);
  });

  it("'sign out everywhere' ends every session of the user", async () => {
    const email = "everywhere@example.test";
    const a = server.client();
    expect((await signUp(a, email)).status).toBe(302);
    const b = server.client();
    await b.login(email, "a long passphrase 42");
    expect(await sessionCount(t.db, email)).toBe(2);
    const res = await a.post("/account", { intent: "signout-everywhere" });
    expect(res.status).toBe(302);
    expect(await sessionCount(t.db, email)).toBe(0);
    expect(await isSignedIn(a)).toBe(false);
    expect(await isSignedIn(b)).toBe(false);
  });

  it("a password change keeps this session, ends the others, and only the new password works", async () => {
    const email = "changer@example.test";
    const a = server.client();
    expect((await signUp(a, email, "first passphrase 123")).status).toBe(302);
    const b = server.client();
    await b.login(email, "first passphrase 123");

    const wrongCurrent = await a.post("/account", {
      intent: "password",
      current: "not it",
      password: "second passphrase 456",
      confirm: "second passphrase 456",
    });
    expect(wrongCurrent.status).toBe(400);
    expect(wrongCurrent.text).toContain("not your current password");
    expect(await isSignedIn(b)).toBe(true);

    const res = await a.post("/account", {
      intent: "password",
      current: "first passphrase 123",
      password: "second passphrase 456",
      confirm: "second passphrase 456",
    });
    expect(res.status).toBe(200);
    expect(await isSignedIn(a)).toBe(true);
    expect(await isSignedIn(b)).toBe(false);
    expect((await server.client().post("/login", { email, password: "first passphrase 123" })).status).toBe(400);
    await server.client().login(email, "second passphrase 456");
  });
});

describe("expiry", () => {
  async function sessionRowOf(email: string) {
    const id = await userIdOf(t.db, email);
    const rows = await t.db.select().from(sessions).where(eq(sessions.userId, id));
    return rows;
  }

  it("an idle session (not seen for longer than the idle limit) is refused and deleted", async () => {
    const email = "idle@example.test";
    const c = server.client();
    await signUp(c, email);
    const [row] = await sessionRowOf(email);
    await t.db
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - SESSION_IDLE_MS - 60_000) })
      .where(eq(sessions.id, row.id));
    expect(await isSignedIn(c)).toBe(false);
    expect(await sessionRowOf(email)).toHaveLength(0);
  });

  it("activity inside the idle window slides lastSeenAt forward", async () => {
    const email = "active@example.test";
    const c = server.client();
    await signUp(c, email);
    const [row] = await sessionRowOf(email);
    const old = new Date(Date.now() - SESSION_IDLE_MS + 60 * 60_000);
    await t.db.update(sessions).set({ lastSeenAt: old }).where(eq(sessions.id, row.id));
    expect(await isSignedIn(c)).toBe(true);
    const [after] = await sessionRowOf(email);
    expect(after.lastSeenAt.getTime()).toBeGreaterThan(old.getTime() + 60_000);
  });

  it("a session past its absolute lifetime is refused even when active (fake clock)", async () => {
    const email = "absolute@example.test";
    const c = server.client();
    await signUp(c, email);
    // Keep the session "active" every few days so only the absolute limit can end it.
    const start = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: start });
    for (let day = 6; day * 24 * 3_600_000 < SESSION_ABSOLUTE_MS; day += 6) {
      vi.setSystemTime(start + day * 24 * 3_600_000);
      expect(await isSignedIn(c)).toBe(true);
    }
    vi.setSystemTime(start + SESSION_ABSOLUTE_MS + 60_000);
    expect(await isSignedIn(c)).toBe(false);
    vi.useRealTimers();
    expect(await sessionRowOf(email)).toHaveLength(0);
  });

  it("a session row whose user was deleted is gone (cascade) and the cookie no longer works", async () => {
    const email = "deleted@example.test";
    const c = server.client();
    await signUp(c, email);
    const id = await userIdOf(t.db, email);
    await t.db.delete(passwords).where(eq(passwords.userId, id));
    await t.db.delete(users).where(eq(users.id, id));
    expect(await isSignedIn(c)).toBe(false);
  });
});

describe("rate limits", () => {
  it("limits sign-in attempts per address: the attempt after the limit gets 429 with Retry-After", async () => {
    const c = server.client();
    // Malformed emails fail before any hashing, so the loop is fast; each is a different "account".
    for (let i = 0; i < RULES.loginPerIp.limit; i++) {
      const res = await c.post("/login", { email: `not-an-email-${i}`, password: "x" });
      expect(res.status).toBe(400);
    }
    const blocked = await c.post("/login", { email: "member@dev.local", password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(blocked.text).toContain("Too many sign-in attempts");
    expect(sessionCookieOf(blocked)).toBeUndefined();
    await resetRateLimits();
    expect((await c.post("/login", { email: "member@dev.local", password: PASSWORD })).status).toBe(302);
  });

  it("limits failed attempts per account and address (behind a trusted proxy); other addresses are not refused", async () => {
    const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
    const app = createHttpApp({
      build,
      database: { db: t.db, kind: "pglite", location: "test", ping: async () => {}, close: async () => {} },
      mode: "test",
      publicDir: path.resolve("public"),
      trustProxy: true,
    });
    const proxied = app.listen(0, "127.0.0.1");
    await new Promise<void>((r) => proxied.once("listening", () => r()));
    const url = `http://127.0.0.1:${(proxied.address() as AddressInfo).port}`;
    try {
      const attempt = (ip: string, password: string, email = "player@dev.local") =>
        new TestClient(url).post("/login", { email, password }, { "X-Forwarded-For": ip });
      // Empty passwords are refused before hashing but still count as failures of this account at this address.
      for (let i = 0; i < RULES.loginPerAccountAndIp.limit; i++) {
        expect((await attempt("198.51.100.1", "")).status).toBe(400);
      }
      const blocked = await attempt("198.51.100.1", PASSWORD);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
      // The same account from another address is not refused (tests/integration/security-abuse.test.ts has more).
      expect((await attempt("203.0.113.77", PASSWORD)).status).toBe(302);
      // Another account from the guessing address is not affected.
      expect((await attempt("198.51.100.1", PASSWORD, "member@dev.local")).status).toBe(302);
    } finally {
      await new Promise<void>((r) => {
        proxied.closeAllConnections();
        proxied.close(() => r());
      });
    }
  });
});

describe("membership changes take effect on the next request", () => {
  it("a member removed by an admin loses access immediately, with the same cookie", async () => {
    // Gary gets a role with member management so there is a page only members of that role can open.
    const manager = server.client();
    await manager.login("admin@dev.local");
    const created = await manager.post("/admin/roles", {
      intent: "create",
      name: "Member managers",
      template: "blank",
    });
    expect(created.status).toBe(302);
    const roleId = created.location!.split("/").pop()!.split("?")[0];
    expect(
      (await manager.post(`/admin/roles/${roleId}`, { intent: "permissions", permission: ["user:manage"] })).status,
    ).toBe(200);
    const gary = await membershipOf(t.db, "gary.stern@pinpoint.dev", "apc");
    expect(
      (await manager.post("/admin/members", { intent: "change-role", membershipId: gary!.id, roleId })).status,
    ).toBe(200);

    const c = server.client();
    await c.login("gary.stern@pinpoint.dev");
    expect((await c.get("/admin/members")).status).toBe(200);

    const removed = await manager.post("/admin/members", { intent: "remove", membershipId: gary!.id });
    expect(removed.status).toBe(200);
    expect(await t.db.select().from(memberships).where(eq(memberships.id, gary!.id))).toHaveLength(0);

    // Still signed in (the account exists) but no longer a member: the page is refused.
    expect(await isSignedIn(c)).toBe(true);
    const after = await c.get("/admin/members");
    expect(after.status).toBe(403);
  });
});
