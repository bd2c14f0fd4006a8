/**
 * Reliability figures and machine presence (db/queries/insights.server.ts countedTime): time a machine spends off
 * the floor, on loan or removed is neither downtime nor uptime. Hand-computed fixture (days before NOW), one
 * Critical issue open on each machine since −20 (Critical = "down"):
 * - Echo: off the floor −15, back on the floor −5 → over 30 days counted 20 d (−30…−15, −5…0), down 10 d
 *   (−20…−15, −5…0), uptime 50%.
 * - Foxtrot: removed at −3 → counted 27 d, down 17 d (−20…−3), uptime 10/27.
 * - Golf: never moved → counted 30 d, down 20 d.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadInsights, readInsightsQuery, type InsightsPage } from "~/use-cases/insights.server";
import { issueHistory, issues, locations, machinePresenceChanges, machines, models } from "../../db/schema";
import { addMember, createUser, seedOrganization, type BootstrappedOrganization } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { memberActor } from "../helpers/issue-actors";
import type { Actor } from "~/use-cases/actor";

const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const DAY = 86_400;
const at = (days: number) => new Date(NOW.getTime() + days * DAY * 1000);

let t: TestDb;
let actor: Actor;

beforeAll(async () => {
  t = await createTestDb();
  const db = t.db;
  const org: BootstrappedOrganization = await seedOrganization(db, { name: "Presence Arcade", subdomain: "presence" });
  const organizationId = org.organization.id;
  const member = await createUser(db, { email: "tech@presence.test", name: "Tech", passwordHash: "x" });
  await addMember(db, { userId: member.id, organizationId, roleId: org.roles.admin.id });
  actor = await memberActor(db, organizationId, member.id);
  const [model] = await db.insert(models).values({ name: "Presence Model" }).returning();
  const [location] = await db.insert(locations).values({ name: "Floor", organizationId }).returning();
  const critical = org.priorities.find((p) => p.name === "Critical")!.id;
  const open = org.statuses.find((s) => s.name === "New")!.id;

  const moves: Record<string, [number, string, string][]> = {
    Echo: [
      [-15, "on_floor", "off_floor"],
      [-5, "off_floor", "on_floor"],
    ],
    Foxtrot: [[-3, "on_floor", "removed"]],
    Golf: [],
  };
  for (const [name, changes] of Object.entries(moves)) {
    const presence = changes.length ? changes[changes.length - 1][2] : "on_floor";
    const [machine] = await db
      .insert(machines)
      .values({ name, organizationId, locationId: location.id, modelId: model.id, createdAt: at(-400), presence })
      .returning({ id: machines.id });
    // Written newest first: the spans must follow changedAt, not the order of the rows.
    for (const [day, from, to] of [...changes].reverse()) {
      await db.insert(machinePresenceChanges).values({
        organizationId,
        machineId: machine.id,
        fromPresence: from,
        toPresence: to,
        actorId: member.id,
        changedAt: at(day),
      });
    }
    const [issue] = await db
      .insert(issues)
      .values({
        title: `${name} ball stuck`,
        organizationId,
        machineId: machine.id,
        statusId: open,
        priorityId: critical,
        createdAt: at(-20),
        updatedAt: at(-20),
      })
      .returning({ id: issues.id });
    await db.insert(issueHistory).values({
      issueId: issue.id,
      organizationId,
      type: "CREATED",
      field: "status",
      newValue: "created",
      changedAt: at(-20),
    });
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const machine = (page: InsightsPage, name: string) => page.machines.find((x) => x.name === name)!;

describe("time off the floor", () => {
  it("counts as neither downtime nor uptime", async () => {
    const page = await loadInsights(actor, readInsightsQuery(new URLSearchParams({ period: "30" })), NOW);

    const echo = machine(page, "Echo");
    expect(echo.countedSeconds).toBeCloseTo(20 * DAY, 3);
    expect(echo.downSeconds).toBeCloseTo(10 * DAY, 3);
    expect(echo.uptimePercent).toBeCloseTo(50, 6);

    const foxtrot = machine(page, "Foxtrot");
    expect(foxtrot.countedSeconds).toBeCloseTo(27 * DAY, 3);
    expect(foxtrot.downSeconds).toBeCloseTo(17 * DAY, 3);
    expect(foxtrot.uptimePercent).toBeCloseTo((10 / 27) * 100, 6);

    const golf = machine(page, "Golf");
    expect(golf.countedSeconds).toBeCloseTo(30 * DAY, 3);
    expect(golf.downSeconds).toBeCloseTo(20 * DAY, 3);
  });
});
