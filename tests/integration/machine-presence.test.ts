/**
 * Machine presence over real HTTP on the seeded demo data: a member with machine:edit moves a machine off the floor on
 * its page (history: who, when, from → to); its public page then shows "not on the floor" instead of the report form,
 * a report POST is refused with 409 and stores nothing, and the status board and /status.json leave it out. Members
 * without machine:edit, bad values and other organizations' machines change nothing.
 */
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { NOT_ON_FLOOR_MESSAGE, isOnFloor } from "../../core/machine-presence";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { issues, machinePresenceChanges, machines, users } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf, signedIn, visible } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

let t: TestDb;
let server: TestServer;
let apc: string;
let admin: TestClient;
let member: TestClient;
let betaAdmin: TestClient;
let machineId: string;

async function presenceOf(id: string) {
  const [row] = await t.db.select({ p: machines.presence }).from(machines).where(eq(machines.id, id));
  return row.p;
}

async function changes(id: string) {
  return t.db
    .select({ from: machinePresenceChanges.fromPresence, to: machinePresenceChanges.toPresence, who: users.email })
    .from(machinePresenceChanges)
    .leftJoin(users, eq(users.id, machinePresenceChanges.actorId))
    .where(eq(machinePresenceChanges.machineId, id))
    .orderBy(machinePresenceChanges.changedAt);
}

async function issueCount(id: string) {
  const [row] = await t.db.select({ n: count() }).from(issues).where(eq(issues.machineId, id));
  return Number(row.n);
}

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  apc = await orgIdOf(t.db, "apc");
  server = await startTestServer(t.db);
  admin = await signedIn(server, "admin@dev.local");
  member = await signedIn(server, "member@dev.local");
  betaAdmin = await signedIn(server, "admin@beta.local", "beta");
  const [m] = await t.db.select({ id: machines.id }).from(machines).where(eq(machines.organizationId, apc)).limit(1);
  machineId = m.id;
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

describe("isOnFloor", () => {
  it("is true only for on_floor", () => {
    expect(isOnFloor("on_floor")).toBe(true);
    for (const p of ["off_floor", "on_loan", "pending_arrival", "removed", "", null, undefined, "ON_FLOOR"])
      expect(isOnFloor(p)).toBe(false);
  });
});

describe("changing presence", () => {
  it("a member without machine:edit is refused and nothing changes", async () => {
    const res = await member.post(`/machines/${machineId}`, { intent: "presence", presence: "on_loan" });
    expect(res.status).toBe(403);
    expect(await presenceOf(machineId)).toBe("on_floor");
    expect(await changes(machineId)).toEqual([]);
  });

  it("an unknown value or the current value is a 400 and writes nothing", async () => {
    for (const presence of ["", "in_the_sea", "__proto__"]) {
      const res = await admin.post(`/machines/${machineId}`, { intent: "presence", presence });
      expect(res.status, presence).toBe(400);
    }
    const same = await admin.post(`/machines/${machineId}`, { intent: "presence", presence: "on_floor" });
    expect(same.status).toBe(400);
    expect(await changes(machineId)).toEqual([]);
  });

  it("another organization's admin, on their own host, gets 404 for this machine and changes nothing", async () => {
    const res = await betaAdmin.post(`/machines/${machineId}`, { intent: "presence", presence: "removed" });
    expect(res.status).toBe(404);
    // …and on apc's host they are no member: refused.
    const apcHost = server.client({ org: "apc" });
    await apcHost.login("admin@beta.local");
    expect((await apcHost.post(`/machines/${machineId}`, { intent: "presence", presence: "removed" })).status).toBe(
      403,
    );
    expect(await presenceOf(machineId)).toBe("on_floor");
    expect(await changes(machineId)).toEqual([]);
  });

  it("an admin moves it off the floor; the page shows the value and the history", async () => {
    const res = await admin.post(`/machines/${machineId}`, { intent: "presence", presence: "off_floor" });
    expect(res.status).toBe(302);
    expect(await presenceOf(machineId)).toBe("off_floor");
    expect(await changes(machineId)).toEqual([{ from: "on_floor", to: "off_floor", who: "admin@dev.local" }]);
    const page = visible((await admin.get(`/machines/${machineId}`)).text);
    expect(page).toContain("Off the floor");
    expect(page).toContain("On the floor → Off the floor");
  });
});

describe("a machine off the floor", () => {
  it("shows the notice instead of the report form, and refuses reports with 409, storing nothing", async () => {
    const player = server.client({ org: "apc" });
    const page = await player.get(`/m/${machineId}`);
    expect(page.status).toBe(200);
    expect(visible(page.text)).toContain(NOT_ON_FLOOR_MESSAGE);
    expect(page.text).not.toContain('value="report"');
    const before = await issueCount(machineId);
    const res = await player.post(`/m/${machineId}`, { intent: "report", title: "Left flipper weak" });
    expect(res.status).toBe(409);
    expect(visible(res.text)).toContain(NOT_ON_FLOOR_MESSAGE);
    // A signed-in member is refused the same way.
    expect((await member.post(`/m/${machineId}`, { intent: "report", title: "Left flipper weak" })).status).toBe(409);
    expect(await issueCount(machineId)).toBe(before);
  });

  it("is not on the status board or in /status.json", async () => {
    const json = JSON.parse((await server.client({ org: "apc" }).get("/status.json")).text) as {
      locations: { machines: { id: string }[] }[];
      totals: { machines: number };
    };
    const ids = json.locations.flatMap((l) => l.machines.map((m) => m.id));
    expect(ids).not.toContain(machineId);
    const [onFloor] = await t.db
      .select({ n: count() })
      .from(machines)
      .where(and(eq(machines.organizationId, apc), eq(machines.presence, "on_floor")));
    expect(ids).toHaveLength(Number(onFloor.n));
    expect(json.totals.machines).toBe(Number(onFloor.n));
    const html = await server.client({ org: "apc" }).get("/status");
    expect(html.text).not.toContain(`data-machine-id="${machineId}"`);
  });

  it("back on the floor: the report form and the board return", async () => {
    expect((await admin.post(`/machines/${machineId}`, { intent: "presence", presence: "on_floor" })).status).toBe(302);
    expect((await changes(machineId)).map((c) => `${c.from}>${c.to}`)).toEqual([
      "on_floor>off_floor",
      "off_floor>on_floor",
    ]);
    const page = await server.client({ org: "apc" }).get(`/m/${machineId}`);
    expect(visible(page.text)).not.toContain(NOT_ON_FLOOR_MESSAGE);
    expect(page.text).toContain('value="report"');
    const json = await server.client({ org: "apc" }).get("/status.json");
    expect(json.text).toContain(machineId);
  });
});
