/**
 * Administration of statuses and priorities over HTTP: access (organization:manage), create, rename, category
 * rules, reorder, exactly one default (switched in one transaction; the partial unique index refuses a second one),
 * delete refused while in use unless the issues move (move + delete in one transaction, SYSTEM history per moved issue,
 * resolvedAt following the target's category), and AuditLog rows.
 */
import { and, asc, count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import type { Db } from "../../db/client.server";
import { memberActor, reportIssueAs } from "../helpers/issue-actors";
import { changeIssueStatus } from "~/use-cases/issues.server";
import { issueHistory, issues, issueStatuses, machines, priorities } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { auditCount, orgIdOf, userIdOf } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

let t: TestDb;
let db: Db;
let server: TestServer;
let apc: string;
let beta: string;
let admin: TestClient;
let member: TestClient;
let adminId: string;
let machineId: string;

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await seedDatabase(db, { demo: true });
  apc = await orgIdOf(db, "apc");
  beta = await orgIdOf(db, "beta");
  adminId = await userIdOf(db, "admin@dev.local");
  const [m] = await db.select({ id: machines.id }).from(machines).where(eq(machines.organizationId, apc)).limit(1);
  machineId = m.id;
  server = await startTestServer(db);
  admin = server.client();
  member = server.client();
  await admin.login("admin@dev.local");
  await member.login("member@dev.local");
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

async function statusesOf(org = apc) {
  return db
    .select()
    .from(issueStatuses)
    .where(eq(issueStatuses.organizationId, org))
    .orderBy(asc(issueStatuses.sortOrder), asc(issueStatuses.name));
}
async function statusByName(name: string, org = apc) {
  return (await statusesOf(org)).find((s) => s.name === name)!;
}
async function prioritiesOf(org = apc) {
  return db
    .select()
    .from(priorities)
    .where(eq(priorities.organizationId, org))
    .orderBy(asc(priorities.sortOrder), asc(priorities.name));
}
async function priorityByName(name: string, org = apc) {
  return (await prioritiesOf(org)).find((p) => p.name === name)!;
}

describe("access", () => {
  it("is for organization:manage only", async () => {
    for (const path of ["/admin/statuses", "/admin/priorities"]) {
      expect((await admin.get(path)).status).toBe(200);
      expect((await member.get(path)).status).toBe(403);
      expect((await member.post(path, { intent: "create", name: "Sneaky", category: "NEW" })).status).toBe(403);
      const anon = await server.client().get(path);
      expect(anon.status).toBe(302);
    }
    expect((await statusesOf()).some((s) => s.name === "Sneaky")).toBe(false);
  });
});

describe("statuses", () => {
  it("creates a status at the end of the order, refusing duplicates and bad input", async () => {
    const audits = await auditCount(db, "apc", "status.created");
    const res = await admin.post("/admin/statuses", {
      intent: "create",
      name: "Waiting for owner",
      category: "IN_PROGRESS",
    });
    expect(res.status).toBe(200);
    const list = await statusesOf();
    expect(list[list.length - 1]).toMatchObject({
      name: "Waiting for owner",
      category: "IN_PROGRESS",
      isDefault: false,
    });
    expect(await auditCount(db, "apc", "status.created")).toBe(audits + 1);
    expect(
      (await admin.post("/admin/statuses", { intent: "create", name: "waiting FOR owner", category: "NEW" })).status,
    ).toBe(400);
    expect((await admin.post("/admin/statuses", { intent: "create", name: "", category: "NEW" })).status).toBe(400);
    expect(
      (await admin.post("/admin/statuses", { intent: "create", name: "x".repeat(51), category: "NEW" })).status,
    ).toBe(400);
    expect((await admin.post("/admin/statuses", { intent: "create", name: "Odd", category: "DONE" })).status).toBe(400);
    expect((await admin.post("/admin/statuses", { intent: "frobnicate" })).status).toBe(400);
    expect((await statusesOf()).length).toBe(list.length);
  });

  it("renames and re-categorises, keeping the default Open and no category empty", async () => {
    const waiting = await statusByName("Waiting for owner");
    expect(
      (
        await admin.post("/admin/statuses", {
          intent: "update",
          statusId: waiting.id,
          name: "Waiting on owner",
          category: "NEW",
        })
      ).status,
    ).toBe(200);
    expect(await statusByName("Waiting on owner")).toMatchObject({ category: "NEW" });
    const fresh = await statusByName("New");
    const res = await admin.post("/admin/statuses", {
      intent: "update",
      statusId: fresh.id,
      name: "New",
      category: "RESOLVED",
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain("default status must be an Open status");
    expect(
      (
        await admin.post("/admin/statuses", {
          intent: "update",
          statusId: waiting.id,
          name: "In Progress",
          category: "NEW",
        })
      ).status,
    ).toBe(400);
    expect((await statusByName("New")).category).toBe("NEW");
  });

  it("switches the default in one transaction; only Open statuses can be default; the index refuses two", async () => {
    const waiting = await statusByName("Waiting on owner");
    expect((await admin.post("/admin/statuses", { intent: "default", statusId: waiting.id })).status).toBe(200);
    let defaults = (await statusesOf()).filter((s) => s.isDefault);
    expect(defaults.map((s) => s.name)).toEqual(["Waiting on owner"]);
    // New issues start there.
    const { id } = await reportIssueAs(db, {
      organizationId: apc,
      machineId,
      title: "Starts waiting",
      reporter: { name: "x" },
    });
    expect((await db.select().from(issues).where(eq(issues.id, id)))[0].statusId).toBe(waiting.id);

    const fixed = await statusByName("Fixed");
    expect((await admin.post("/admin/statuses", { intent: "default", statusId: fixed.id })).status).toBe(400);
    expect(
      (await admin.post("/admin/statuses", { intent: "default", statusId: (await statusByName("New")).id })).status,
    ).toBe(200);
    defaults = (await statusesOf()).filter((s) => s.isDefault);
    expect(defaults.map((s) => s.name)).toEqual(["New"]);
    await expect(
      db.update(issueStatuses).set({ isDefault: true }).where(eq(issueStatuses.id, waiting.id)),
    ).rejects.toThrow();
  });

  it("reorders with up/down", async () => {
    const before = (await statusesOf()).map((s) => s.name);
    const second = await statusByName(before[1]);
    expect((await admin.post("/admin/statuses", { intent: "move", statusId: second.id, direction: "up" })).status).toBe(
      200,
    );
    const after = (await statusesOf()).map((s) => s.name);
    expect(after).toEqual([before[1], before[0], ...before.slice(2)]);
    const sortOrders = (await statusesOf()).map((s) => s.sortOrder);
    expect(new Set(sortOrders).size).toBe(sortOrders.length);
    expect((await admin.post("/admin/statuses", { intent: "move", statusId: second.id, direction: "up" })).status).toBe(
      200,
    );
    expect((await statusesOf()).map((s) => s.name)).toEqual(after);
    expect(
      (await admin.post("/admin/statuses", { intent: "move", statusId: second.id, direction: "sideways" })).status,
    ).toBe(400);
  });

  it("refuses deleting the default status", async () => {
    const n = (await statusesOf()).length;
    const res = await admin.post("/admin/statuses", {
      intent: "delete",
      statusId: (await statusByName("New")).id,
      targetId: (await statusByName("In Progress")).id,
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Choose another default first");
    expect((await statusesOf()).length).toBe(n);
  });

  it("refuses deleting a status in use without a target; with one, moves issues with SYSTEM rows and fixes resolvedAt", async () => {
    // Two issues in "Needs Parts" (In progress).
    const parts = await statusByName("Needs Parts");
    const made: string[] = [];
    for (const title of ["Move me 1", "Move me 2"]) {
      const { id } = await reportIssueAs(db, { organizationId: apc, machineId, title, reporter: { name: "x" } });
      await changeIssueStatus(await memberActor(db, apc, adminId), id, parts.id);
      made.push(id);
    }
    const using = await db.select({ n: count() }).from(issues).where(eq(issues.statusId, parts.id));
    const inUse = Number(using[0].n);
    expect(inUse).toBeGreaterThanOrEqual(2);

    const refused = await admin.post("/admin/statuses", { intent: "delete", statusId: parts.id });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("Choose a status to move them to");
    expect(await statusByName("Needs Parts")).toBeTruthy();
    // Target of another organization or the status itself: refused, nothing changed.
    expect(
      (
        await admin.post("/admin/statuses", {
          intent: "delete",
          statusId: parts.id,
          targetId: (await statusByName("Fixed", beta)).id,
        })
      ).status,
    ).toBe(400);
    expect(
      (await admin.post("/admin/statuses", { intent: "delete", statusId: parts.id, targetId: parts.id })).status,
    ).toBe(400);
    expect(Number((await db.select({ n: count() }).from(issues).where(eq(issues.statusId, parts.id)))[0].n)).toBe(
      inUse,
    );

    const fixed = await statusByName("Fixed");
    const audits = await auditCount(db, "apc", "status.deleted");
    const ok = await admin.post("/admin/statuses", { intent: "delete", statusId: parts.id, targetId: fixed.id });
    expect(ok.status).toBe(200);
    expect(await statusByName("Needs Parts")).toBeUndefined();
    const moved = await db.select().from(issues).where(inArray(issues.id, made));
    for (const row of moved) {
      expect(row.statusId).toBe(fixed.id);
      expect(row.resolvedAt).toBeInstanceOf(Date);
    }
    const rows = await db
      .select()
      .from(issueHistory)
      .where(and(inArray(issueHistory.issueId, made), eq(issueHistory.type, "SYSTEM")));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      field: "status",
      oldValue: "Needs Parts",
      newValue: "Fixed",
      actorId: adminId,
      organizationId: apc,
    });
    expect(await auditCount(db, "apc", "status.deleted")).toBe(audits + 1);

    // Moving closed issues to an open status clears resolvedAt.
    const { id: closedId } = await reportIssueAs(db, {
      organizationId: apc,
      machineId,
      title: "Closed then moved",
      reporter: { name: "x" },
    });
    const noRepro = await statusByName("Not Reproducible");
    await changeIssueStatus(await memberActor(db, apc, adminId), closedId, noRepro.id);
    expect(
      (
        await admin.post("/admin/statuses", {
          intent: "delete",
          statusId: noRepro.id,
          targetId: (await statusByName("New")).id,
        })
      ).status,
    ).toBe(200);
    expect((await db.select().from(issues).where(eq(issues.id, closedId)))[0]).toMatchObject({
      resolvedAt: null,
      statusId: (await statusByName("New")).id,
    });
  });

  it("deletes an unused status directly, and 404s for unknown or other organizations' ids", async () => {
    const res = await admin.post("/admin/statuses", { intent: "create", name: "Temporary", category: "IN_PROGRESS" });
    expect(res.status).toBe(200);
    const tmp = await statusByName("Temporary");
    expect((await admin.post("/admin/statuses", { intent: "delete", statusId: tmp.id })).status).toBe(200);
    expect(await statusByName("Temporary")).toBeUndefined();
    const betaFixed = await statusByName("Fixed", beta);
    expect((await admin.post("/admin/statuses", { intent: "delete", statusId: betaFixed.id })).status).toBe(404);
    expect(
      (
        await admin.post("/admin/statuses", {
          intent: "update",
          statusId: betaFixed.id,
          name: "Hijacked",
          category: "RESOLVED",
        })
      ).status,
    ).toBe(404);
    expect((await admin.post("/admin/statuses", { intent: "default", statusId: betaFixed.id })).status).toBe(404);
    expect(await statusByName("Fixed", beta)).toMatchObject({ name: "Fixed" });
  });

  it("keeps at least one status per category", async () => {
    const closed = (await statusesOf()).filter((s) => s.category === "RESOLVED");
    // Delete all but one Closed status (moving issues to the survivor), then the last one is refused.
    const survivor = closed[0];
    for (const s of closed.slice(1)) {
      expect(
        (await admin.post("/admin/statuses", { intent: "delete", statusId: s.id, targetId: survivor.id })).status,
      ).toBe(200);
    }
    const last = await admin.post("/admin/statuses", {
      intent: "delete",
      statusId: survivor.id,
      targetId: (await statusByName("New")).id,
    });
    expect(last.status).toBe(400);
    expect(last.text).toContain("only Closed status");
    const cat = await admin.post("/admin/statuses", {
      intent: "update",
      statusId: survivor.id,
      name: survivor.name,
      category: "NEW",
    });
    expect(cat.status).toBe(400);
  });
});

describe("priorities", () => {
  it("creates, renames with a severity rank, and refuses duplicates", async () => {
    expect((await admin.post("/admin/priorities", { intent: "create", name: "Urgent" })).status).toBe(200);
    const urgent = await priorityByName("Urgent");
    expect(urgent.order).toBe(5);
    expect(urgent.isDefault).toBe(false);
    expect((await admin.post("/admin/priorities", { intent: "create", name: "urgent" })).status).toBe(400);
    expect((await admin.post("/admin/priorities", { intent: "create", name: "Odd", order: "abc" })).status).toBe(400);
    expect(
      (
        await admin.post("/admin/priorities", {
          intent: "update",
          priorityId: urgent.id,
          name: "Emergency",
          order: "10",
        })
      ).status,
    ).toBe(200);
    expect(await priorityByName("Emergency")).toMatchObject({ order: 10 });
    expect(
      (await admin.post("/admin/priorities", { intent: "update", priorityId: urgent.id, name: "Low", order: "10" }))
        .status,
    ).toBe(400);
    expect(
      (
        await admin.post("/admin/priorities", {
          intent: "update",
          priorityId: urgent.id,
          name: "Emergency",
          order: "-1",
        })
      ).status,
    ).toBe(400);
  });

  it("switches the default in one transaction", async () => {
    const high = await priorityByName("High");
    expect((await admin.post("/admin/priorities", { intent: "default", priorityId: high.id })).status).toBe(200);
    expect((await prioritiesOf()).filter((p) => p.isDefault).map((p) => p.name)).toEqual(["High"]);
    const { id } = await reportIssueAs(db, {
      organizationId: apc,
      machineId,
      title: "Gets High",
      reporter: { name: "x" },
    });
    expect((await db.select().from(issues).where(eq(issues.id, id)))[0].priorityId).toBe(high.id);
    expect(
      (await admin.post("/admin/priorities", { intent: "default", priorityId: (await priorityByName("Medium")).id }))
        .status,
    ).toBe(200);
    expect((await prioritiesOf()).filter((p) => p.isDefault).map((p) => p.name)).toEqual(["Medium"]);
    await expect(db.update(priorities).set({ isDefault: true }).where(eq(priorities.id, high.id))).rejects.toThrow();
  });

  it("reorders the display", async () => {
    const before = (await prioritiesOf()).map((p) => p.name);
    const last = await priorityByName(before[before.length - 1]);
    expect(
      (await admin.post("/admin/priorities", { intent: "move", priorityId: last.id, direction: "up" })).status,
    ).toBe(200);
    const after = (await prioritiesOf()).map((p) => p.name);
    expect(after[after.length - 2]).toBe(last.name);
  });

  it("refuses deleting the default, or one in use without a target; moves issues with SYSTEM rows", async () => {
    expect(
      (await admin.post("/admin/priorities", { intent: "delete", priorityId: (await priorityByName("Medium")).id }))
        .status,
    ).toBe(400);
    const low = await priorityByName("Low");
    const [{ n }] = await db.select({ n: count() }).from(issues).where(eq(issues.priorityId, low.id));
    expect(Number(n)).toBeGreaterThan(0);
    const refused = await admin.post("/admin/priorities", { intent: "delete", priorityId: low.id });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("Choose a priority to move");
    expect(
      (
        await admin.post("/admin/priorities", {
          intent: "delete",
          priorityId: low.id,
          targetId: (await priorityByName("Low", beta)).id,
        })
      ).status,
    ).toBe(400);
    const ids = (await db.select({ id: issues.id }).from(issues).where(eq(issues.priorityId, low.id))).map((r) => r.id);
    const medium = await priorityByName("Medium");
    expect(
      (await admin.post("/admin/priorities", { intent: "delete", priorityId: low.id, targetId: medium.id })).status,
    ).toBe(200);
    expect(await priorityByName("Low")).toBeUndefined();
    const moved = await db.select().from(issues).where(inArray(issues.id, ids));
    expect(moved.every((r) => r.priorityId === medium.id)).toBe(true);
    const rows = await db
      .select()
      .from(issueHistory)
      .where(
        and(inArray(issueHistory.issueId, ids), eq(issueHistory.type, "SYSTEM"), eq(issueHistory.field, "priority")),
      );
    expect(rows).toHaveLength(ids.length);
    expect(rows[0]).toMatchObject({ oldValue: "Low", newValue: "Medium", actorId: adminId });
    // Other organizations' priorities: 404.
    expect(
      (await admin.post("/admin/priorities", { intent: "delete", priorityId: (await priorityByName("High", beta)).id }))
        .status,
    ).toBe(404);
  });
});
