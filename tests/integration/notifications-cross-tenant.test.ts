/**
 * Notifications belong to an organization. A person who is a member of apc and beta gets notifications in both;
 * under apc, /notifications lists only apc's, the header's unread badge counts only apc's, "mark all as read" leaves
 * beta's unread, and a beta notification id sent to apc's page is not found and stays unread. Everything goes through
 * real HTTP: the notifications are written by real assignments in each organization.
 */
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import type { Db } from "../../db/client.server";
import { issues, memberships, notifications } from "../../db/schema";
import { addMember, createUser, seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf, roleIdOf, signedIn } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

const BOTH = "both.orgs@example.test";

let t: TestDb;
let db: Db;
let server: TestServer;
let bothId: string;
let apc: string;
let beta: string;
/** The person who is a member of both, on apc's and on beta's host. */
let inApc: TestClient;
let inBeta: TestClient;
let apcIssues: string[];
let betaIssue: string;

/** The person's notifications about an issue (the assignments below write exactly one each). */
async function notificationAbout(issueId: string) {
  const rows = await db
    .select({ id: notifications.id, read: notifications.read })
    .from(notifications)
    .where(and(eq(notifications.userId, bothId), eq(notifications.actionUrl, `/issues/${issueId}`)));
  expect(rows, `one notification about ${issueId}`).toHaveLength(1);
  return rows[0];
}

/** The header badge's count, as the shell renders it on every page. */
function badge(html: string): number {
  const m = /aria-label="Notifications, (\d+) unread"/.exec(html);
  if (!m) throw new Error("no notification badge on the page");
  return Number(m[1]);
}

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await seedDatabase(db, { demo: true });
  apc = await orgIdOf(db, "apc");
  beta = await orgIdOf(db, "beta");
  const both = await createUser(db, { email: BOTH, name: "Both Orgs", password: "dev-login-123" });
  bothId = both.id;
  await addMember(db, { userId: bothId, organizationId: apc, roleId: await roleIdOf(db, "apc", "Member") });
  await addMember(db, { userId: bothId, organizationId: beta, roleId: await roleIdOf(db, "beta", "Member") });

  apcIssues = (
    await db
      .select({ id: issues.id })
      .from(issues)
      .where(eq(issues.organizationId, apc))
      .orderBy(asc(issues.id))
      .limit(2)
  ).map((r) => r.id);
  const [b] = await db.select({ id: issues.id }).from(issues).where(eq(issues.organizationId, beta)).limit(1);
  betaIssue = b.id;

  server = await startTestServer(db);
  const apcAdmin = await signedIn(server, "admin@dev.local", "apc");
  const betaAdmin = await signedIn(server, "admin@beta.local", "beta");
  inApc = await signedIn(server, BOTH, "apc");
  inBeta = await signedIn(server, BOTH, "beta");

  // Real assignments in each organization notify the new assignee: two in apc, one in beta.
  for (const id of apcIssues) {
    expect((await apcAdmin.post(`/issues/${id}`, { intent: "assign", assigneeId: bothId })).status).toBe(200);
  }
  expect((await betaAdmin.post(`/issues/${betaIssue}`, { intent: "assign", assigneeId: bothId })).status).toBe(200);
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

describe("a member of two organizations", () => {
  it("gets notifications in both, each stored with the organization of its issue", async () => {
    const rows = await db
      .select({ actionUrl: notifications.actionUrl, organizationId: notifications.organizationId })
      .from(notifications)
      .where(eq(notifications.userId, bothId));
    expect(rows).toHaveLength(3);
    for (const id of apcIssues) expect(rows).toContainEqual({ actionUrl: `/issues/${id}`, organizationId: apc });
    expect(rows).toContainEqual({ actionUrl: `/issues/${betaIssue}`, organizationId: beta });
  });

  it("sees and counts only the current organization's notifications", async () => {
    const betaNote = await notificationAbout(betaIssue);
    const page = await inApc.get("/notifications");
    expect(page.status).toBe(200);
    for (const id of apcIssues) expect(page.text).toContain((await notificationAbout(id)).id);
    expect(page.text).not.toContain(betaNote.id);
    expect(badge(page.text)).toBe(2);
    expect(badge((await inApc.get("/issues")).text)).toBe(2);

    const betaPage = await inBeta.get("/notifications");
    expect(betaPage.text).toContain(betaNote.id);
    for (const id of apcIssues) expect(betaPage.text).not.toContain((await notificationAbout(id)).id);
    expect(badge(betaPage.text)).toBe(1);
  });

  it("cannot mark or open the other organization's notification by its id", async () => {
    const betaNote = await notificationAbout(betaIssue);
    expect((await inApc.post("/notifications", { intent: "read", notificationId: betaNote.id })).status).toBe(404);
    const open = await inApc.post("/notifications", { intent: "open", notificationId: betaNote.id });
    expect(open.status).toBe(404);
    expect(open.location).toBeNull();
    expect((await notificationAbout(betaIssue)).read).toBe(false);
  });

  it("marks all read in one organization and leaves the other's unread", async () => {
    expect((await inApc.post("/notifications", { intent: "read-all" })).status).toBe(200);
    for (const id of apcIssues) expect((await notificationAbout(id)).read).toBe(true);
    expect((await notificationAbout(betaIssue)).read).toBe(false);
    expect(badge((await inApc.get("/notifications")).text)).toBe(0);
    expect(badge((await inBeta.get("/notifications")).text)).toBe(1);
  });

  it("no longer sees an organization's notifications once they have left it", async () => {
    await db.delete(memberships).where(and(eq(memberships.userId, bothId), eq(memberships.organizationId, beta)));
    const page = await inBeta.get("/notifications");
    expect(page.status).toBe(403);
    expect(page.text).not.toContain((await notificationAbout(betaIssue)).id);
    expect((await inBeta.post("/notifications", { intent: "read-all" })).status).toBe(403);
    expect((await notificationAbout(betaIssue)).read).toBe(false);
    expect(badge((await inApc.get("/notifications")).text)).toBe(0);
  });
});
