/**
 * Password reset and security e-mails end to end: the real server (production build) with its mail worker, a real
 * SMTP server on loopback (tests/helpers/smtp.ts), a real database. What arrives is parsed with mailparser.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { noticeSignInAttempts } from "~/use-cases/security-notices.server";
import { mailOutbox, passwordResetTokens } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { userIdOf } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";
import { resetPathIn, startTestSmtp, type ReceivedMail, type TestSmtp } from "../helpers/smtp";

const OLD = "dev-login-123";
let t: TestDb;
let smtp: TestSmtp;
let server: TestServer;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  smtp = await startTestSmtp();
  server = await startTestServer(t.db, { trustProxy: true, mail: { smtpUrl: smtp.url } });
});

afterAll(async () => {
  await server?.close();
  await smtp?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

let ipCounter = 10;
/** A client speaking from its own address (the server trusts X-Forwarded-For here), so limits do not mix. */
function freshClient(): { client: TestClient; headers: Record<string, string> } {
  ipCounter += 1;
  return { client: server.client(), headers: { "X-Forwarded-For": `198.51.100.${ipCounter}` } };
}

async function forgot(email: string, c = freshClient()) {
  return c.client.post("/forgot-password", { email }, c.headers);
}

async function mailsTo(address: string, count: number): Promise<ReceivedMail[]> {
  await smtp.waitFor((all) => all.filter((m) => m.to === address).length >= count);
  return smtp.accepted.filter((m) => m.to === address);
}

async function canSignIn(email: string, password: string): Promise<boolean> {
  const c = freshClient();
  const res = await c.client.post("/login", { email, password, redirectTo: "/" }, c.headers);
  return res.status === 302;
}

describe("password reset by e-mail", () => {
  it("sends a single-use link that sets a new password, signs out every session and stops the old password", async () => {
    const email = "member@dev.local";
    const userId = await userIdOf(t.db, email);
    const elsewhere = server.client();
    await elsewhere.login(email);
    expect((await elsewhere.get("/account")).status).toBe(200);

    const asked = await forgot(email);
    expect(asked.status).toBe(302);
    expect(asked.location).toBe("/forgot-password?sent=1");
    const [mail] = await mailsTo(email, 1);
    expect(mail.subject).toBe("Choose a new PinPoint password");
    // Message-ID from the outbox id; automatic; no unsubscribe on an account message.
    const [row] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, "password_reset"));
    expect(mail.messageId).toBe(`<${row.id}@pinpoint.test>`);
    expect(row.status).toBe("sent");
    expect(row.organizationId).toBeNull();
    expect(mail.header("auto-submitted")).toBe("auto-generated");
    expect(mail.header("list-unsubscribe")).toBeUndefined();
    // Both parts; the HTML has a language and a link whose text says what it does.
    const path = resetPathIn(mail);
    expect(mail.html).toMatch(/<html lang="en">/);
    expect(mail.html).toContain(`>Choose a new password</a>`);
    expect(mail.html).toContain(`href="${server.url}${path}"`);
    // Only the hash of the token is stored.
    const token = path.split("/").pop()!;
    const stored = await t.db.select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, userId));
    expect(stored).toHaveLength(1);
    expect(stored[0].tokenHash).not.toContain(token);

    const page = await server.client().get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Choose a new password");

    const mismatch = await server.client().post(path, { password: "a brand new secret 1", confirm: "different" });
    expect(mismatch.status).toBe(400);
    expect(await canSignIn(email, OLD)).toBe(true);

    const done = await server
      .client()
      .post(path, { password: "a brand new secret 1", confirm: "a brand new secret 1" });
    expect(done.status).toBe(302);
    expect(done.location).toBe("/login?reset=1");
    expect(await canSignIn(email, OLD)).toBe(false);
    expect(await canSignIn(email, "a brand new secret 1")).toBe(true);
    // Every session that existed before the reset is gone (canSignIn made new ones since).
    expect((await elsewhere.get("/account")).status).toBe(302);

    // Single use.
    expect((await server.client().get(path)).status).toBe(410);
    const again = await server
      .client()
      .post(path, { password: "yet another secret 2", confirm: "yet another secret 2" });
    expect(again.status).toBe(410);
    expect(await canSignIn(email, "a brand new secret 1")).toBe(true);

    // The owner hears about the change.
    const changed = (await mailsTo(email, 2)).find((m) => m.subject === "Your PinPoint password was changed");
    expect(changed?.text).toContain(`${server.url}/forgot-password`);
  });

  it("a link stops working after an hour (its expiry moved into the past) and changes nothing", async () => {
    const email = "player@dev.local";
    const before = smtp.accepted.filter((m) => m.to === email).length;
    await forgot(email);
    const mails = await mailsTo(email, before + 1);
    const path = resetPathIn(mails[mails.length - 1]);
    const userId = await userIdOf(t.db, email);
    await t.db
      .update(passwordResetTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(passwordResetTokens.userId, userId));
    expect((await server.client().get(path)).status).toBe(410);
    const res = await server.client().post(path, { password: "too late secret 3", confirm: "too late secret 3" });
    expect(res.status).toBe(410);
    expect(await canSignIn(email, OLD)).toBe(true);
    expect(await canSignIn(email, "too late secret 3")).toBe(false);
  });

  it("answers an unknown address exactly like a known one, and sends nothing", async () => {
    const known = await forgot("roger.sharpe@pinpoint.dev");
    const unknown = await forgot("nobody-here@example.com");
    expect(unknown.status).toBe(known.status);
    expect(unknown.location).toBe(known.location);
    expect(unknown.text).toBe(known.text);
    // Nothing is queued for the unknown address (queueing happens inside the request).
    const queued = await t.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, "nobody-here@example.com"));
    expect(queued).toHaveLength(0);
    const sentPage = await server.client().get("/forgot-password?sent=1");
    expect(sentPage.text).toContain("If an account exists for that address");
    // The worker delivers in order: once the known address's message is in, nothing else came.
    await mailsTo("roger.sharpe@pinpoint.dev", 1);
    expect(smtp.arrived.some((m) => m.to === "nobody-here@example.com")).toBe(false);
  });

  it("refuses a malformed link with 404 and a bad address with 400, writing nothing", async () => {
    expect((await server.client().get("/reset-password/not-a-token")).status).toBe(404);
    expect((await server.client().get(`/reset-password/${"A".repeat(43)}`)).status).toBe(404);
    const bad = await forgot("not an address");
    expect(bad.status).toBe(400);
    const queued = await t.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, "not an address"));
    expect(queued).toHaveLength(0);
  });

  it("limits requests per e-mail address (from any client) and per client address, with 429 and a message", async () => {
    for (let i = 0; i < 3; i++) expect((await forgot("someone@example.com")).status).toBe(302);
    const fourth = await forgot("someone@example.com");
    expect(fourth.status).toBe(429);
    expect(fourth.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(fourth.text).toContain("Too many password reset requests");

    const one = freshClient();
    for (let i = 0; i < 10; i++) expect((await forgot(`address-${i}@example.com`, one)).status).toBe(302);
    expect((await forgot("address-10@example.com", one)).status).toBe(429);
    // The account limit counts for real accounts too.
    resetRateLimits();
    for (let i = 0; i < 3; i++) await forgot("admin@beta.local");
    expect((await forgot("admin@beta.local")).status).toBe(429);
  });

  it("the sign-in page links to the form", async () => {
    const res = await server.client().get("/login");
    expect(res.text).toContain('href="/forgot-password"');
  });
});

describe("security notices", () => {
  it("changing the password on the account page e-mails the owner", async () => {
    const email = "admin@beta.local";
    const c = server.client({ org: "beta" });
    await c.login(email);
    const res = await c.post("/account", {
      intent: "password",
      current: OLD,
      password: "beta admin new secret",
      confirm: "beta admin new secret",
    });
    expect(res.status).toBe(200);
    const isChanged = (m: ReceivedMail) => m.to === email && m.subject === "Your PinPoint password was changed";
    const [changed] = (await smtp.waitFor((all) => all.some(isChanged))).filter(isChanged);
    expect(changed.text).toContain("every other device was signed out");
  });

  it("tells the owner once an hour when an account crosses its failed sign-in threshold", async () => {
    const email = "roger.sharpe@pinpoint.dev";
    const rows = () =>
      t.db
        .select()
        .from(mailOutbox)
        .where(and(eq(mailOutbox.kind, "sign_in_attempts"), eq(mailOutbox.toAddress, email)));
    // Failures from many addresses, so no address limit stops them before the account's threshold (10).
    for (let i = 0; i < 10; i++) {
      const c = freshClient();
      const res = await c.client.post("/login", { email, password: `wrong ${i}`, redirectTo: "/" }, c.headers);
      expect(res.status).toBe(400);
    }
    expect(await rows()).toHaveLength(1);
    const isNotice = (m: ReceivedMail) => m.to === email && m.subject.startsWith("Someone is trying");
    const [notice] = (await smtp.waitFor((all) => all.some(isNotice))).filter(isNotice);
    expect(notice.text).toContain("failed attempts to sign in");
    // The threshold crossed again within the hour (a new 15-minute window): no second message.
    await noticeSignInAttempts(t.db, email, 10, (p) => `${server.url}${p}`);
    expect(await rows()).toHaveLength(1);
  });
});
