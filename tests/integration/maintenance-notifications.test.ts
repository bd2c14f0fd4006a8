/**
 * A maintenance note notifies the machine's watchers (app/use-cases/maintenance.server.ts → notification-mail.server.ts
 * notifyMaintenanceNote) over real HTTP on the seeded demo data: in-app for every watcher who is a member, by e-mail
 * right away for those who chose it for the kind; never the author, nobody who only watches one of the machine's
 * issues or watches nothing, nobody who left the organization, and nothing across organizations.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { issues, machines, mailOutbox, notifications, users, watches } from "../../db/schema";
import { addMember, seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf, roleIdOf, signedIn, userIdOf } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

let t: TestDb;
let server: TestServer;
let apc: string;
let beta: string;
let admin: TestClient;
let member: TestClient;
let player: TestClient;
let betaAdmin: TestClient;
let machineId: string;
let betaMachineId: string;
const ids: Record<string, string> = {};

function note(content: string) {
  return { intent: "note", performedOn: "2026-11-20", tag: "parts", content, issueId: "" };
}

async function maintenanceNotificationsOf(userId: string, organizationId = apc) {
  return t.db
    .select({ message: notifications.message, url: notifications.actionUrl, entityId: notifications.entityId })
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        eq(notifications.organizationId, organizationId),
        eq(notifications.type, "MACHINE_MAINTENANCE"),
      ),
    );
}

async function mailTo(email: string) {
  return t.db
    .select({ subject: mailOutbox.subject, text: mailOutbox.textBody, organizationId: mailOutbox.organizationId })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.toAddress, email), eq(mailOutbox.kind, "notification")));
}

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  apc = await orgIdOf(t.db, "apc");
  beta = await orgIdOf(t.db, "beta");
  server = await startTestServer(t.db);
  admin = await signedIn(server, "admin@dev.local");
  member = await signedIn(server, "member@dev.local");
  player = await signedIn(server, "player@dev.local");
  betaAdmin = await signedIn(server, "admin@beta.local", "beta");
  for (const [key, email] of Object.entries({
    admin: "admin@dev.local",
    member: "member@dev.local",
    player: "player@dev.local",
    keith: "keith.elwin@pinpoint.dev",
    betaAdmin: "admin@beta.local",
  }))
    ids[key] = await userIdOf(t.db, email);
  [{ id: machineId }] = await t.db.select({ id: machines.id }).from(machines).where(eq(machines.organizationId, apc));
  [{ id: betaMachineId }] = await t.db
    .select({ id: machines.id })
    .from(machines)
    .where(eq(machines.organizationId, beta));

  // The player wants maintenance e-mails right away; the member (the author) too; the admin only issue news.
  for (const who of [ids.player, ids.member, ids.admin]) {
    await t.db
      .update(users)
      .set({
        emailNotificationsEnabled: true,
        notificationFrequency: "IMMEDIATE",
        emailFrequencyByKind: who === ids.admin ? { MACHINE_MAINTENANCE: "IMMEDIATE" } : {},
      })
      .where(eq(users.id, who));
  }
  // Keith chose the daily digest for maintenance notes.
  await t.db
    .update(users)
    .set({ emailNotificationsEnabled: true, emailFrequencyByKind: { MACHINE_MAINTENANCE: "DAILY" } })
    .where(eq(users.id, ids.keith));

  // Watchers of the machine: the player, Keith and the author. The admin watches one of its issues only.
  expect((await player.post(`/machines/${machineId}`, { intent: "watch", watch: "on" })).status).toBe(302);
  expect((await member.post(`/machines/${machineId}`, { intent: "watch", watch: "on" })).status).toBe(302);
  await t.db.insert(watches).values({ organizationId: apc, userId: ids.keith, machineId });
  const [issue] = await t.db.select({ id: issues.id }).from(issues).where(eq(issues.machineId, machineId)).limit(1);
  if (issue) expect((await admin.post(`/issues/${issue.id}`, { intent: "watch", watch: "on" })).status).toBe(200);
  // beta's admin watches beta's machine, and has a stray watch row on apc's machine although no member of apc.
  expect((await betaAdmin.post(`/machines/${betaMachineId}`, { intent: "watch", watch: "on" })).status).toBe(302);
  await t.db.insert(watches).values({ organizationId: apc, userId: ids.betaAdmin, machineId });
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

describe("a maintenance note reaches the machine's watchers", () => {
  it("watchers get it in-app, and by e-mail per their choice; the author, non-watchers and outsiders do not", async () => {
    const res = await member.post(`/machines/${machineId}`, note("Swapped the left flipper coil for a new one"));
    expect(res.status).toBe(302);

    for (const watcher of [ids.player, ids.keith]) {
      const got = await maintenanceNotificationsOf(watcher);
      expect(got).toHaveLength(1);
      expect(got[0].url).toBe(`/machines/${machineId}`);
      expect(got[0].entityId).toBe(machineId);
      expect(got[0].message).toContain("logged parts on");
      expect(got[0].message).toContain("Swapped the left flipper coil");
    }
    // The author watches too, and hears nothing of their own note; the admin watches an issue only.
    expect(await maintenanceNotificationsOf(ids.member)).toHaveLength(0);
    expect(await maintenanceNotificationsOf(ids.admin)).toHaveLength(0);
    // Not a member of apc: a stray watch row brings nothing, in either organization.
    expect(await maintenanceNotificationsOf(ids.betaAdmin)).toHaveLength(0);
    expect(await maintenanceNotificationsOf(ids.betaAdmin, beta)).toHaveLength(0);

    // E-mail: right away for the player; Keith's comes with the daily digest; nothing for the author or the admin.
    const mail = await mailTo("player@dev.local");
    expect(mail).toHaveLength(1);
    expect(mail[0].organizationId).toBe(apc);
    expect(mail[0].subject).toContain("Parts note");
    expect(mail[0].text).toContain("Swapped the left flipper coil");
    expect(mail[0].text).toContain(`/machines/${machineId}`);
    expect(mail[0].text).toContain("/notifications/unsubscribe/");
    expect(await mailTo("keith.elwin@pinpoint.dev")).toHaveLength(0);
    expect(await mailTo("member@dev.local")).toHaveLength(0);
    expect(await mailTo("admin@dev.local")).toHaveLength(0);

    // The watcher sees it on their notifications page.
    const page = await player.get("/notifications");
    expect(page.text).toContain("Swapped the left flipper coil");
  });

  it("a note in another organization reaches only its own watchers", async () => {
    const before = await maintenanceNotificationsOf(ids.player);
    const res = await betaAdmin.post(`/machines/${betaMachineId}`, note("Cleaned the beta playfield"));
    expect(res.status).toBe(302);
    // beta's admin is the author: nobody in beta watches besides them.
    expect(await maintenanceNotificationsOf(ids.betaAdmin, beta)).toHaveLength(0);
    expect(await maintenanceNotificationsOf(ids.player)).toEqual(before);
    const [anyApc] = await t.db
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(eq(notifications.type, "MACHINE_MAINTENANCE"), eq(notifications.organizationId, beta)));
    expect(anyApc).toBeUndefined();

    // Keith, a member of both, watches beta's machine: beta's next note reaches him in beta only.
    await addMember(t.db, { userId: ids.keith, organizationId: beta, roleId: await roleIdOf(t.db, "beta", "Admin") });
    await t.db.insert(watches).values({ organizationId: beta, userId: ids.keith, machineId: betaMachineId });
    const keithApc = await maintenanceNotificationsOf(ids.keith);
    expect((await betaAdmin.post(`/machines/${betaMachineId}`, note("Levelled the beta cabinet"))).status).toBe(302);
    const inBeta = await maintenanceNotificationsOf(ids.keith, beta);
    expect(inBeta).toHaveLength(1);
    expect(inBeta[0].url).toBe(`/machines/${betaMachineId}`);
    expect(await maintenanceNotificationsOf(ids.keith)).toEqual(keithApc);
    expect(await maintenanceNotificationsOf(ids.player)).toEqual(before);
  });

  it("a refused note notifies nobody", async () => {
    const before = await maintenanceNotificationsOf(ids.player);
    const res = await member.post(`/machines/${machineId}`, { ...note(""), content: "" });
    expect(res.status).toBe(400);
    expect(await maintenanceNotificationsOf(ids.player)).toEqual(before);
  });
});
