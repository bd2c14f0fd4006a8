/**
 * Watchers over real HTTP on the seeded demo data: members watch an issue or a machine with the button on its page and
 * then get its notifications, in-app and by e-mail as their own settings say (right away: a message in the outbox;
 * daily digest: none now). Never for their own changes; nothing once they stop watching or leave the organization
 * (membership is checked when the notification is written). Visitors cannot watch, another organization's issues and
 * machines cannot be watched, and a refused request writes nothing.
 */
import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { issues, mailOutbox, memberships, notifications, users, watches } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf, signedIn, statusIdOf, userIdOf } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

let t: TestDb;
let server: TestServer;
let apc: string;
let admin: TestClient;
let member: TestClient;
let player: TestClient;
let betaAdmin: TestClient;
let issueId: string;
let machineId: string;
let memberId: string;
let playerId: string;
let adminId: string;
let nextStatus = 0;

/** Moves the issue to the next of two statuses as the admin (a status change is an event every time). */
async function changeStatus(): Promise<void> {
  const name = ["In Progress", "Needs Parts"][nextStatus++ % 2];
  const res = await admin.post(`/issues/${issueId}`, { intent: "status", statusId: await statusIdOf(t.db, apc, name) });
  expect(res.status).toBe(200);
}

async function notificationsOf(userId: string) {
  return t.db
    .select({ message: notifications.message, url: notifications.actionUrl })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.organizationId, apc)));
}

async function mailTo(email: string) {
  return t.db
    .select({ subject: mailOutbox.subject, kind: mailOutbox.kind })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.toAddress, email), eq(mailOutbox.kind, "notification")));
}

async function watchRows() {
  return t.db.select({ userId: watches.userId, issueId: watches.issueId, machineId: watches.machineId }).from(watches);
}

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  apc = await orgIdOf(t.db, "apc");
  server = await startTestServer(t.db);
  admin = await signedIn(server, "admin@dev.local");
  member = await signedIn(server, "member@dev.local");
  player = await signedIn(server, "player@dev.local");
  betaAdmin = await signedIn(server, "admin@beta.local", "beta");
  memberId = await userIdOf(t.db, "member@dev.local");
  playerId = await userIdOf(t.db, "player@dev.local");
  adminId = await userIdOf(t.db, "admin@dev.local");
  // An issue none of the three reported, is assigned or owns the machine of: only watching can bring its news.
  const [row] = await t.db
    .select({ id: issues.id, machineId: issues.machineId })
    .from(issues)
    .where(eq(issues.organizationId, apc))
    .limit(200);
  const candidates = await t.db.query.issues.findMany({
    where: (i, { eq: e }) => e(i.organizationId, apc),
    with: { machine: true },
  });
  const quiet = candidates.find(
    (i) =>
      ![memberId, playerId, adminId].includes(i.createdById ?? "") &&
      ![memberId, playerId, adminId].includes(i.assignedToId ?? "") &&
      ![memberId, playerId, adminId].includes(i.machine.ownerId ?? ""),
  );
  issueId = (quiet ?? row).id;
  machineId = (quiet ?? row).machineId;
  // The member wants e-mail right away, the player a daily digest.
  await t.db
    .update(users)
    .set({ emailNotificationsEnabled: true, notificationFrequency: "IMMEDIATE" })
    .where(eq(users.id, memberId));
  await t.db
    .update(users)
    .set({ emailNotificationsEnabled: true, notificationFrequency: "DAILY" })
    .where(eq(users.id, playerId));
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

describe("who may watch", () => {
  it("visitors, other organizations and bad values are refused and write nothing", async () => {
    const anonymous = server.client({ org: "apc" });
    const anon = await anonymous.post(`/issues/${issueId}`, { intent: "watch", watch: "on" });
    expect(anon.status).toBe(302);
    expect(anon.location).toMatch(/^\/login/);
    expect((await anonymous.post(`/machines/${machineId}`, { intent: "watch", watch: "on" })).location).toMatch(
      /^\/login/,
    );
    // beta's admin, on beta's host, with apc's ids: not found.
    expect((await betaAdmin.post(`/issues/${issueId}`, { intent: "watch", watch: "on" })).status).toBe(404);
    expect((await betaAdmin.post(`/machines/${machineId}`, { intent: "watch", watch: "on" })).status).toBe(404);
    // …and on apc's host they are no member.
    const onApc = server.client({ org: "apc" });
    await onApc.login("admin@beta.local");
    expect((await onApc.post(`/issues/${issueId}`, { intent: "watch", watch: "on" })).status).toBe(403);
    expect((await onApc.post(`/machines/${machineId}`, { intent: "watch", watch: "on" })).status).toBe(403);
    for (const watch of ["", "yes", "__proto__"]) {
      expect((await member.post(`/issues/${issueId}`, { intent: "watch", watch })).status).toBe(400);
      expect((await member.post(`/machines/${machineId}`, { intent: "watch", watch })).status).toBe(400);
    }
    expect(await watchRows()).toEqual([]);
  });
});

describe("watching", () => {
  it("the member watches the issue, the player its machine; the buttons say so", async () => {
    expect((await member.post(`/issues/${issueId}`, { intent: "watch", watch: "on" })).status).toBe(200);
    // Twice is once.
    expect((await member.post(`/issues/${issueId}`, { intent: "watch", watch: "on" })).status).toBe(200);
    expect((await player.post(`/machines/${machineId}`, { intent: "watch", watch: "on" })).status).toBe(302);
    expect((await admin.post(`/issues/${issueId}`, { intent: "watch", watch: "on" })).status).toBe(200);
    const rows = await watchRows();
    expect(rows).toHaveLength(3);
    expect(rows).toEqual(
      expect.arrayContaining([
        { userId: memberId, issueId, machineId: null },
        { userId: playerId, issueId: null, machineId },
        { userId: adminId, issueId, machineId: null },
      ]),
    );
    expect((await member.get(`/issues/${issueId}`)).text).toContain("Watching ✓");
    expect((await player.get(`/machines/${machineId}`)).text).toContain("Watching ✓");
    expect((await member.get(`/machines/${machineId}`)).text).not.toContain("Watching ✓");
  });

  it("a status change notifies both watchers in-app, e-mails the one who wants it right away, not the actor", async () => {
    await changeStatus();
    expect((await notificationsOf(memberId)).filter((n) => n.url === `/issues/${issueId}`)).toHaveLength(1);
    expect((await notificationsOf(playerId)).filter((n) => n.url === `/issues/${issueId}`)).toHaveLength(1);
    expect((await notificationsOf(adminId)).filter((n) => n.url === `/issues/${issueId}`)).toHaveLength(0);
    expect(await mailTo("member@dev.local")).toHaveLength(1);
    expect(await mailTo("player@dev.local")).toHaveLength(0);
  });

  it("a comment reaches the watchers too", async () => {
    const res = await admin.post(`/issues/${issueId}`, { intent: "comment", content: "Ordered a new coil" });
    expect(res.status).toBe(200);
    const msgs = (await notificationsOf(memberId)).map((n) => n.message);
    expect(msgs.some((m) => m.includes("commented"))).toBe(true);
    expect(await mailTo("member@dev.local")).toHaveLength(2);
  });

  it("a new issue on a watched machine reaches the machine's watcher", async () => {
    const before = (await notificationsOf(playerId)).length;
    const res = await server
      .client({ org: "apc" })
      .post(`/m/${machineId}`, { intent: "report", title: "Watcher test: right flipper weak" });
    expect(res.status).toBe(302);
    const after = await notificationsOf(playerId);
    expect(after).toHaveLength(before + 1);
    expect(after.some((n) => n.message.includes("Watcher test: right flipper weak"))).toBe(true);
    // The issue's watcher does not hear about other issues of the machine.
    const [created] = await t.db.select({ id: issues.id }).from(issues).where(like(issues.title, "Watcher test:%"));
    expect((await notificationsOf(memberId)).filter((n) => n.url === `/issues/${created.id}`)).toHaveLength(0);
  });

  it("after stopping, or after leaving the organization, nothing more arrives", async () => {
    expect((await member.post(`/issues/${issueId}`, { intent: "watch", watch: "off" })).status).toBe(200);
    expect(await watchRows()).not.toContainEqual({ userId: memberId, issueId, machineId: null });
    // The player leaves apc: their watch row stays, but they are no member any more.
    await t.db.delete(memberships).where(and(eq(memberships.userId, playerId), eq(memberships.organizationId, apc)));
    const memberBefore = (await notificationsOf(memberId)).length;
    const playerBefore = (await notificationsOf(playerId)).length;
    await changeStatus();
    expect(await notificationsOf(memberId)).toHaveLength(memberBefore);
    expect(await notificationsOf(playerId)).toHaveLength(playerBefore);
    expect(await mailTo("member@dev.local")).toHaveLength(2);
  });
});
