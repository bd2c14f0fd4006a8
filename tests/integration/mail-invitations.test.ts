/**
 * Invitations by e-mail end to end: the real server (production build) with its mail worker, a real SMTP server on
 * loopback (tests/helpers/smtp.ts), a real database. Inviting and making a new link send the link; withdrawing sends
 * nothing; the link that arrives joins the right organization once.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { invitations, mailOutbox } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf, roleIdOf, roleNameOfMember } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";
import { startTestSmtp, type ReceivedMail, type TestSmtp } from "../helpers/smtp";

let t: TestDb;
let smtp: TestSmtp;
let server: TestServer;
let admin: TestClient;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  smtp = await startTestSmtp();
  server = await startTestServer(t.db, { mail: { smtpUrl: smtp.url } });
  admin = server.client({ org: "apc" });
  await admin.login("admin@dev.local");
});

afterAll(async () => {
  await server?.close();
  await smtp?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

async function mailsTo(address: string, count: number): Promise<ReceivedMail[]> {
  await smtp.waitFor((all) => all.filter((m) => m.to === address).length >= count);
  return smtp.accepted.filter((m) => m.to === address);
}

function invitePathIn(mail: ReceivedMail): string {
  const match = /\/invite\/[A-Za-z0-9_-]{43}/.exec(mail.text);
  if (!match) throw new Error(`no invitation link in:\n${mail.text}`);
  return match[0];
}

async function createAccount(path: string, name: string) {
  return server
    .client({ org: "apc" })
    .post(path, { intent: "create-account", name, password: "joining secret 12", confirm: "joining secret 12" });
}

describe("invitations by e-mail", () => {
  it("mails the link to the invitee; it joins this organization once; a second use is refused", async () => {
    const email = "mailed.invitee@example.test";
    const res = await admin.post("/admin/members", {
      intent: "invite",
      email,
      roleId: await roleIdOf(t.db, "apc", "Member"),
    });
    expect(res.status).toBe(200);
    const [mail] = await mailsTo(email, 1);
    expect(mail.subject).toContain("Join ");
    const path = invitePathIn(mail);
    // The same link the admin was shown once.
    expect(res.text).toContain(path);
    expect(mail.html).toContain(`href="${server.url}${path}"`);
    // An organization message: its admins see it on /admin/outbox.
    const [row] = await t.db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.kind, "invitation"), eq(mailOutbox.toAddress, email)));
    expect(row.organizationId).toBe(await orgIdOf(t.db, "apc"));
    expect((await admin.get("/admin/outbox")).text).toContain(email);

    // Another organization does not know the link.
    expect((await server.client({ org: "beta" }).get(path)).status).toBe(404);
    const joined = await createAccount(path, "Mailed Invitee");
    expect(joined.status).toBe(302);
    expect(await roleNameOfMember(t.db, email, "apc")).toBe("Member");
    expect(await roleNameOfMember(t.db, email, "beta")).toBeNull();
    expect((await createAccount(path, "Second Use")).status).toBe(410);
    expect((await server.client({ org: "apc" }).get(path)).status).toBe(410);
  });

  it("a new link is mailed and works; the old one does not; withdrawing sends nothing", async () => {
    const email = "renewed.invitee@example.test";
    await admin.post("/admin/members", { intent: "invite", email, roleId: await roleIdOf(t.db, "apc", "Member") });
    const [first] = await mailsTo(email, 1);
    const oldPath = invitePathIn(first);
    const [invitation] = await t.db.select().from(invitations).where(eq(invitations.email, email));
    const renewed = await admin.post("/admin/members", { intent: "renew-link", invitationId: invitation.id });
    expect(renewed.status).toBe(200);
    const mails = await mailsTo(email, 2);
    const newPath = invitePathIn(mails[1]);
    expect(newPath).not.toBe(oldPath);
    expect(mails[1].text).toContain("no longer works");
    // The old token is no longer stored at all: not found.
    expect((await createAccount(oldPath, "Old Link")).status).toBe(404);
    expect((await createAccount(newPath, "Renewed Invitee")).status).toBe(302);
    expect(await roleNameOfMember(t.db, email, "apc")).toBe("Member");

    const withdrawn = "withdrawn.invitee@example.test";
    await admin.post("/admin/members", {
      intent: "invite",
      email: withdrawn,
      roleId: await roleIdOf(t.db, "apc", "Member"),
    });
    const [w] = await t.db.select().from(invitations).where(eq(invitations.email, withdrawn));
    expect((await admin.post("/admin/members", { intent: "revoke", invitationId: w.id })).status).toBe(200);
    const queued = await t.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, withdrawn));
    expect(queued).toHaveLength(1);
  });
});
