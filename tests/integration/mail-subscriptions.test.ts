/**
 * The reporter's loop by e-mail, end to end: the real server (production build) with its mail worker, a real SMTP
 * server on loopback (tests/helpers/smtp.ts), a real database. An anonymous reporter who leaves an address gets a
 * receipt with the follow link and exactly one "fixed" message (close, reopen, close again: still one); a "me too"
 * voter who leaves an address is told too; one-click unsubscribe (RFC 8058) works from another site with exactly
 * its body and stops the messages; no address appears on public pages.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { issues, issueStatuses, issueSubscribers, machines, mailOutbox } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";
import { startTestSmtp, type ReceivedMail, type TestSmtp } from "../helpers/smtp";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

let t: TestDb;
let smtp: TestSmtp;
let server: TestServer;
let admin: TestClient;
let machineId: string;
let closedStatusId: string;
let openStatusId: string;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  smtp = await startTestSmtp();
  server = await startTestServer(t.db, { mail: { smtpUrl: smtp.url } });
  admin = server.client({ org: "apc" });
  await admin.login("admin@dev.local");
  const apc = await orgIdOf(t.db, "apc");
  const [m] = await t.db.select({ id: machines.id }).from(machines).where(eq(machines.organizationId, apc)).limit(1);
  machineId = m.id;
  const statuses = await t.db.select().from(issueStatuses).where(eq(issueStatuses.organizationId, apc));
  closedStatusId = statuses.find((s) => s.category === "RESOLVED")!.id;
  openStatusId = statuses.find((s) => s.category === "NEW")!.id;
});

afterAll(async () => {
  await server?.close();
  await smtp?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

const visitor = () => server.client({ org: "apc" });

async function mailsTo(address: string, count: number): Promise<ReceivedMail[]> {
  await smtp.waitFor((all) => all.filter((m) => m.to === address).length >= count);
  return smtp.accepted.filter((m) => m.to === address);
}

/** Reports a problem anonymously with an address; answers the issue id and the follow path. */
async function report(title: string, email: string): Promise<{ issueId: string; followPath: string }> {
  const res = await visitor().post(`/m/${machineId}`, { intent: "report", title, website: "", email });
  expect(res.status).toBe(302);
  const followPath = res.location!.replace(/\?new=1$/, "");
  const token = decodeURIComponent(followPath.split("/").pop()!);
  const [issue] = await t.db.select({ id: issues.id }).from(issues).where(eq(issues.followToken, token));
  return { issueId: issue.id, followPath };
}

async function setStatus(issueId: string, statusId: string) {
  const res = await admin.post(`/issues/${issueId}`, { intent: "status", statusId });
  expect(res.status).toBe(200);
}

async function queuedTo(address: string, kind: string) {
  return t.db
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.toAddress, address), eq(mailOutbox.kind, kind)));
}

function unsubscribePathIn(mail: ReceivedMail): string {
  const header = mail.header("list-unsubscribe") ?? "";
  const match = /<[^>]*(\/unsubscribe\/[A-Za-z0-9_-]{43})>/.exec(header);
  if (!match) throw new Error(`no List-Unsubscribe in ${mail.raw.slice(0, 500)}`);
  return match[1];
}

describe("the reporter's loop", () => {
  it("receipt with the follow link; one 'fixed' message to the reporter and a me-too subscriber, however often it is closed", async () => {
    const reporter = "loop.reporter@example.test";
    const voter = "loop.voter@example.test";
    const { issueId, followPath } = await report("Loop: left ramp rejects", reporter);

    const [receipt] = await mailsTo(reporter, 1);
    expect(receipt.text).toContain(`${server.url}${followPath}`);
    expect(receipt.header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    // The body shows the same unsubscribe link as the header.
    expect(receipt.text).toContain(`${server.url}${unsubscribePathIn(receipt)}`);

    const voted = await visitor().post(`/m/${machineId}`, { intent: "metoo", issueId, email: voter });
    expect(voted.status).toBe(302);

    await setStatus(issueId, closedStatusId);
    await setStatus(issueId, openStatusId);
    await setStatus(issueId, closedStatusId);
    // Queued in the transactions that closed it: exactly one each, whatever the worker does next.
    expect(await queuedTo(reporter, "issue_closed")).toHaveLength(1);
    expect(await queuedTo(voter, "issue_closed")).toHaveLength(1);

    const toReporter = await mailsTo(reporter, 2);
    // The voter: the short "we will tell you" message, then the one "fixed" message.
    const [voterReceipt, toVoter] = await mailsTo(voter, 2);
    expect(voterReceipt.subject).toBe("We will tell you when it is fixed: Loop: left ramp rejects");
    const statusName = (await t.db.select().from(issueStatuses).where(eq(issueStatuses.id, closedStatusId)))[0].name;
    for (const fixed of [toReporter[1], toVoter]) {
      expect(fixed.subject).toBe("Fixed: Loop: left ramp rejects");
      expect(fixed.text).toContain(`“${statusName}”`);
      expect(fixed.header("list-unsubscribe")).toContain("/unsubscribe/");
    }
    // Only the reporter gets the follow link (it is their report's capability).
    expect(toReporter[1].text).toContain(followPath);
    expect(toVoter.text).not.toContain("/follow/");
    expect(smtp.accepted.filter((m) => m.to === reporter)).toHaveLength(2);
    expect(smtp.accepted.filter((m) => m.to === voter)).toHaveLength(2);

    // No address on the public pages.
    for (const path of [followPath, `/m/${machineId}`, unsubscribePathIn(toVoter)]) {
      const page = await visitor().get(path);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain(reporter);
      expect(page.text).not.toContain(voter);
    }
  });

  it("one-click unsubscribe works from another site with exactly its body; nothing more is sent", async () => {
    const reporter = "loop.leaver@example.test";
    const { issueId } = await report("Loop: shooter lane dead", reporter);
    const [receipt] = await mailsTo(reporter, 1);
    const path = unsubscribePathIn(receipt);
    const mailClient = { Origin: "https://mail.example.net" };

    // The confirm page changes nothing; another body from another site is refused.
    const page = await visitor().get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Stop these e-mails");
    expect((await visitor().post(path, { intent: "anything" }, mailClient)).status).toBe(403);
    // The exemption is exactly this path: other pages still refuse cross-site posts.
    expect((await visitor().post(`/m/${machineId}`, { "List-Unsubscribe": "One-Click" }, mailClient)).status).toBe(403);
    const [before] = await t.db.select().from(issueSubscribers).where(eq(issueSubscribers.email, reporter));
    expect(before.unsubscribedAt).toBeNull();

    const oneClick = await visitor().post(path, { "List-Unsubscribe": "One-Click" }, mailClient);
    expect(oneClick.status).toBe(200);
    const [after] = await t.db.select().from(issueSubscribers).where(eq(issueSubscribers.email, reporter));
    expect(after.unsubscribedAt).not.toBeNull();
    expect((await visitor().get(path)).text).toContain("no e-mails about this problem any more");

    await setStatus(issueId, closedStatusId);
    expect(await queuedTo(reporter, "issue_closed")).toHaveLength(0);
  });

  it("a me-too voter who left an address gets one short message with a one-click unsubscribe that works", async () => {
    const voter = "loop.voter-leaver@example.test";
    const { issueId } = await report("Loop: spinner stuck", "loop.someone@example.test");
    expect((await visitor().post(`/m/${machineId}`, { intent: "metoo", issueId, email: voter })).status).toBe(302);
    // Voting again with the same address sends nothing more.
    expect((await visitor().post(`/m/${machineId}`, { intent: "metoo", issueId, email: voter })).status).toBe(302);
    const [receipt] = await mailsTo(voter, 1);
    expect(receipt.subject).toBe("We will tell you when it is fixed: Loop: spinner stuck");
    expect(receipt.header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    const path = unsubscribePathIn(receipt);
    expect(receipt.text).toContain(`${server.url}${path}`);
    expect(receipt.text).not.toContain("/follow/");
    expect(await queuedTo(voter, "me_too_receipt")).toHaveLength(1);

    const oneClick = await visitor().post(
      path,
      { "List-Unsubscribe": "One-Click" },
      { Origin: "https://mail.example.net" },
    );
    expect(oneClick.status).toBe(200);
    const [sub] = await t.db.select().from(issueSubscribers).where(eq(issueSubscribers.email, voter));
    expect(sub.unsubscribedAt).not.toBeNull();
    await setStatus(issueId, closedStatusId);
    expect(await queuedTo(voter, "issue_closed")).toHaveLength(0);
    expect(await queuedTo("loop.someone@example.test", "issue_closed")).toHaveLength(1);
  });
});

describe("the admin's outbox page", () => {
  it("shows the messages' text and follow links but never a recipient's unsubscribe link or token", async () => {
    const voter = "outbox.voter@example.test";
    const { issueId } = await report("Outbox: drop target sticks", "outbox.reporter@example.test");
    expect((await visitor().post(`/m/${machineId}`, { intent: "metoo", issueId, email: voter })).status).toBe(302);
    const tokens = (await t.db.select().from(issueSubscribers).where(eq(issueSubscribers.issueId, issueId))).map(
      (s) => s.token,
    );
    expect(tokens).toHaveLength(2);
    const page = await admin.get("/admin/outbox");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Outbox: drop target sticks");
    expect(page.text).toContain("/follow/");
    expect(page.text).toContain("only in the recipient");
    expect(page.text).not.toContain("/unsubscribe/");
    for (const token of tokens) expect(page.text).not.toContain(token);
  });
});
