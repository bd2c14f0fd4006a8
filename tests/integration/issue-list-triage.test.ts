/**
 * Triage in place on the issue list (/issues, app/routes/issues._index.tsx) over real HTTP on a real database: each
 * row is a form with one "Save" (no JavaScript) that changes what differs through the issue page's use cases; the
 * one-field posts the controls send with JavaScript go the same way. A member without the permission gets 403 and
 * nothing changes; bad input and other organizations' issues get 4xx and nothing changes.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueHistory, issues, machines, permissions, rolePermissions, roles } from "../../db/schema";
import { addMember, createUser, seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf, priorityIdOf, signedIn, statusIdOf, userIdOf } from "../helpers/fixtures";
import { reportIssueAs } from "../helpers/issue-actors";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

const LIST = "/issues?index";

let t: TestDb;
let server: TestServer;
let apc: string;
let beta: string;
let member: TestClient;
let viewer: TestClient;
let machineId: string;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  server = await startTestServer(t.db);
  apc = await orgIdOf(t.db, "apc");
  beta = await orgIdOf(t.db, "beta");
  member = await signedIn(server, "member@dev.local");
  const [issue] = await t.db.select({ machineId: issues.machineId }).from(issues).where(eq(issues.organizationId, apc));
  machineId = issue.machineId;

  // A member who may see issues and nothing more.
  const [role] = await t.db.insert(roles).values({ name: "Viewers", organizationId: apc }).returning();
  const [view] = await t.db.select({ id: permissions.id }).from(permissions).where(eq(permissions.name, "issue:view"));
  await t.db.insert(rolePermissions).values({ roleId: role.id, permissionId: view.id });
  const user = await createUser(t.db, { email: "viewer@example.test", name: "Viewer", password: "dev-login-123" });
  await addMember(t.db, { userId: user.id, organizationId: apc, roleId: role.id });
  viewer = await signedIn(server, "viewer@example.test");
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

async function newIssue(title: string, organizationId = apc, machine = machineId): Promise<string> {
  const { id } = await reportIssueAs(t.db, { organizationId, machineId: machine, title, reporter: { name: "Guest" } });
  return id;
}

async function row(issueId: string) {
  const [r] = await t.db.select().from(issues).where(eq(issues.id, issueId));
  const history = await t.db
    .select({ id: issueHistory.id })
    .from(issueHistory)
    .where(eq(issueHistory.issueId, issueId));
  return { statusId: r.statusId, priorityId: r.priorityId, assignedToId: r.assignedToId, history: history.length };
}

describe("triage on the issue list", () => {
  it("each row of a triager's list is a form with its own Save; a viewer's list has none", async () => {
    const id = await newIssue("List triage: drop target stuck");
    const page = await member.get("/issues");
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<input type="hidden" name="issueId" value="${id}"/>`);
    expect(page.text).toMatch(/<input type="hidden" name="intent" value="triage"\/>/);
    expect(page.text).toContain(`id="statusId-${id}"`);
    expect(page.text).toContain(`id="assigneeId-${id}"`);
    expect(page.text).toMatch(/<button type="submit" class="btn-secondary">Save<span class="sr-only">/);

    const seen = await viewer.get("/issues");
    expect(seen.status).toBe(200);
    expect(seen.text).toContain("List triage: drop target stuck");
    expect(seen.text).not.toContain(`name="issueId"`);
    expect(seen.text).not.toContain(`id="statusId-${id}"`);
  });

  it("Save changes what differs, once, and the list shows it", async () => {
    const id = await newIssue("List triage: pop bumper weak");
    const before = await row(id);
    const keith = await userIdOf(t.db, "keith.elwin@pinpoint.dev");
    const form = {
      intent: "triage",
      issueId: id,
      statusId: await statusIdOf(t.db, apc, "In Progress"),
      priorityId: await priorityIdOf(t.db, apc, "High"),
      assigneeId: keith,
    };
    const saved = await member.post(LIST, form);
    expect(saved.status).toBe(200);
    expect(saved.text).toContain("Status changed to “In Progress”.");
    const after = await row(id);
    expect(after).toEqual({
      statusId: form.statusId,
      priorityId: form.priorityId,
      assignedToId: keith,
      history: before.history + 3,
    });
    // The list that comes back shows the saved values in the row's controls.
    expect(saved.text).toMatch(
      new RegExp(`id="statusId-${id}"[^>]*>(?:(?!</select>).)*<option value="${form.statusId}" selected=""`, "s"),
    );

    const again = await member.post(LIST, form);
    expect(again.status).toBe(200);
    expect(again.text).toContain("Nothing changed.");
    expect(await row(id)).toEqual(after);
  });

  it("the one-field changes sent with JavaScript use the same use cases", async () => {
    const id = await newIssue("List triage: shooter lane switch");
    const before = await row(id);
    const low = await priorityIdOf(t.db, apc, "Low");
    const res = await member.post(LIST, { intent: "priority", issueId: id, priorityId: low });
    expect(res.status).toBe(200);
    expect(await row(id)).toEqual({ ...before, priorityId: low, history: before.history + 1 });
    const assigned = await member.post(LIST, { intent: "assign", issueId: id, assigneeId: "me" });
    expect(assigned.status).toBe(200);
    expect((await row(id)).assignedToId).toBe(await userIdOf(t.db, "member@dev.local"));
  });

  it("a member without the permission gets 403 and nothing changes", async () => {
    const id = await newIssue("List triage: coil sleeve worn");
    const before = await row(id);
    const inProgress = await statusIdOf(t.db, apc, "In Progress");
    const save = await viewer.post(LIST, { intent: "triage", issueId: id, statusId: inProgress });
    expect(save.status).toBe(403);
    const status = await viewer.post(LIST, { intent: "status", issueId: id, statusId: inProgress });
    expect(status.status).toBe(403);
    const assign = await viewer.post(LIST, { intent: "assign", issueId: id, assigneeId: "me" });
    expect(assign.status).toBe(403);
    expect(await row(id)).toEqual(before);
  });

  it("bad input gets 4xx and changes nothing", async () => {
    const id = await newIssue("List triage: spinner noisy");
    const before = await row(id);
    const inProgress = await statusIdOf(t.db, apc, "In Progress");
    // No issue named.
    expect((await member.post(LIST, { intent: "triage", statusId: inProgress })).status).toBe(400);
    // An unknown form.
    expect((await member.post(LIST, { intent: "delete-everything", issueId: id })).status).toBe(400);
    // One bad field: none of the others is saved either (one transaction).
    const bad = await member.post(LIST, {
      intent: "triage",
      issueId: id,
      statusId: inProgress,
      priorityId: "no-such-priority",
    });
    expect(bad.status).toBe(404);
    // Assigning someone who is not a member here.
    const outsider = await userIdOf(t.db, "admin@beta.local");
    expect((await member.post(LIST, { intent: "assign", issueId: id, assigneeId: outsider })).status).toBe(400);
    expect((await member.post(LIST, { intent: "triage", issueId: id, assigneeId: outsider })).status).toBe(400);
    expect(await row(id)).toEqual(before);
  });

  it("another organization's issue is not found and stays as it was", async () => {
    const [betaMachine] = await t.db
      .select({ id: machines.id })
      .from(machines)
      .where(eq(machines.organizationId, beta));
    const id = await newIssue("Beta: lamp out", beta, betaMachine.id);
    const before = await row(id);
    const res = await member.post(LIST, {
      intent: "triage",
      issueId: id,
      statusId: await statusIdOf(t.db, apc, "In Progress"),
    });
    expect(res.status).toBe(404);
    expect(await row(id)).toEqual(before);
  });

  // Last: it makes the organization large.
  it("above 30 members a row's assignee control lists Unassigned, the actor and the assignee only", async () => {
    const [role] = await t.db.select({ id: roles.id }).from(roles).where(eq(roles.name, "Viewers"));
    for (let k = 0; k < 30; k++) {
      const user = await createUser(t.db, { email: `crowd${k}@example.test`, name: `Crowd Member ${k}` });
      await addMember(t.db, { userId: user.id, organizationId: apc, roleId: role.id });
    }
    const id = await newIssue("List triage: crowded organization");
    const page = await member.get("/issues");
    expect(page.status).toBe(200);
    const select = page.text.match(new RegExp(`<select[^>]*id="assigneeId-${id}"[^>]*>(.*?)</select>`, "s"));
    expect(select).not.toBeNull();
    expect(select![1].match(/<option /g)).toHaveLength(2);
    expect(select![1]).toContain("(me)");
    expect(select![1]).not.toContain("Crowd Member");
    // The filter still offers everyone, and the issue page too.
    expect(page.text).toContain("Crowd Member 29");
    expect((await member.get(`/issues/${id}`)).text).toContain("Crowd Member 29");
  });
});
