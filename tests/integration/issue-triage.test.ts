/**
 * The issue page's triage without JavaScript (app/use-cases/issue-triage.server.ts) over real HTTP on a real
 * database: the page offers one "Save" for status, priority and assignee; saving changes only what differs (one
 * history row each), a second identical save changes nothing, and a save with one bad field changes none of them
 * (one transaction). A member who may assign but not edit gets only the assignee control, and a status sent anyway
 * is refused.
 */
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueHistory, issues, permissions, rolePermissions, roles } from "../../db/schema";
import { addMember, createUser, seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf, priorityIdOf, signedIn, statusIdOf, userIdOf } from "../helpers/fixtures";
import { reportIssueAs } from "../helpers/issue-actors";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

let t: TestDb;
let server: TestServer;
let apc: string;
let member: TestClient;
let machineId: string;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  server = await startTestServer(t.db);
  apc = await orgIdOf(t.db, "apc");
  member = await signedIn(server, "member@dev.local");
  const [issue] = await t.db.select({ machineId: issues.machineId }).from(issues).where(eq(issues.organizationId, apc));
  machineId = issue.machineId;
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

async function newIssue(title: string): Promise<string> {
  const { id } = await reportIssueAs(t.db, { organizationId: apc, machineId, title, reporter: { name: "Guest" } });
  return id;
}

async function row(issueId: string) {
  const [r] = await t.db.select().from(issues).where(eq(issues.id, issueId));
  const history = await t.db
    .select({ type: issueHistory.type, field: issueHistory.field })
    .from(issueHistory)
    .where(eq(issueHistory.issueId, issueId));
  return { statusId: r.statusId, priorityId: r.priorityId, assignedToId: r.assignedToId, history: history.length };
}

describe("triage without JavaScript", () => {
  it("the page has one Save; it changes what differs, once", async () => {
    const id = await newIssue("Triage: tilt bob loose");
    const page = await member.get(`/issues/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<input type="hidden" name="intent" value="triage"\/>/);
    expect(page.text).toMatch(/<button type="submit" class="btn-primary w-full"[^>]*>Save<\/button>/);

    const before = await row(id);
    const assignee = await userIdOf(t.db, "keith.elwin@pinpoint.dev");
    const form = {
      intent: "triage",
      statusId: await statusIdOf(t.db, apc, "In Progress"),
      priorityId: await priorityIdOf(t.db, apc, "High"),
      assigneeId: assignee,
    };
    const saved = await member.post(`/issues/${id}`, form);
    expect(saved.status).toBe(200);
    const after = await row(id);
    expect(after).toEqual({
      statusId: form.statusId,
      priorityId: form.priorityId,
      assignedToId: assignee,
      history: before.history + 3,
    });

    const again = await member.post(`/issues/${id}`, form);
    expect(again.status).toBe(200);
    expect(again.text).toContain("Nothing changed.");
    expect(await row(id)).toEqual(after);

    // Only the priority differs: one row more.
    const low = await member.post(`/issues/${id}`, { ...form, priorityId: await priorityIdOf(t.db, apc, "Low") });
    expect(low.status).toBe(200);
    expect((await row(id)).history).toBe(after.history + 1);
  });

  it("one bad field: nothing is saved", async () => {
    const id = await newIssue("Triage: ball save light out");
    const before = await row(id);
    const res = await member.post(`/issues/${id}`, {
      intent: "triage",
      statusId: await statusIdOf(t.db, apc, "In Progress"),
      priorityId: "no-such-priority",
      assigneeId: "unassign",
    });
    expect(res.status).toBe(404);
    expect(await row(id)).toEqual(before);
  });

  it("assign-only members get the assignee alone; a status sent anyway is refused", async () => {
    const [role] = await t.db.insert(roles).values({ name: "Assigners", organizationId: apc }).returning();
    const perms = await t.db
      .select({ id: permissions.id })
      .from(permissions)
      .where(inArray(permissions.name, ["issue:view", "issue:assign"]));
    await t.db.insert(rolePermissions).values(perms.map((p) => ({ roleId: role.id, permissionId: p.id })));
    const user = await createUser(t.db, {
      email: "assigner@example.test",
      name: "Assigner",
      password: "dev-login-123",
    });
    await addMember(t.db, { userId: user.id, organizationId: apc, roleId: role.id });
    const assigner = await signedIn(server, "assigner@example.test");
    const id = await newIssue("Triage: flipper rubber torn");
    const page = await assigner.get(`/issues/${id}`);
    expect(page.text).toContain('id="assignee-select"');
    expect(page.text).not.toContain('id="status-select"');
    const before = await row(id);
    const res = await assigner.post(`/issues/${id}`, {
      intent: "triage",
      statusId: await statusIdOf(t.db, apc, "In Progress"),
      assigneeId: "me",
    });
    expect(res.status).toBe(403);
    expect(await row(id)).toEqual(before);
    const ok = await assigner.post(`/issues/${id}`, { intent: "triage", assigneeId: "me" });
    expect(ok.status).toBe(200);
    expect((await row(id)).assignedToId).toBe(user.id);
    expect((await row(id)).history).toBe(before.history + 1);
  });
});
