/**
 * The reporter's follow page (/follow/<token>) over real HTTP on a real database, with the real mail worker and a
 * real SMTP server, as a browser without JavaScript uses it: the machine, where it stands in plain words, the public
 * timeline (no comments, no full member names, no addresses), and "e-mail me when it's fixed", which subscribes the
 * address (told once when it is closed), refuses bad addresses and closed problems, and is rate limited for visitors.
 * A report merged into another follows that one: its state, and a subscription lands there.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RULES, resetRateLimits, scaledLimit } from "~/lib/rate-limit.server";
import { issues, issueSubscribers, machines } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf, signedIn, statusIdOf, visible } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";
import { startTestSmtp, type TestSmtp } from "../helpers/smtp";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

let t: TestDb;
let smtp: TestSmtp;
let server: TestServer;
let admin: TestClient;
let apc: string;
let machineId: string;
let machineName: string;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  smtp = await startTestSmtp();
  server = await startTestServer(t.db, { mail: { smtpUrl: smtp.url } });
  admin = await signedIn(server, "admin@dev.local");
  apc = await orgIdOf(t.db, "apc");
  const [m] = await t.db
    .select({ id: machines.id, name: machines.name })
    .from(machines)
    .where(eq(machines.organizationId, apc))
    .limit(1);
  machineId = m.id;
  machineName = m.name;
});

afterAll(async () => {
  await server?.close();
  await smtp?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

const textOf = (html: string) =>
  visible(html)
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ");

/** An anonymous report without an address: answers the issue id and its follow path. */
async function report(title: string): Promise<{ id: string; path: string }> {
  const res = await server
    .client({ org: "apc" })
    .post(`/m/${machineId}`, { intent: "report", title, website: "", confirmNew: "1" });
  expect(res.status).toBe(302);
  const path = res.location!.replace(/\?new=1$/, "");
  const token = decodeURIComponent(path.split("/").pop()!);
  const [issue] = await t.db.select({ id: issues.id }).from(issues).where(eq(issues.followToken, token));
  return { id: issue.id, path };
}

async function subscribersOf(issueId: string) {
  const rows = await t.db
    .select({ email: issueSubscribers.email })
    .from(issueSubscribers)
    .where(eq(issueSubscribers.issueId, issueId));
  return rows.map((r) => r.email).sort();
}

describe("the follow page", () => {
  it("shows the machine, plain words and public events only; e-mails the subscriber once when fixed", async () => {
    const { id, path } = await report("Follow: outlane post loose");
    await admin.post(`/issues/${id}`, { intent: "comment", content: "Private note: order part 03-8254." });
    await admin.post(`/issues/${id}`, { intent: "status", statusId: await statusIdOf(t.db, apc, "In Progress") });

    const visitor = server.client({ org: "apc" });
    const page = await visitor.get(path);
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain(machineName);
    expect(text).toContain("Someone is working on it (“In Progress”).");
    expect(text).toContain("Status changed to “In Progress” by Dev");
    expect(text).not.toContain("Private note");
    expect(text).not.toContain("Dev Admin");
    expect(text).not.toContain("admin@dev.local");
    expect(page.text).toContain('name="email"');
    expect(page.text).not.toMatch(/<script\b/);

    // A bad address: 400, nothing stored.
    const bad = await visitor.post(path, { email: "not-an-address" });
    expect(bad.status).toBe(400);
    expect(textOf(bad.text)).toContain("Enter a valid email address");
    expect(await subscribersOf(id)).toEqual([]);

    const ok = await visitor.post(path, { email: "Follower@Example.test" });
    expect(ok.status).toBe(200);
    expect(textOf(ok.text)).toContain("We will e-mail you once when it is fixed.");
    expect(ok.text).not.toContain("follower@example.test");
    expect(await subscribersOf(id)).toEqual(["follower@example.test"]);

    const fixed = await admin.post(`/issues/${id}`, {
      intent: "status",
      statusId: await statusIdOf(t.db, apc, "Fixed"),
    });
    expect(fixed.status).toBe(200);
    // The subscription's own confirmation (with its unsubscribe link), then exactly one "fixed" message.
    await smtp.waitFor((all) => all.some((m) => m.to === "follower@example.test" && m.subject.startsWith("Fixed:")));
    const mails = smtp.accepted.filter((m) => m.to === "follower@example.test");
    expect(mails.map((m) => m.subject).sort()).toEqual([
      "Fixed: Follow: outlane post loose",
      "We will tell you when it is fixed: Follow: outlane post loose",
    ]);

    // Closed: no form, and a late submit is refused.
    const closed = await visitor.get(path);
    expect(textOf(closed.text)).toContain("This problem is closed: “Fixed”.");
    expect(closed.text).not.toContain('name="email"');
    expect((await visitor.post(path, { email: "late@example.test" })).status).toBe(409);
    expect(await subscribersOf(id)).toEqual(["follower@example.test"]);
  });

  it("a merged report follows the issue it joined, without naming it", async () => {
    const a = await report("Follow: shooter rod sticks");
    const b = await report("Follow: plunger sticky");
    await admin.post(`/issues/${a.id}`, { intent: "status", statusId: await statusIdOf(t.db, apc, "In Progress") });
    expect((await admin.post(`/issues/${b.id}`, { intent: "merge", targetIssueId: a.id })).status).toBe(200);

    const visitor = server.client({ org: "apc" });
    const page = await visitor.get(b.path);
    const text = textOf(page.text);
    expect(text).toContain("Merged with another report of the same problem");
    expect(text).toMatch(/That report is in progress\s*\./);
    expect(text).toContain("Someone is working on it");
    expect(text).not.toContain("Follow: shooter rod sticks");
    expect(page.text).not.toContain(a.id);
    expect(page.text).not.toContain(a.path);

    expect((await visitor.post(b.path, { email: "merged.follower@example.test" })).status).toBe(200);
    expect(await subscribersOf(a.id)).toEqual(["merged.follower@example.test"]);
    expect(await subscribersOf(b.id)).toEqual([]);
  });

  it("visitors' subscriptions are rate limited per address; unknown links are 404", async () => {
    const { path } = await report("Follow: gate stuck open");
    const visitor = server.client({ org: "apc" });
    const limit = scaledLimit(RULES.upvotePerIp);
    for (let i = 0; i < limit; i++) {
      expect((await visitor.post(path, { email: `f${i}@example.test` })).status).toBe(200);
    }
    const refused = await visitor.post(path, { email: "one.more@example.test" });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    const [issue] = await t.db
      .select({ id: issues.id })
      .from(issues)
      .where(eq(issues.followToken, decodeURIComponent(path.split("/").pop()!)));
    expect(await subscribersOf(issue.id)).not.toContain("one.more@example.test");
    await resetRateLimits();
    expect((await visitor.post("/follow/unknown-token-123", { email: "x@example.test" })).status).toBe(404);
  });
});
