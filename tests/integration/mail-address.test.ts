/**
 * Proving e-mail addresses end to end: the real server (production build) with its mail worker, a real SMTP server on
 * loopback (tests/helpers/smtp.ts) whose messages are parsed with mailparser, a real database.
 * - Sign-up sends a single-use verification link (24 hours, only its hash stored); the account page sends a new one
 *   (rate limited). Unverified: no inviting, no accepting invitations to another address, no notification e-mails.
 * - An e-mail change is confirmed by a link sent to the new address, announced at the old one; taken or invalid
 *   addresses are refused.
 */
import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { VERIFY_FIRST } from "~/use-cases/email-verification.server";
import { queueDailyDigests } from "~/use-cases/notification-mail.server";
import { machines, mailOutbox, notifications, users, verificationTokens } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { membershipOf, orgIdOf, roleIdOf, userIdOf } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";
import { reportIssueAs } from "../helpers/issue-actors";
import { startTestSmtp, type ReceivedMail, type TestSmtp } from "../helpers/smtp";

const PASSPHRASE = "a long passphrase 42";
let t: TestDb;
let smtp: TestSmtp;
let server: TestServer;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  smtp = await startTestSmtp();
  server = await startTestServer(t.db, { mail: { smtpUrl: smtp.url } });
});

afterAll(async () => {
  await server?.close();
  await smtp?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

async function mailsTo(address: string, subject: string, count = 1): Promise<ReceivedMail[]> {
  const match = (m: ReceivedMail) => m.to === address && m.subject === subject;
  await smtp.waitFor((all) => all.filter(match).length >= count);
  return smtp.accepted.filter(match);
}

function linkIn(mail: ReceivedMail): string {
  const m = /\/verify-email\/([A-Za-z0-9_-]{43})/.exec(mail.text);
  if (!m) throw new Error(`no link in: ${mail.text}`);
  return `/verify-email/${m[1]}`;
}

const VERIFY_SUBJECT = "Confirm your e-mail address for PinPoint";

async function verifiedAt(email: string) {
  const [row] = await t.db.select({ v: users.emailVerified }).from(users).where(eq(users.email, email));
  return row?.v ?? null;
}

async function signUp(email: string): Promise<TestClient> {
  const c = server.client();
  const res = await c.post("/signup", { name: "New Person", email, password: PASSPHRASE, confirm: PASSPHRASE });
  expect(res.status).toBe(302);
  await c.login(email, PASSPHRASE);
  return c;
}

describe("e-mail verification at sign-up", () => {
  it("sends a single-use link that verifies the address with the button, not by opening it", async () => {
    const email = "verify-me@example.test";
    await signUp(email);
    expect(await verifiedAt(email)).toBeNull();
    const [mail] = await mailsTo(email, VERIFY_SUBJECT);
    const [row] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, "email_verification"));
    // An account message: no organization admin can read it on /admin/outbox.
    expect(row.organizationId).toBeNull();
    expect(mail.header("list-unsubscribe")).toBeUndefined();
    const path = linkIn(mail);
    // Only the hash is stored.
    const token = path.split("/").pop()!;
    const stored = await t.db.select().from(verificationTokens);
    expect(stored.some((s) => s.token === token)).toBe(false);
    expect(stored.some((s) => s.identifier.endsWith(`:${email}`))).toBe(true);

    const page = await server.client().get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Confirm my e-mail address");
    expect(await verifiedAt(email)).toBeNull();

    const done = await server.client().post(path, {});
    expect(done.status).toBe(302);
    expect(done.location).toBe("/login?confirmed=1");
    expect((await server.client().get(done.location!)).text).toContain("Your e-mail address is confirmed");
    expect(await verifiedAt(email)).not.toBeNull();

    // Single use.
    expect((await server.client().get(path)).status).toBe(410);
    expect((await server.client().post(path, {})).status).toBe(410);
  });

  it("an expired link (its time moved into the past) answers 410 and verifies nothing; unknown links 404", async () => {
    const email = "late@example.test";
    await signUp(email);
    const path = linkIn((await mailsTo(email, VERIFY_SUBJECT))[0]);
    await t.db
      .update(verificationTokens)
      .set({ expires: new Date(Date.now() - 1000) })
      .where(like(verificationTokens.identifier, `%:${email}`));
    expect((await server.client().post(path, {})).status).toBe(410);
    expect(await verifiedAt(email)).toBeNull();
    expect((await server.client().get(`/verify-email/${"A".repeat(43)}`)).status).toBe(404);
    expect((await server.client().get("/verify-email/short")).status).toBe(404);
  });

  it("the account page sends a new link (the old one stops working), at most 3 an hour", async () => {
    const email = "resend@example.test";
    const c = await signUp(email);
    const first = linkIn((await mailsTo(email, VERIFY_SUBJECT))[0]);
    const page = await c.get("/account");
    expect(page.text).toContain("not verified yet");
    expect(page.text).toContain("Send me a new link");
    const resent = await c.post("/account", { intent: "resend-verification" });
    expect(resent.status).toBe(200);
    expect(resent.text).toContain("We sent a new link");
    const mails = await mailsTo(email, VERIFY_SUBJECT, 2);
    const second = linkIn(mails[1]);
    expect(second).not.toBe(first);
    expect((await server.client().post(first, {})).status).toBe(410);
    expect((await c.post("/account", { intent: "resend-verification" })).status).toBe(200);
    expect((await c.post("/account", { intent: "resend-verification" })).status).toBe(200);
    const refused = await c.post("/account", { intent: "resend-verification" });
    expect(refused.status).toBe(429);
    expect(await t.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email))).toHaveLength(4);
    const last = await c.post(linkIn((await mailsTo(email, VERIFY_SUBJECT, 4))[3]), {});
    expect(last.location).toBe("/account?confirmed=1");
    expect((await c.get("/account")).text).toContain("(verified)");
  });

  it("seeded demo users and people who joined through an e-mailed invitation are verified", async () => {
    expect(await verifiedAt("member@dev.local")).not.toBeNull();
    const admin = server.client();
    await admin.login("admin@dev.local");
    const email = "invited-new@example.test";
    const res = await admin.post("/admin/members", {
      intent: "invite",
      email,
      roleId: await roleIdOf(t.db, "apc", "Member"),
    });
    expect(res.status).toBe(200);
    const token = /\/invite\/([A-Za-z0-9_-]{43})/.exec(res.text)![1];
    const joined = await server.client().post(`/invite/${token}`, {
      intent: "create-account",
      name: "Invited",
      password: PASSPHRASE,
      confirm: PASSPHRASE,
    });
    expect(joined.status).toBe(302);
    expect(await verifiedAt(email)).not.toBeNull();
  });
});

describe("what needs a verified address", () => {
  it("inviting: 403 with the message until the address is verified", async () => {
    const adminEmail = "admin@dev.local";
    await t.db.update(users).set({ emailVerified: null }).where(eq(users.email, adminEmail));
    const admin = server.client();
    await admin.login(adminEmail);
    const roleId = await roleIdOf(t.db, "apc", "Member");
    const refused = await admin.post("/admin/members", { intent: "invite", email: "nope@example.test", roleId });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("Verify your e-mail address first");
    expect(refused.text).toContain("/account");
    expect(VERIFY_FIRST).toContain("send a new link");
    const resent = await admin.post("/account", { intent: "resend-verification" });
    expect(resent.status).toBe(200);
    const path = linkIn((await mailsTo(adminEmail, VERIFY_SUBJECT))[0]);
    expect((await server.client().post(path, {})).status).toBe(302);
    expect((await admin.post("/admin/members", { intent: "invite", email: "nope@example.test", roleId })).status).toBe(
      200,
    );
  });

  it("accepting an invitation sent to another address: 403 until verified; one sent to their own address verifies it", async () => {
    const admin = server.client();
    await admin.login("admin@dev.local");
    const roleId = await roleIdOf(t.db, "apc", "Member");
    const tokenOf = async (email: string) => {
      const res = await admin.post("/admin/members", { intent: "invite", email, roleId });
      expect(res.status).toBe(200);
      return /\/invite\/([A-Za-z0-9_-]{43})/.exec(res.text)![1];
    };
    const other = await tokenOf("someone-else@example.test");
    const person = await signUp("joiner-unverified@example.test");
    const refused = await person.post(`/invite/${other}`, { intent: "accept" });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("Verify your e-mail address first");
    expect(await membershipOf(t.db, "joiner-unverified@example.test", "apc")).toBeNull();

    const own = await tokenOf("own-address@example.test");
    const owner = await signUp("own-address@example.test");
    expect(await verifiedAt("own-address@example.test")).toBeNull();
    expect((await owner.post(`/invite/${own}`, { intent: "accept" })).status).toBe(302);
    expect(await verifiedAt("own-address@example.test")).not.toBeNull();
    expect(await membershipOf(t.db, "own-address@example.test", "apc")).not.toBeNull();
  });

  it("notification e-mails (right away and the digest) go to verified addresses only; the in-app ones still arrive", async () => {
    const db = t.db;
    const apc = await orgIdOf(db, "apc");
    const gary = "gary.stern@pinpoint.dev";
    const garyId = await userIdOf(db, gary);
    const [m] = await db
      .select({ id: machines.id })
      .from(machines)
      .where(and(eq(machines.organizationId, apc), eq(machines.ownerId, garyId)))
      .limit(1);
    await db
      .update(machines)
      .set({ ownerNotificationsEnabled: true, notifyOnNewIssues: true })
      .where(eq(machines.id, m.id));
    const report = (title: string) =>
      reportIssueAs(db, {
        organizationId: apc,
        machineId: m.id,
        title,
        reporter: { name: "Player", email: null },
      });
    const queuedFor = async (title: string) =>
      db
        .select()
        .from(mailOutbox)
        .where(and(eq(mailOutbox.toAddress, gary), like(mailOutbox.textBody, `%${title}%`)));

    await db
      .update(users)
      .set({ emailVerified: null, emailNotificationsEnabled: true, notificationFrequency: "IMMEDIATE" })
      .where(eq(users.id, garyId));
    const quiet = await report("Unverified owner hears nothing by mail");
    expect(await queuedFor("Unverified owner hears nothing by mail")).toHaveLength(0);
    const inApp = await db.select().from(notifications).where(eq(notifications.entityId, quiet.id));
    expect(inApp.some((n) => n.userId === garyId)).toBe(true);

    await db.update(users).set({ notificationFrequency: "DAILY" }).where(eq(users.id, garyId));
    // As of tomorrow, "yesterday" in the organization's zone is today.
    const now = new Date(Date.now() + 24 * 3600 * 1000);
    const digests = () =>
      db
        .select()
        .from(mailOutbox)
        .where(and(eq(mailOutbox.toAddress, gary), eq(mailOutbox.kind, "notification_digest")));
    await queueDailyDigests(db, { now, linksFor: () => (p) => `${server.url}${p}` });
    expect(await digests()).toHaveLength(0);

    await db
      .update(users)
      .set({ emailVerified: new Date(), notificationFrequency: "IMMEDIATE" })
      .where(eq(users.id, garyId));
    await report("Verified owner hears by mail");
    expect(await queuedFor("Verified owner hears by mail")).toHaveLength(1);
  });
});

describe("changing the e-mail address", () => {
  const CONFIRM_SUBJECT = "Confirm your new e-mail address for PinPoint";
  const NOTICE_SUBJECT = "Your PinPoint e-mail address is about to change";

  async function canSignIn(email: string): Promise<boolean> {
    const res = await server.client().post("/login", { email, password: PASSPHRASE, redirectTo: "/" });
    return res.status === 302;
  }

  it("takes effect only through the link sent to the new address; the old address is told", async () => {
    const old = "mover@example.test";
    const fresh = "moved@example.test";
    const c = await signUp(old);
    const wrong = await c.post("/account", { intent: "email", email: fresh, current: "not my password" });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain("That is not your current password.");

    const asked = await c.post("/account", { intent: "email", email: fresh, current: PASSPHRASE });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain(`We sent a link to ${fresh}`);
    const [confirm] = await mailsTo(fresh, CONFIRM_SUBJECT);
    const [notice] = await mailsTo(old, NOTICE_SUBJECT);
    expect(notice.text).toContain(fresh);
    expect(notice.text).not.toContain("/verify-email/");
    const rows = await t.db.select().from(mailOutbox).where(like(mailOutbox.kind, "email_change%"));
    expect(rows.every((r) => r.organizationId === null)).toBe(true);

    // Nothing changed yet.
    expect(await canSignIn(old)).toBe(true);
    expect(await canSignIn(fresh)).toBe(false);

    const path = linkIn(confirm);
    const page = await server.client().get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain(fresh);
    const done = await c.post(path, {});
    expect(done.status).toBe(302);
    expect(done.location).toBe("/account?confirmed=1");
    expect(await canSignIn(fresh)).toBe(true);
    expect(await canSignIn(old)).toBe(false);
    expect(await verifiedAt(fresh)).not.toBeNull();
    expect((await c.get("/account")).text).toContain(fresh);
    expect((await server.client().post(path, {})).status).toBe(410);
  });

  it("refuses an address another account has (409), an invalid one (400) and the same one (400), sending nothing", async () => {
    const c = await signUp("stayer@example.test");
    const before = (await t.db.select().from(mailOutbox)).length;
    const taken = await c.post("/account", { intent: "email", email: "Member@Dev.Local", current: PASSPHRASE });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain("Another account already uses that e-mail address.");
    const invalid = await c.post("/account", { intent: "email", email: "not an address", current: PASSPHRASE });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain("Enter a valid email address");
    const same = await c.post("/account", { intent: "email", email: "stayer@example.test", current: PASSPHRASE });
    expect(same.status).toBe(400);
    expect((await t.db.select().from(mailOutbox)).length).toBe(before);
  });

  it("a confirming link for an address someone else took meanwhile changes nothing (409)", async () => {
    const c = await signUp("racer@example.test");
    expect(
      (await c.post("/account", { intent: "email", email: "contested@example.test", current: PASSPHRASE })).status,
    ).toBe(200);
    const path = linkIn((await mailsTo("contested@example.test", CONFIRM_SUBJECT))[0]);
    await signUp("contested@example.test");
    const res = await c.post(path, {});
    expect(res.status).toBe(409);
    expect(await canSignIn("racer@example.test")).toBe(true);
  });
});
