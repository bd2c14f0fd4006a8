/**
 * The issue workflow over real HTTP on a real database: status (resolvedAt, RESOLVED/REOPENED/STATUS_CHANGED history),
 * priority, assignment validation, title/description edits, comments (add/edit/delete/restore rules, soft-deleted
 * comments hidden), photos (3 per issue, content check, serving), member-created issues, unknown intents, and the
 * permission denials of every action for Member, Admin, anonymous and custom roles lacking the permission.
 * Every change must write its IssueHistory row(s) with the actor; every refusal must write nothing.
 * Plus the comment purge with a fake clock.
 */
import fs from "node:fs";
import path from "node:path";
import { and, asc, count, eq, inArray, isNull } from "drizzle-orm";
import { PNG } from "pngjs";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import type { Db } from "../../db/client.server";
import { reportIssueAs } from "../helpers/issue-actors";
import { COMMENT_RETENTION_DAYS, countPurgeableComments, purgeDeletedComments } from "../../db/queries/comments.server";
import {
  attachments,
  comments,
  issueHistory,
  issues,
  machines,
  notifications,
  permissions,
  rolePermissions,
  roles,
} from "../../db/schema";
import { addMember, createUser, seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { makeTempUploadDir, orgIdOf, priorityIdOf, statusIdOf, userIdOf } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";
const uploadRoot = makeTempUploadDir();

let t: TestDb;
let db: Db;
let server: TestServer;
let apc: string;
let beta: string;
let admin: TestClient;
let member: TestClient;
let player: TestClient;
let anon: TestClient;
/** Custom role with issue:view only. */
let viewer: TestClient;
/** Custom role with issue:view + issue:create (comments) but no issue:edit / issue:delete. */
let commenter: TestClient;
let ids: Record<"admin" | "member" | "player" | "viewer" | "commenter" | "betaAdmin", string>;
let machineId: string;

async function customRole(name: string, perms: string[]): Promise<string> {
  const [role] = await db.insert(roles).values({ name, organizationId: apc }).returning({ id: roles.id });
  const rows = await db.select({ id: permissions.id }).from(permissions).where(inArray(permissions.name, perms));
  await db.insert(rolePermissions).values(rows.map((p) => ({ roleId: role.id, permissionId: p.id })));
  return role.id;
}

async function userWithRole(email: string, name: string, roleId: string): Promise<string> {
  const user = await createUser(db, { email, name, password: "dev-login-123" });
  await addMember(db, { userId: user.id, organizationId: apc, roleId });
  return user.id;
}

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await seedDatabase(db, { demo: true });
  apc = await orgIdOf(db, "apc");
  beta = await orgIdOf(db, "beta");
  const viewerRole = await customRole("Viewer", ["issue:view"]);
  const commenterRole = await customRole("Commenter", ["issue:view", "issue:create"]);
  ids = {
    admin: await userIdOf(db, "admin@dev.local"),
    member: await userIdOf(db, "member@dev.local"),
    player: await userIdOf(db, "player@dev.local"),
    viewer: await userWithRole("viewer@example.test", "Vera Viewer", viewerRole),
    commenter: await userWithRole("commenter@example.test", "Cody Commenter", commenterRole),
    betaAdmin: await userIdOf(db, "admin@beta.local"),
  };
  const [m] = await db
    .select({ id: machines.id })
    .from(machines)
    .where(and(eq(machines.organizationId, apc), isNull(machines.ownerId)))
    .limit(1);
  machineId = m.id;
  server = await startTestServer(db);
  admin = server.client();
  member = server.client();
  player = server.client();
  anon = server.client();
  viewer = server.client();
  commenter = server.client();
  await admin.login("admin@dev.local");
  await member.login("member@dev.local");
  await player.login("player@dev.local");
  await viewer.login("viewer@example.test");
  await commenter.login("commenter@example.test");
});

afterAll(async () => {
  await server?.close();
  await t?.close();
  fs.rmSync(uploadRoot, { recursive: true, force: true });
});

beforeEach(() => resetRateLimits());

// -------------------------------------------------------------------------------------------------------------------
// helpers

let counter = 0;
async function newIssue(
  opts: { reporter?: { userId: string } | { name?: string; email?: string }; description?: string } = {},
) {
  counter += 1;
  const { id } = await reportIssueAs(db, {
    organizationId: apc,
    machineId,
    title: `Workflow test issue ${counter}`,
    description: opts.description ?? "Flipper sticks after a long game.",
    reporter: opts.reporter ?? { userId: ids.player },
  });
  return id;
}

const statusId = (name: string, org = apc) => statusIdOf(db, org, name);
const priorityId = (name: string, org = apc) => priorityIdOf(db, org, name);

async function issueRow(id: string) {
  const [row] = await db.select().from(issues).where(eq(issues.id, id));
  return row;
}

async function historyOf(id: string) {
  return db
    .select({
      type: issueHistory.type,
      field: issueHistory.field,
      oldValue: issueHistory.oldValue,
      newValue: issueHistory.newValue,
      actorId: issueHistory.actorId,
      organizationId: issueHistory.organizationId,
    })
    .from(issueHistory)
    .where(eq(issueHistory.issueId, id))
    .orderBy(asc(issueHistory.changedAt), asc(issueHistory.id));
}

async function lastHistory(id: string) {
  const rows = await historyOf(id);
  return rows[rows.length - 1];
}

async function historyCount(id: string) {
  return (await historyOf(id)).length;
}

async function commentsOf(id: string) {
  return db.select().from(comments).where(eq(comments.issueId, id)).orderBy(asc(comments.createdAt));
}

function png(width = 2, height = 2): Buffer {
  const image = new PNG({ width, height });
  image.data.fill(200);
  return PNG.sync.write(image);
}

function photoForm(bytes: Buffer | string, name = "flipper.png", type = "image/png") {
  const form = new FormData();
  form.append("intent", "attach");
  form.append("photo", new File([typeof bytes === "string" ? bytes : new Uint8Array(bytes)], name, { type }));
  return form;
}

function storedFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(full);
    }
  };
  walk(uploadRoot);
  return out;
}

const loginRedirect = (res: { status: number; location: string | null }) => {
  expect(res.status).toBe(302);
  expect(res.location).toMatch(/^\/login\?redirectTo=/);
};

// -------------------------------------------------------------------------------------------------------------------

describe("viewing an issue", () => {
  it("shows the issue to members, with the guest reporter's e-mail only for members who triage", async () => {
    const id = await newIssue({ reporter: { name: "Pat Player", email: "pat@example.test" } });
    const asMember = await member.get(`/issues/${id}`);
    expect(asMember.status).toBe(200);
    expect(asMember.text).toContain(`Workflow test issue ${counter}`);
    expect(asMember.text).toContain("Pat Player");
    expect(asMember.text).toContain("pat@example.test");
    const asViewer = await viewer.get(`/issues/${id}`);
    expect(asViewer.status).toBe(200);
    expect(asViewer.text).toContain("Pat Player");
    expect(asViewer.text).not.toContain("pat@example.test");
    // The Unauthenticated role holds issue:view: guests see the public parts, never e-mails.
    const asGuest = await anon.get(`/issues/${id}`);
    expect(asGuest.status).toBe(200);
    expect(asGuest.text).not.toContain("pat@example.test");
    expect(asGuest.text).not.toContain("@dev.local");
  });

  it("answers 404 for unknown or malformed ids", async () => {
    expect((await member.get("/issues/doesnotexist")).status).toBe(404);
    expect((await member.get(`/issues/${encodeURIComponent("../../etc")}`)).status).toBe(404);
  });
});

describe("status changes", () => {
  it("walks New → In Progress → Fixed → Not Reproducible → New with resolvedAt and typed history rows", async () => {
    const id = await newIssue();
    expect((await issueRow(id)).resolvedAt).toBeNull();

    let res = await member.post(`/issues/${id}`, { intent: "status", statusId: await statusId("In Progress") });
    expect(res.status).toBe(200);
    let row = await issueRow(id);
    expect(row.statusId).toBe(await statusId("In Progress"));
    expect(row.resolvedAt).toBeNull();
    expect(await lastHistory(id)).toMatchObject({
      type: "STATUS_CHANGED",
      field: "status",
      oldValue: "New",
      newValue: "In Progress",
      actorId: ids.member,
      organizationId: apc,
    });

    res = await member.post(`/issues/${id}`, { intent: "status", statusId: await statusId("Fixed") });
    expect(res.status).toBe(200);
    row = await issueRow(id);
    expect(row.resolvedAt).toBeInstanceOf(Date);
    const resolvedAt = row.resolvedAt!;
    expect(await lastHistory(id)).toMatchObject({
      type: "RESOLVED",
      field: "status",
      oldValue: "In Progress",
      newValue: "Fixed",
      actorId: ids.member,
    });

    res = await admin.post(`/issues/${id}`, { intent: "status", statusId: await statusId("Not Reproducible") });
    expect(res.status).toBe(200);
    row = await issueRow(id);
    expect(row.resolvedAt?.getTime()).toBe(resolvedAt.getTime());
    expect(await lastHistory(id)).toMatchObject({
      type: "STATUS_CHANGED",
      oldValue: "Fixed",
      newValue: "Not Reproducible",
      actorId: ids.admin,
    });

    res = await member.post(`/issues/${id}`, { intent: "status", statusId: await statusId("New") });
    expect(res.status).toBe(200);
    row = await issueRow(id);
    expect(row.resolvedAt).toBeNull();
    expect(await lastHistory(id)).toMatchObject({
      type: "REOPENED",
      oldValue: "Not Reproducible",
      newValue: "New",
      actorId: ids.member,
    });
  });

  it("writes nothing when the status does not change", async () => {
    const id = await newIssue();
    const before = await historyCount(id);
    const res = await member.post(`/issues/${id}`, { intent: "status", statusId: await statusId("New") });
    expect(res.status).toBe(200);
    expect(await historyCount(id)).toBe(before);
  });

  it("refuses bad input with 400 and another organization's status with 404, changing nothing", async () => {
    const id = await newIssue();
    const before = { row: await issueRow(id), history: await historyCount(id) };
    expect((await member.post(`/issues/${id}`, { intent: "status", statusId: "" })).status).toBe(400);
    expect((await member.post(`/issues/${id}`, { intent: "status" })).status).toBe(400);
    expect((await member.post(`/issues/${id}`, { intent: "status", statusId: "x".repeat(500) })).status).toBe(400);
    expect(
      (await member.post(`/issues/${id}`, { intent: "status", statusId: await statusId("Fixed", beta) })).status,
    ).toBe(404);
    expect((await member.post(`/issues/${id}`, { intent: "status", statusId: "nonexistent" })).status).toBe(404);
    expect(await issueRow(id)).toEqual(before.row);
    expect(await historyCount(id)).toBe(before.history);
  });
});

describe("priority changes", () => {
  it("changes the priority with a PRIORITY_CHANGED row holding the names", async () => {
    const id = await newIssue();
    const res = await member.post(`/issues/${id}`, { intent: "priority", priorityId: await priorityId("Critical") });
    expect(res.status).toBe(200);
    expect((await issueRow(id)).priorityId).toBe(await priorityId("Critical"));
    expect(await lastHistory(id)).toMatchObject({
      type: "PRIORITY_CHANGED",
      field: "priority",
      oldValue: "Medium",
      newValue: "Critical",
      actorId: ids.member,
    });
    const before = await historyCount(id);
    expect(
      (await member.post(`/issues/${id}`, { intent: "priority", priorityId: await priorityId("High", beta) })).status,
    ).toBe(404);
    expect((await member.post(`/issues/${id}`, { intent: "priority", priorityId: "" })).status).toBe(400);
    expect(await historyCount(id)).toBe(before);
  });
});

describe("assignment", () => {
  it("assigns, rejects the same assignee, reassigns and unassigns, with ASSIGNED rows holding names", async () => {
    const id = await newIssue();
    let res = await admin.post(`/issues/${id}`, { intent: "assign", assigneeId: ids.member });
    expect(res.status).toBe(200);
    expect((await issueRow(id)).assignedToId).toBe(ids.member);
    expect(await lastHistory(id)).toMatchObject({
      type: "ASSIGNED",
      field: "assignee",
      oldValue: null,
      newValue: "Dev Member",
      actorId: ids.admin,
    });

    const count1 = await historyCount(id);
    res = await admin.post(`/issues/${id}`, { intent: "assign", assigneeId: ids.member });
    expect(res.status).toBe(400);
    expect(res.text).toContain("already has that assignee");
    expect(await historyCount(id)).toBe(count1);

    res = await member.post(`/issues/${id}`, { intent: "assign", assigneeId: "me" });
    expect(res.status).toBe(400);

    res = await member.post(`/issues/${id}`, { intent: "assign", assigneeId: ids.player });
    expect(res.status).toBe(200);
    expect(await lastHistory(id)).toMatchObject({
      type: "ASSIGNED",
      oldValue: "Dev Member",
      newValue: "Dev Player",
      actorId: ids.member,
    });

    res = await member.post(`/issues/${id}`, { intent: "assign", assigneeId: "unassign" });
    expect(res.status).toBe(200);
    expect((await issueRow(id)).assignedToId).toBeNull();
    expect(await lastHistory(id)).toMatchObject({ type: "ASSIGNED", oldValue: "Dev Player", newValue: null });

    res = await member.post(`/issues/${id}`, { intent: "assign", assigneeId: "" });
    expect(res.status).toBe(400);
  });

  it("only assigns members of this organization", async () => {
    const id = await newIssue();
    const before = await historyCount(id);
    const res = await admin.post(`/issues/${id}`, { intent: "assign", assigneeId: ids.betaAdmin });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Pick a member of this organization");
    expect((await admin.post(`/issues/${id}`, { intent: "assign", assigneeId: "no-such-user" })).status).toBe(400);
    expect((await admin.post(`/issues/${id}`, { intent: "assign", assigneeId: "bad id with spaces" })).status).toBe(
      400,
    );
    expect((await issueRow(id)).assignedToId).toBeNull();
    expect(await historyCount(id)).toBe(before);
  });
});

describe("title and description", () => {
  it("writes one SYSTEM row per changed field", async () => {
    const id = await newIssue({ description: "Old text" });
    const before = await historyCount(id);
    const res = await member.post(`/issues/${id}`, {
      intent: "details",
      title: "Renamed issue",
      description: "New text",
    });
    expect(res.status).toBe(200);
    const row = await issueRow(id);
    expect(row.title).toBe("Renamed issue");
    expect(row.description).toBe("New text");
    // Both rows share the change's timestamp; their relative order is not significant.
    const rows = (await historyOf(id)).slice(before);
    expect(rows).toHaveLength(2);
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "SYSTEM", field: "title", newValue: "Renamed issue", actorId: ids.member }),
        expect.objectContaining({
          type: "SYSTEM",
          field: "description",
          oldValue: "Old text",
          newValue: "New text",
          actorId: ids.member,
        }),
      ]),
    );
    // Only the description: one row; clearing it stores null.
    const res2 = await member.post(`/issues/${id}`, { intent: "details", title: "Renamed issue", description: "" });
    expect(res2.status).toBe(200);
    expect((await issueRow(id)).description).toBeNull();
    expect(await historyCount(id)).toBe(before + 3);
  });

  it("refuses an empty or too long title with 400 and changes nothing", async () => {
    const id = await newIssue();
    const before = { row: await issueRow(id), history: await historyCount(id) };
    expect((await member.post(`/issues/${id}`, { intent: "details", title: "   ", description: "x" })).status).toBe(
      400,
    );
    expect((await member.post(`/issues/${id}`, { intent: "details", title: "t".repeat(256) })).status).toBe(400);
    expect(
      (await member.post(`/issues/${id}`, { intent: "details", title: "ok", description: "d".repeat(10_001) })).status,
    ).toBe(400);
    expect(await issueRow(id)).toEqual(before.row);
    expect(await historyCount(id)).toBe(before.history);
  });
});

describe("comments", () => {
  it("adds a comment with a COMMENTED row, and refuses empty or over-long ones", async () => {
    const id = await newIssue();
    const res = await member.post(`/issues/${id}`, { intent: "comment", content: "  Replaced the flipper coil.  " });
    expect(res.status).toBe(200);
    const [c] = await commentsOf(id);
    expect(c).toMatchObject({ content: "Replaced the flipper coil.", authorId: ids.member, deletedAt: null });
    expect(await lastHistory(id)).toMatchObject({
      type: "COMMENTED",
      field: "comment",
      newValue: c.id,
      actorId: ids.member,
    });
    const before = await historyCount(id);
    expect((await member.post(`/issues/${id}`, { intent: "comment", content: "   " })).status).toBe(400);
    expect((await member.post(`/issues/${id}`, { intent: "comment", content: "c".repeat(1001) })).status).toBe(400);
    expect((await member.post(`/issues/${id}`, { intent: "comment", content: "c".repeat(1000) })).status).toBe(200);
    expect(await commentsOf(id)).toHaveLength(2);
    expect(await historyCount(id)).toBe(before + 1);
    const page = await member.get(`/issues/${id}`);
    expect(page.text).toContain("Replaced the flipper coil.");
  });

  it("lets only the author (with issue:edit) edit a comment", async () => {
    const id = await newIssue();
    await member.post(`/issues/${id}`, { intent: "comment", content: "First words" });
    const [c] = await commentsOf(id);
    const before = await historyCount(id);
    expect(
      (await player.post(`/issues/${id}`, { intent: "comment-edit", commentId: c.id, content: "Hijacked" })).status,
    ).toBe(403);
    expect(
      (await admin.post(`/issues/${id}`, { intent: "comment-edit", commentId: c.id, content: "Hijacked" })).status,
    ).toBe(403);
    expect((await member.post(`/issues/${id}`, { intent: "comment-edit", commentId: c.id, content: "" })).status).toBe(
      400,
    );
    expect((await commentsOf(id))[0].content).toBe("First words");
    expect(await historyCount(id)).toBe(before);

    const res = await member.post(`/issues/${id}`, {
      intent: "comment-edit",
      commentId: c.id,
      content: "Better words",
    });
    expect(res.status).toBe(200);
    expect((await commentsOf(id))[0].content).toBe("Better words");
    expect(await lastHistory(id)).toMatchObject({
      type: "SYSTEM",
      field: "comment",
      oldValue: c.id,
      newValue: "edited",
      actorId: ids.member,
    });

    // A commenter without issue:edit cannot edit even their own comment.
    await commenter.post(`/issues/${id}`, { intent: "comment", content: "Commenter note" });
    const mine = (await commentsOf(id)).find((x) => x.authorId === ids.commenter)!;
    expect(
      (await commenter.post(`/issues/${id}`, { intent: "comment-edit", commentId: mine.id, content: "Changed" }))
        .status,
    ).toBe(403);
  });

  it("soft-deletes for the author or issue:delete holders, hides deleted comments, and lets only admins restore", async () => {
    const id = await newIssue();
    await member.post(`/issues/${id}`, { intent: "comment", content: "Member comment to delete" });
    await commenter.post(`/issues/${id}`, { intent: "comment", content: "Commenter comment" });
    const list = await commentsOf(id);
    const memberComment = list.find((x) => x.authorId === ids.member)!;
    const commenterComment = list.find((x) => x.authorId === ids.commenter)!;

    // Commenter: no issue:delete → cannot delete someone else's, can delete their own.
    expect(
      (await commenter.post(`/issues/${id}`, { intent: "comment-delete", commentId: memberComment.id })).status,
    ).toBe(403);
    expect(
      (await commenter.post(`/issues/${id}`, { intent: "comment-delete", commentId: commenterComment.id })).status,
    ).toBe(200);
    expect(await lastHistory(id)).toMatchObject({
      type: "COMMENT_DELETED",
      field: "comment",
      oldValue: commenterComment.id,
      actorId: ids.commenter,
    });

    // Player (Member role has issue:delete) deletes the member's comment.
    expect((await player.post(`/issues/${id}`, { intent: "comment-delete", commentId: memberComment.id })).status).toBe(
      200,
    );
    const deleted = (await commentsOf(id)).find((x) => x.id === memberComment.id)!;
    expect(deleted.deletedAt).toBeInstanceOf(Date);
    expect(deleted.deletedBy).toBe(ids.player);
    // Deleting twice: 404, no second row.
    const before = await historyCount(id);
    expect((await player.post(`/issues/${id}`, { intent: "comment-delete", commentId: memberComment.id })).status).toBe(
      404,
    );
    expect(await historyCount(id)).toBe(before);

    // Hidden from members, visible to admins in the deleted view only.
    expect((await member.get(`/issues/${id}`)).text).not.toContain("Member comment to delete");
    expect((await member.get(`/issues/${id}?deleted=1`)).text).not.toContain("Member comment to delete");
    expect((await admin.get(`/issues/${id}`)).text).not.toContain("Member comment to delete");
    const adminView = await admin.get(`/issues/${id}?deleted=1`);
    expect(adminView.text).toContain("Member comment to delete");
    expect(adminView.text).toContain("Deleted by");

    // Restore: organization:manage only.
    expect(
      (await member.post(`/issues/${id}`, { intent: "comment-restore", commentId: memberComment.id })).status,
    ).toBe(403);
    expect((await admin.post(`/issues/${id}`, { intent: "comment-restore", commentId: memberComment.id })).status).toBe(
      200,
    );
    const restored = (await commentsOf(id)).find((x) => x.id === memberComment.id)!;
    expect(restored.deletedAt).toBeNull();
    expect(restored.deletedBy).toBeNull();
    expect(await lastHistory(id)).toMatchObject({
      type: "SYSTEM",
      field: "comment",
      oldValue: memberComment.id,
      newValue: "restored",
      actorId: ids.admin,
    });
    expect((await member.get(`/issues/${id}`)).text).toContain("Member comment to delete");
    // Restoring a live comment: 404.
    expect((await admin.post(`/issues/${id}`, { intent: "comment-restore", commentId: memberComment.id })).status).toBe(
      404,
    );
  });

  it("404s for a comment of another issue", async () => {
    const a = await newIssue();
    const b = await newIssue();
    await member.post(`/issues/${a}`, { intent: "comment", content: "On issue A" });
    const [c] = await commentsOf(a);
    expect(
      (await member.post(`/issues/${b}`, { intent: "comment-edit", commentId: c.id, content: "moved?" })).status,
    ).toBe(404);
    expect((await member.post(`/issues/${b}`, { intent: "comment-delete", commentId: c.id })).status).toBe(404);
    expect((await commentsOf(a))[0]).toMatchObject({ content: "On issue A", deletedAt: null });
  });
});

describe("photos", () => {
  it("stores up to 3 content-checked images per issue with ATTACHMENT_ADDED rows and serves them privately", async () => {
    const id = await newIssue();
    for (let i = 1; i <= 3; i++) {
      const res = await member.post(`/issues/${id}`, photoForm(png(2 + i, 2), `photo-${i}.png`));
      expect(res.status).toBe(200);
    }
    const rows = await db
      .select()
      .from(attachments)
      .where(eq(attachments.issueId, id))
      .orderBy(asc(attachments.createdAt));
    expect(rows).toHaveLength(3);
    // Stored re-encoded as WebP, whatever was sent (tests/integration/photos.test.ts).
    expect(rows[0]).toMatchObject({ organizationId: apc, fileName: "photo-1.webp", fileType: "image/webp" });
    expect(rows[0].url.startsWith(`${apc}/`)).toBe(true);
    const added = (await historyOf(id)).filter((h) => h.type === "ATTACHMENT_ADDED");
    expect(added.map((h) => h.newValue)).toEqual(["photo-1.webp", "photo-2.webp", "photo-3.webp"]);
    expect(added.every((h) => h.actorId === ids.member)).toBe(true);

    const files = storedFiles().length;
    const fourth = await member.post(`/issues/${id}`, photoForm(png(), "photo-4.png"));
    expect(fourth.status).toBe(400);
    expect(fourth.text).toContain("at most 3 photos");
    expect(await db.select({ n: count() }).from(attachments).where(eq(attachments.issueId, id))).toEqual([{ n: 3 }]);
    expect(storedFiles().length).toBe(files);

    const served = await member.get(`/attachments/${rows[0].id}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/webp");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("content-disposition")).toMatch(/^inline; filename="photo-1.webp"/);
    expect(served.headers.get("cache-control")).toMatch(/^private/);
    const page = await member.get(`/issues/${id}`);
    expect(page.text).toContain(`/attachments/${rows[0].id}`);
  });

  it("refuses files that are not images (by content) and missing files, storing nothing", async () => {
    const id = await newIssue();
    const files = storedFiles().length;
    const fake = await member.post(`/issues/${id}`, photoForm("<svg onload=alert(1)>", "evil.png", "image/png"));
    expect(fake.status).toBe(400);
    const none = new FormData();
    none.append("intent", "attach");
    expect((await member.post(`/issues/${id}`, none)).status).toBe(400);
    expect(storedFiles().length).toBe(files);
    expect(await db.select().from(attachments).where(eq(attachments.issueId, id))).toHaveLength(0);
    expect((await historyOf(id)).some((h) => h.type === "ATTACHMENT_ADDED")).toBe(false);
  });

  it("deletes photos only with attachment:delete, removing the file and writing a SYSTEM row", async () => {
    const id = await newIssue();
    await member.post(`/issues/${id}`, photoForm(png(), "to-delete.png"));
    const [row] = await db.select().from(attachments).where(eq(attachments.issueId, id));
    const file = path.join(uploadRoot, ...row.url.split("/"));
    expect(fs.existsSync(file)).toBe(true);
    expect((await member.post(`/issues/${id}`, { intent: "attachment-delete", attachmentId: row.id })).status).toBe(
      403,
    );
    expect((await anon.post(`/issues/${id}`, { intent: "attachment-delete", attachmentId: row.id })).status).toBe(302);
    expect(fs.existsSync(file)).toBe(true);
    const res = await admin.post(`/issues/${id}`, { intent: "attachment-delete", attachmentId: row.id });
    expect(res.status).toBe(200);
    expect(await db.select().from(attachments).where(eq(attachments.issueId, id))).toHaveLength(0);
    expect(fs.existsSync(file)).toBe(false);
    expect(await lastHistory(id)).toMatchObject({
      type: "SYSTEM",
      field: "attachment",
      oldValue: "to-delete.webp",
      actorId: ids.admin,
    });
    expect((await admin.get(`/attachments/${row.id}`)).status).toBe(404);
  });

  it("serves attachments to holders of attachment:view only, within the organization", async () => {
    const id = await newIssue();
    await member.post(`/issues/${id}`, photoForm(png(), "shared.png"));
    const [row] = await db.select().from(attachments).where(eq(attachments.issueId, id));
    // The Unauthenticated role holds attachment:view.
    expect((await anon.get(`/attachments/${row.id}`)).status).toBe(200);
    // The Viewer role does not.
    expect((await viewer.get(`/attachments/${row.id}`)).status).toBe(403);
    expect((await server.client({ org: "beta" }).get(`/attachments/${row.id}`)).status).toBe(404);
    expect((await member.get(`/attachments/nope`)).status).toBe(404);
  });
});

describe("permissions per action", () => {
  it("sends anonymous visitors to sign in for every change and writes nothing", async () => {
    const id = await newIssue();
    const before = { row: await issueRow(id), history: await historyCount(id) };
    const forms: Record<string, string>[] = [
      { intent: "status", statusId: await statusId("Fixed") },
      { intent: "priority", priorityId: await priorityId("High") },
      { intent: "assign", assigneeId: ids.member },
      { intent: "details", title: "Anon rename" },
      { intent: "comment", content: "anon comment" },
    ];
    for (const form of forms) loginRedirect(await anon.post(`/issues/${id}`, form));
    loginRedirect(await anon.post(`/issues/${id}`, photoForm(png())));
    expect(await issueRow(id)).toEqual(before.row);
    expect(await historyCount(id)).toBe(before.history);
    expect(await commentsOf(id)).toHaveLength(0);
  });

  it("refuses a custom role lacking each permission with 403 and writes nothing", async () => {
    const id = await newIssue();
    await member.post(`/issues/${id}`, { intent: "comment", content: "A comment" });
    const [c] = await commentsOf(id);
    const before = { row: await issueRow(id), history: await historyCount(id) };
    const cases: Record<string, string>[] = [
      { intent: "status", statusId: await statusId("Fixed") },
      { intent: "priority", priorityId: await priorityId("High") },
      { intent: "assign", assigneeId: ids.viewer },
      { intent: "details", title: "Viewer rename" },
      { intent: "comment", content: "viewer comment" },
      { intent: "comment-delete", commentId: c.id },
      { intent: "comment-restore", commentId: c.id },
    ];
    for (const form of cases) {
      const res = await viewer.post(`/issues/${id}`, form);
      expect(res.status, form.intent).toBe(403);
    }
    expect((await viewer.post(`/issues/${id}`, photoForm(png()))).status).toBe(403);
    // The Commenter role may comment but not triage.
    expect(
      (await commenter.post(`/issues/${id}`, { intent: "status", statusId: await statusId("Fixed") })).status,
    ).toBe(403);
    expect((await commenter.post(`/issues/${id}`, { intent: "assign", assigneeId: ids.commenter })).status).toBe(403);
    expect(await issueRow(id)).toEqual(before.row);
    expect(await historyCount(id)).toBe(before.history);
    expect(await commentsOf(id)).toHaveLength(1);
  });

  it("lets Admin do everything and answers 400 to unknown or missing intents", async () => {
    const id = await newIssue();
    expect((await admin.post(`/issues/${id}`, { intent: "status", statusId: await statusId("Fixed") })).status).toBe(
      200,
    );
    expect((await admin.post(`/issues/${id}`, { intent: "assign", assigneeId: "me" })).status).toBe(200);
    expect((await admin.post(`/issues/${id}`, { intent: "comment", content: "Admin note" })).status).toBe(200);
    const before = await historyCount(id);
    expect((await admin.post(`/issues/${id}`, { intent: "explode" })).status).toBe(400);
    expect((await admin.post(`/issues/${id}`, { nothing: "here" })).status).toBe(400);
    expect((await member.post(`/issues/${id}`, { intent: "delete-issue" })).status).toBe(400);
    expect(await historyCount(id)).toBe(before);
  });

  it("answers 400 (not 500) to a body that is not a form", async () => {
    const id = await newIssue();
    const res = await fetch(`${server.url}/issues/${id}`, {
      method: "POST",
      headers: {
        "Content-Type": "multipart/form-data; boundary=broken",
        Origin: server.url,
        cookie: [...member.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      },
      body: "this is not multipart",
    });
    expect(res.status).toBeLessThan(500);
  });
});

describe("member-created issues (/issues/new)", () => {
  it("creates an issue with the member as reporter and a CREATED row, optionally assigned to them", async () => {
    const res = await member.post("/issues/new", {
      machineId,
      title: "Member found a stuck ball",
      description: "Behind the left ramp",
      assignToMe: "on",
    });
    expect(res.status).toBe(302);
    const id = res.location!.replace("/issues/", "");
    const row = await issueRow(id);
    expect(row).toMatchObject({
      title: "Member found a stuck ball",
      createdById: ids.member,
      assignedToId: ids.member,
      organizationId: apc,
    });
    const h = await historyOf(id);
    expect(h[0]).toMatchObject({ type: "CREATED", actorId: ids.member });
    expect(h[1]).toMatchObject({ type: "ASSIGNED", newValue: "Dev Member", actorId: ids.member });
    // Self-assignment notifies nobody.
    expect(
      await db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, ids.member), eq(notifications.entityId, id))),
    ).toHaveLength(0);
  });

  it("refuses bad input with 400 and creates nothing", async () => {
    const [{ n: before }] = await db.select({ n: count() }).from(issues);
    expect((await member.post("/issues/new", { machineId, title: "" })).status).toBe(400);
    expect((await member.post("/issues/new", { machineId: "", title: "No machine" })).status).toBe(400);
    const [betaMachine] = await db
      .select({ id: machines.id })
      .from(machines)
      .where(eq(machines.organizationId, beta))
      .limit(1);
    expect((await member.post("/issues/new", { machineId: betaMachine.id, title: "Other org machine" })).status).toBe(
      400,
    );
    expect(
      (
        await member.post("/issues/new", {
          machineId,
          title: "Bad priority",
          priorityId: await priorityId("High", beta),
        })
      ).status,
    ).toBe(400);
    const [{ n: after }] = await db.select({ n: count() }).from(issues);
    expect(after).toBe(before);
  });

  it("requires a member with issue:create", async () => {
    loginRedirect(await anon.get("/issues/new"));
    expect((await viewer.get("/issues/new")).status).toBe(403);
    expect((await member.get("/issues/new")).status).toBe(200);
  });
});

describe("comment purge (fake clock)", () => {
  it("hard-deletes comments soft-deleted at least 90 days ago, per organization or everywhere", async () => {
    const now = new Date("2030-06-01T12:00:00.000Z");
    const day = 24 * 60 * 60 * 1000;
    const issueA = await newIssue();
    const [betaIssue] = await db.select({ id: issues.id }).from(issues).where(eq(issues.organizationId, beta)).limit(1);
    const mk = async (issueId: string, deletedDaysAgo: number | null) => {
      const [row] = await db
        .insert(comments)
        .values({
          issueId,
          authorId: issueId === betaIssue.id ? ids.betaAdmin : ids.member,
          content: `purge test ${deletedDaysAgo}`,
          deletedAt: deletedDaysAgo === null ? null : new Date(now.getTime() - deletedDaysAgo * day),
        })
        .returning({ id: comments.id });
      return row.id;
    };
    const old = await mk(issueA, 120);
    const exactly = await mk(issueA, 90);
    const recent = await mk(issueA, 89);
    const live = await mk(issueA, null);
    const betaOld = await mk(betaIssue.id, 200);

    expect(COMMENT_RETENTION_DAYS).toBe(90);
    expect(await countPurgeableComments(db, { now, organizationId: apc })).toBeGreaterThanOrEqual(2);
    const apcRemoved = await purgeDeletedComments(db, { olderThanDays: 90, now, organizationId: apc });
    expect(apcRemoved).toBeGreaterThanOrEqual(2);
    const remaining = async () => new Set((await db.select({ id: comments.id }).from(comments)).map((r) => r.id));
    let left = await remaining();
    expect(left.has(old)).toBe(false);
    expect(left.has(exactly)).toBe(false);
    expect(left.has(recent)).toBe(true);
    expect(left.has(live)).toBe(true);
    expect(left.has(betaOld)).toBe(true);

    // Everywhere, with the clock faked 10 days later: the 89-day one (now 99 days) goes, beta's too.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(new Date(now.getTime() + 10 * day));
      const removed = await purgeDeletedComments(db);
      expect(removed).toBeGreaterThanOrEqual(2);
    } finally {
      vi.useRealTimers();
    }
    left = await remaining();
    expect(left.has(recent)).toBe(false);
    expect(left.has(betaOld)).toBe(false);
    expect(left.has(live)).toBe(true);
    expect(await purgeDeletedComments(db, { now })).toBe(0);
  });
});
