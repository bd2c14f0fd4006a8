/**
 * Notifications: who is told about what (owner per machine toggles, member reporter, assignee; never the actor, never
 * non-members, never twice), written in the same transaction as the change; and the /notifications page (own rows
 * only, newest first, unread count and filter, mark one / all read, open, pagination, settings, owner toggles).
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import type { Db } from "../../db/client.server";
import { reportIssueAs } from "../helpers/issue-actors";
import { notifyIssueCreated } from "../../db/queries/notifications.server";
import { machines, memberships, notifications, users } from "../../db/schema";
import { addMember, createUser, seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf, roleIdOf, statusIdOf, userIdOf } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

let t: TestDb;
let db: Db;
let server: TestServer;
let apc: string;
let admin: TestClient;
let member: TestClient;
let gary: TestClient;
let player: TestClient;
let ids: Record<"admin" | "member" | "gary" | "player", string>;
let garyMachine: string;

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await seedDatabase(db, { demo: true });
  apc = await orgIdOf(db, "apc");
  ids = {
    admin: await userIdOf(db, "admin@dev.local"),
    member: await userIdOf(db, "member@dev.local"),
    gary: await userIdOf(db, "gary.stern@pinpoint.dev"),
    player: await userIdOf(db, "player@dev.local"),
  };
  const [m] = await db
    .select({ id: machines.id })
    .from(machines)
    .where(and(eq(machines.organizationId, apc), eq(machines.ownerId, ids.gary)))
    .limit(1);
  garyMachine = m.id;
  // Start from a clean feed (the demo seed writes no notifications, but be explicit).
  await db.delete(notifications);
  server = await startTestServer(db);
  admin = server.client();
  member = server.client();
  gary = server.client();
  player = server.client();
  await admin.login("admin@dev.local");
  await member.login("member@dev.local");
  await gary.login("gary.stern@pinpoint.dev");
  await player.login("player@dev.local");
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

beforeEach(async () => {
  await resetRateLimits();
  await db
    .update(machines)
    .set({
      ownerNotificationsEnabled: true,
      notifyOnNewIssues: true,
      notifyOnStatusChanges: true,
      notifyOnComments: false,
    })
    .where(eq(machines.id, garyMachine));
});

let n = 0;
async function issueOnGarysMachine(reporter: { userId: string } | { name?: string } = { userId: ids.member }) {
  n += 1;
  const { id } = await reportIssueAs(db, {
    organizationId: apc,
    machineId: garyMachine,
    title: `Notify test ${n}`,
    reporter,
  });
  await db.delete(notifications).where(eq(notifications.entityId, id));
  return id;
}

const statusId = (name: string) => statusIdOf(db, apc, name);

/** Recipients of notifications about an issue (entity = issue or one of its comments), as user keys. */
async function recipients(issueId: string, type?: string) {
  const rows = await db
    .select({ userId: notifications.userId, type: notifications.type, actionUrl: notifications.actionUrl })
    .from(notifications)
    .where(eq(notifications.actionUrl, `/issues/${issueId}`));
  const byId = new Map(Object.entries(ids).map(([k, v]) => [v, k]));
  return rows
    .filter((r) => !type || r.type === type)
    .map((r) => byId.get(r.userId) ?? r.userId)
    .sort();
}

describe("who is notified", () => {
  it("status change: the machine owner and the member reporter, not the actor", async () => {
    const id = await issueOnGarysMachine();
    expect(
      (await admin.post(`/issues/${id}`, { intent: "status", statusId: await statusId("In Progress") })).status,
    ).toBe(200);
    expect(await recipients(id, "ISSUE_UPDATED")).toEqual(["gary", "member"]);
    const [msg] = await db
      .select({ message: notifications.message })
      .from(notifications)
      .where(and(eq(notifications.userId, ids.gary), eq(notifications.actionUrl, `/issues/${id}`)));
    expect(msg.message).toContain("New → In Progress");
  });

  it("respects the owner's master and status toggles", async () => {
    const id = await issueOnGarysMachine();
    await db.update(machines).set({ notifyOnStatusChanges: false }).where(eq(machines.id, garyMachine));
    await admin.post(`/issues/${id}`, { intent: "status", statusId: await statusId("In Progress") });
    expect(await recipients(id)).toEqual(["member"]);
    await db
      .update(machines)
      .set({ notifyOnStatusChanges: true, ownerNotificationsEnabled: false })
      .where(eq(machines.id, garyMachine));
    await admin.post(`/issues/${id}`, { intent: "status", statusId: await statusId("Fixed") });
    expect(await recipients(id)).toEqual(["member", "member"]);
  });

  it("never notifies the actor: the owner changing status hears nothing, the reporter does", async () => {
    const id = await issueOnGarysMachine();
    await gary.post(`/issues/${id}`, { intent: "status", statusId: await statusId("Needs Parts") });
    expect(await recipients(id)).toEqual(["member"]);
    const own = await issueOnGarysMachine({ userId: ids.gary });
    await gary.post(`/issues/${own}`, { intent: "status", statusId: await statusId("Needs Parts") });
    expect(await recipients(own)).toEqual([]);
  });

  it("anonymous reports have no reporter to notify", async () => {
    const id = await issueOnGarysMachine({ name: "Guest" });
    await admin.post(`/issues/${id}`, { intent: "status", statusId: await statusId("In Progress") });
    expect(await recipients(id)).toEqual(["gary"]);
  });

  it("assignment: the new assignee, not when assigning yourself", async () => {
    const id = await issueOnGarysMachine();
    await admin.post(`/issues/${id}`, { intent: "assign", assigneeId: ids.member });
    expect(await recipients(id, "ISSUE_ASSIGNED")).toEqual(["member"]);
    await player.post(`/issues/${id}`, { intent: "assign", assigneeId: "me" });
    expect(await recipients(id, "ISSUE_ASSIGNED")).toEqual(["member"]);
    await member.post(`/issues/${id}`, { intent: "assign", assigneeId: ids.admin });
    expect(await recipients(id, "ISSUE_ASSIGNED")).toEqual(["admin", "member"]);
    await member.post(`/issues/${id}`, { intent: "assign", assigneeId: "unassign" });
    expect(await recipients(id, "ISSUE_ASSIGNED")).toEqual(["admin", "member"]);
  });

  it("comments: assignee and reporter; the owner only with notifyOnComments; never the author", async () => {
    const id = await issueOnGarysMachine();
    await admin.post(`/issues/${id}`, { intent: "assign", assigneeId: ids.player });
    await db.delete(notifications).where(eq(notifications.actionUrl, `/issues/${id}`));
    await admin.post(`/issues/${id}`, { intent: "comment", content: "Ordered a new coil." });
    expect(await recipients(id, "ISSUE_COMMENTED")).toEqual(["member", "player"]);
    await db.update(machines).set({ notifyOnComments: true }).where(eq(machines.id, garyMachine));
    await db.delete(notifications).where(eq(notifications.actionUrl, `/issues/${id}`));
    await member.post(`/issues/${id}`, { intent: "comment", content: "Thanks!" });
    expect(await recipients(id, "ISSUE_COMMENTED")).toEqual(["gary", "player"]);
    const [row] = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, ids.player), eq(notifications.actionUrl, `/issues/${id}`)));
    expect(row).toMatchObject({ entityType: "COMMENT", read: false });
    expect(row.message).toContain("Dev Member commented");
  });

  it("never notifies people who are no longer members", async () => {
    const leaver = await createUser(db, { email: "leaver@example.test", name: "Leaver" });
    await addMember(db, { userId: leaver.id, organizationId: apc, roleId: await roleIdOf(db, "apc", "Member") });
    const id = await issueOnGarysMachine({ userId: leaver.id });
    await db.delete(memberships).where(and(eq(memberships.userId, leaver.id), eq(memberships.organizationId, apc)));
    await admin.post(`/issues/${id}`, { intent: "status", statusId: await statusId("In Progress") });
    expect(await recipients(id)).toEqual(["gary"]);
    expect(await db.select().from(notifications).where(eq(notifications.userId, leaver.id))).toHaveLength(0);
  });

  it("new issues: the owner, unless they reported it themselves", async () => {
    const res = await member.post("/issues/new", { machineId: garyMachine, title: "Reported by a member" });
    expect(res.status).toBe(302);
    const id = res.location!.replace("/issues/", "");
    expect(await recipients(id, "ISSUE_CREATED")).toEqual(["gary"]);
    const own = await issueOnGarysMachine({ userId: ids.gary });
    expect(await notifyIssueCreated(db, { organizationId: apc, issueId: own, actorId: ids.gary })).toEqual([]);
    expect(await notifyIssueCreated(db, { organizationId: apc, issueId: own, actorId: null })).toEqual([ids.gary]);
  });

  it("writes nothing when the change is refused", async () => {
    const id = await issueOnGarysMachine();
    await admin.post(`/issues/${id}`, { intent: "assign", assigneeId: "not-a-member" });
    await admin.post(`/issues/${id}`, { intent: "comment", content: "" });
    await admin.post(`/issues/${id}`, { intent: "status", statusId: "nope" });
    expect(await recipients(id)).toEqual([]);
  });
});

describe("/notifications", () => {
  async function seedFeed(userId: string, count: number, prefix: string) {
    const base = Date.parse("2030-01-01T00:00:00.000Z");
    await db.insert(notifications).values(
      Array.from({ length: count }, (_, i) => ({
        userId,
        organizationId: apc,
        type: "ISSUE_UPDATED" as const,
        message: `${prefix} ${String(i).padStart(2, "0")}`,
        actionUrl: "/issues",
        createdAt: new Date(base + i * 60_000),
      })),
    );
  }

  it("shows only the caller's notifications, newest first, with the unread count", async () => {
    await seedFeed(ids.player, 3, "Player note");
    await seedFeed(ids.gary, 1, "Gary private note");
    const res = await player.get("/notifications");
    expect(res.status).toBe(200);
    expect(res.text).not.toContain("Gary private note");
    const i2 = res.text.indexOf("Player note 02");
    const i0 = res.text.indexOf("Player note 00");
    expect(i2).toBeGreaterThan(-1);
    expect(i2).toBeLessThan(i0);
    expect(res.text).toMatch(/\d+ unread/);
    const anon = await server.client().get("/notifications");
    expect(anon.status).toBe(302);
  });

  it("marks one read (own only), opens one, and marks all read", async () => {
    const [garyNote] = await db.select().from(notifications).where(eq(notifications.userId, ids.gary)).limit(1);
    const res = await player.post("/notifications", { intent: "read", notificationId: garyNote.id });
    expect(res.status).toBe(404);
    expect((await db.select().from(notifications).where(eq(notifications.id, garyNote.id)))[0].read).toBe(false);
    expect((await player.post("/notifications", { intent: "read", notificationId: "" })).status).toBe(400);

    const mine = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, ids.player), eq(notifications.read, false)))
      .orderBy(desc(notifications.createdAt));
    expect((await player.post("/notifications", { intent: "read", notificationId: mine[0].id })).status).toBe(200);
    expect((await db.select().from(notifications).where(eq(notifications.id, mine[0].id)))[0].read).toBe(true);

    const open = await player.post("/notifications", { intent: "open", notificationId: mine[1].id });
    expect(open.status).toBe(302);
    expect(open.location).toBe("/issues");
    const [evil] = await db
      .insert(notifications)
      .values({
        userId: ids.player,
        organizationId: apc,
        type: "SYSTEM_ANNOUNCEMENT",
        message: "evil",
        actionUrl: "//evil.example/x",
      })
      .returning({ id: notifications.id });
    expect((await player.post("/notifications", { intent: "open", notificationId: evil.id })).status).toBe(200);

    expect((await player.post("/notifications", { intent: "read-all" })).status).toBe(200);
    expect(
      await db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, ids.player), eq(notifications.read, false))),
    ).toHaveLength(0);
    expect((await db.select().from(notifications).where(eq(notifications.id, garyNote.id)))[0].read).toBe(false);
    expect((await player.post("/notifications", { intent: "bogus" })).status).toBe(400);
  });

  it("pages through a long feed and filters unread", async () => {
    await db.delete(notifications).where(eq(notifications.userId, ids.player));
    await seedFeed(ids.player, 25, "Feed item");
    const first = await player.get("/notifications");
    const count1 = (first.text.match(/>Feed item \d\d</g) ?? []).length;
    expect(count1).toBe(20);
    expect(first.text).toContain("Feed item 24");
    expect(first.text).toContain("Older");
    const second = await player.get("/notifications?page=2");
    expect((second.text.match(/>Feed item \d\d</g) ?? []).length).toBe(5);
    expect(second.text).toContain("Feed item 00");
    expect((await player.get("/notifications?page=abc")).status).toBe(200);
    await db.update(notifications).set({ read: true }).where(eq(notifications.userId, ids.player));
    const unread = await player.get("/notifications?unread=1");
    expect(unread.text).toContain("You are all caught up.");
  });

  it("saves the user's settings and validates them", async () => {
    const all = (choice: string) => ({
      "email:ISSUE_ASSIGNED": choice,
      "email:ISSUE_COMMENTED": choice,
      "email:ISSUE_UPDATED": choice,
      "email:ISSUE_CREATED": choice,
      "email:MACHINE_MAINTENANCE": choice,
    });
    expect((await player.post("/notifications", { intent: "settings", ...all("DAILY") })).status).toBe(200);
    let [u] = await db.select().from(users).where(eq(users.id, ids.player));
    expect(u.emailNotificationsEnabled).toBe(false);
    expect(u.emailFrequencyByKind).toEqual({
      ISSUE_ASSIGNED: "DAILY",
      ISSUE_COMMENTED: "DAILY",
      ISSUE_UPDATED: "DAILY",
      ISSUE_CREATED: "DAILY",
      MACHINE_MAINTENANCE: "DAILY",
    });
    expect(
      (
        await player.post("/notifications", {
          intent: "settings",
          emailNotificationsEnabled: "on",
          ...all("HOURLY"),
        })
      ).status,
    ).toBe(400);
    [u] = await db.select().from(users).where(eq(users.id, ids.player));
    expect(u.emailNotificationsEnabled).toBe(false);
    await player.post("/notifications", {
      intent: "settings",
      emailNotificationsEnabled: "on",
      ...all("OFF"),
      "email:ISSUE_ASSIGNED": "IMMEDIATE",
    });
    [u] = await db.select().from(users).where(eq(users.id, ids.player));
    expect(u.emailNotificationsEnabled).toBe(true);
    expect(u.emailFrequencyByKind).toMatchObject({ ISSUE_ASSIGNED: "IMMEDIATE", ISSUE_CREATED: "OFF" });
  });

  it("lets owners set the toggles of their own machines only", async () => {
    const garys = await db
      .select({ id: machines.id })
      .from(machines)
      .where(and(eq(machines.organizationId, apc), eq(machines.ownerId, ids.gary)));
    const page = await gary.get("/notifications");
    expect(page.text).toContain("Machines you own");
    const form: Record<string, string> = { intent: "machines" };
    for (const m of garys) {
      form[`ownerNotificationsEnabled:${m.id}`] = "on";
      form[`notifyOnComments:${m.id}`] = "on";
    }
    expect((await gary.post("/notifications", form)).status).toBe(200);
    const rows = await db
      .select()
      .from(machines)
      .where(
        inArray(
          machines.id,
          garys.map((m) => m.id),
        ),
      );
    for (const r of rows)
      expect(r).toMatchObject({
        ownerNotificationsEnabled: true,
        notifyOnNewIssues: false,
        notifyOnStatusChanges: false,
        notifyOnComments: true,
      });

    // The member (who owns other machines) cannot change Gary's by forging field names.
    const before = await db.select().from(machines).where(eq(machines.id, garys[0].id));
    await member.post("/notifications", {
      intent: "machines",
      [`notifyOnStatusChanges:${garys[0].id}`]: "on",
      [`notifyOnNewIssues:${garys[0].id}`]: "on",
    });
    expect(await db.select().from(machines).where(eq(machines.id, garys[0].id))).toEqual(before);
    // Someone who owns nothing.
    expect((await player.post("/notifications", { intent: "machines" })).status).toBe(400);
  });
});
