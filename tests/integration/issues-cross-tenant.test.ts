/**
 * Tenant isolation of the issue workflow: an admin of `beta`, on beta's host, sending `apc`'s issue, comment,
 * attachment, status, priority and notification ids gets 404 (or 400 for a foreign assignee / target) and nothing
 * changes in apc. Mixed requests (a beta issue with an apc status, priority or comment) are refused as well.
 */
import { asc, eq } from "drizzle-orm";
import { PNG } from "pngjs";
import fs from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import type { Db } from "../../db/client.server";
import { attachments, comments, issueHistory, issues, issueStatuses, notifications, priorities } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { makeTempUploadDir, orgIdOf, priorityIdOf, statusIdOf, userIdOf } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";
const uploadRoot = makeTempUploadDir("pinpoint-xt-uploads-");

let t: TestDb;
let db: Db;
let server: TestServer;
let apc: string;
let beta: string;
let betaAdmin: TestClient;
let apcAdmin: TestClient;
let apcIssue: string;
let apcComment: string;
let apcAttachment: string;
let betaIssue: string;

async function snapshot() {
  const issueRows = await db.select().from(issues).where(eq(issues.organizationId, apc)).orderBy(asc(issues.id));
  const history = await db
    .select()
    .from(issueHistory)
    .where(eq(issueHistory.organizationId, apc))
    .orderBy(asc(issueHistory.id));
  const commentRows = await db.select().from(comments).orderBy(asc(comments.id));
  const statusRows = await db
    .select()
    .from(issueStatuses)
    .where(eq(issueStatuses.organizationId, apc))
    .orderBy(asc(issueStatuses.id));
  const priorityRows = await db
    .select()
    .from(priorities)
    .where(eq(priorities.organizationId, apc))
    .orderBy(asc(priorities.id));
  const attachmentRows = await db.select().from(attachments).orderBy(asc(attachments.id));
  const notificationRows = await db.select().from(notifications).orderBy(asc(notifications.id));
  return { issueRows, history, commentRows, statusRows, priorityRows, attachmentRows, notificationRows };
}

const statusId = (name: string, org: string) => statusIdOf(db, org, name);
const priorityId = (name: string, org: string) => priorityIdOf(db, org, name);

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await seedDatabase(db, { demo: true });
  apc = await orgIdOf(db, "apc");
  beta = await orgIdOf(db, "beta");
  server = await startTestServer(db);
  betaAdmin = server.client({ org: "beta" });
  apcAdmin = server.client({ org: "apc" });
  await betaAdmin.login("admin@beta.local");
  await apcAdmin.login("admin@dev.local");

  const [withComment] = await db
    .select({ issueId: comments.issueId, id: comments.id })
    .from(comments)
    .innerJoin(issues, eq(issues.id, comments.issueId))
    .where(eq(issues.organizationId, apc))
    .limit(1);
  apcIssue = withComment.issueId;
  apcComment = withComment.id;
  const image = new PNG({ width: 2, height: 2 });
  const form = new FormData();
  form.append("intent", "attach");
  form.append("photo", new File([new Uint8Array(PNG.sync.write(image))], "apc.png", { type: "image/png" }));
  expect((await apcAdmin.post(`/issues/${apcIssue}`, form)).status).toBe(200);
  const [att] = await db.select({ id: attachments.id }).from(attachments).where(eq(attachments.issueId, apcIssue));
  apcAttachment = att.id;
  // A notification of an apc user.
  await db.insert(notifications).values({
    userId: await userIdOf(db, "member@dev.local"),
    organizationId: apc,
    type: "ISSUE_UPDATED",
    message: "apc only",
    actionUrl: `/issues/${apcIssue}`,
  });
  const [b] = await db.select({ id: issues.id }).from(issues).where(eq(issues.organizationId, beta)).limit(1);
  betaIssue = b.id;
});

afterAll(async () => {
  await server?.close();
  await t?.close();
  fs.rmSync(uploadRoot, { recursive: true, force: true });
});

beforeEach(() => resetRateLimits());

describe("a beta admin with apc ids", () => {
  it("cannot read apc issues, lists or attachments", async () => {
    expect((await betaAdmin.get(`/issues/${apcIssue}`)).status).toBe(404);
    expect((await betaAdmin.get(`/attachments/${apcAttachment}`)).status).toBe(404);
    const list = await betaAdmin.get("/issues?category=all");
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(apcIssue);
    expect(list.text).not.toContain("Kaiju figures");
  });

  it("gets 404 for every change to an apc issue and nothing changes", async () => {
    const before = await snapshot();
    const forms: Record<string, string>[] = [
      { intent: "status", statusId: await statusId("Fixed", apc) },
      { intent: "status", statusId: await statusId("Fixed", beta) },
      { intent: "priority", priorityId: await priorityId("High", beta) },
      { intent: "details", title: "Hijacked" },
      { intent: "comment", content: "cross-tenant comment" },
      { intent: "comment-edit", commentId: apcComment, content: "hijacked" },
      { intent: "comment-delete", commentId: apcComment },
      { intent: "comment-restore", commentId: apcComment },
      { intent: "attachment-delete", attachmentId: apcAttachment },
    ];
    for (const form of forms) {
      const res = await betaAdmin.post(`/issues/${apcIssue}`, form);
      expect(res.status, form.intent).toBe(404);
    }
    const assign = await betaAdmin.post(`/issues/${apcIssue}`, { intent: "assign", assigneeId: "me" });
    expect([400, 404]).toContain(assign.status);
    expect(await snapshot()).toEqual(before);
  });

  it("cannot use apc statuses, priorities, comments, attachments or members on a beta issue", async () => {
    const before = await snapshot();
    const betaBefore = (await db.select().from(issues).where(eq(issues.id, betaIssue)))[0];
    expect(
      (await betaAdmin.post(`/issues/${betaIssue}`, { intent: "status", statusId: await statusId("Fixed", apc) }))
        .status,
    ).toBe(404);
    expect(
      (
        await betaAdmin.post(`/issues/${betaIssue}`, {
          intent: "priority",
          priorityId: await priorityId("Critical", apc),
        })
      ).status,
    ).toBe(404);
    expect(
      (await betaAdmin.post(`/issues/${betaIssue}`, { intent: "comment-edit", commentId: apcComment, content: "x" }))
        .status,
    ).toBe(404);
    expect(
      (await betaAdmin.post(`/issues/${betaIssue}`, { intent: "comment-delete", commentId: apcComment })).status,
    ).toBe(404);
    expect(
      (await betaAdmin.post(`/issues/${betaIssue}`, { intent: "comment-restore", commentId: apcComment })).status,
    ).toBe(404);
    expect(
      (await betaAdmin.post(`/issues/${betaIssue}`, { intent: "attachment-delete", attachmentId: apcAttachment }))
        .status,
    ).toBe(404);
    const memberId = await userIdOf(db, "member@dev.local");
    expect((await betaAdmin.post(`/issues/${betaIssue}`, { intent: "assign", assigneeId: memberId })).status).toBe(400);
    expect((await db.select().from(issues).where(eq(issues.id, betaIssue)))[0]).toEqual(betaBefore);
    expect(await snapshot()).toEqual(before);
  });

  it("gets 404 for apc statuses and priorities in admin pages; apc targets are refused", async () => {
    const before = await snapshot();
    const fixed = await statusId("Fixed", apc);
    const high = await priorityId("High", apc);
    const statusForms: Record<string, string>[] = [
      { intent: "update", statusId: fixed, name: "Hijacked", category: "RESOLVED" },
      { intent: "default", statusId: await statusId("New", apc) },
      { intent: "move", statusId: fixed, direction: "up" },
      { intent: "delete", statusId: fixed, targetId: await statusId("New", apc) },
    ];
    for (const form of statusForms) {
      expect((await betaAdmin.post("/admin/statuses", form)).status, form.intent).toBe(404);
    }
    const priorityForms: Record<string, string>[] = [
      { intent: "update", priorityId: high, name: "Hijacked", order: "9" },
      { intent: "default", priorityId: high },
      { intent: "move", priorityId: high, direction: "down" },
      { intent: "delete", priorityId: high, targetId: await priorityId("Low", apc) },
    ];
    for (const form of priorityForms) {
      expect((await betaAdmin.post("/admin/priorities", form)).status, form.intent).toBe(404);
    }
    // A beta status in use, moved to an apc status: refused.
    const betaNew = await statusId("In Progress", beta);
    const res = await betaAdmin.post("/admin/statuses", { intent: "delete", statusId: betaNew, targetId: fixed });
    expect(res.status).toBe(400);
    expect((await db.select().from(issueStatuses).where(eq(issueStatuses.id, betaNew))).length).toBe(1);
    expect(await snapshot()).toEqual(before);
  });

  it("cannot read or mark apc users' notifications", async () => {
    const [note] = await db.select().from(notifications).where(eq(notifications.message, "apc only"));
    expect((await betaAdmin.post("/notifications", { intent: "read", notificationId: note.id })).status).toBe(404);
    expect((await betaAdmin.post("/notifications", { intent: "open", notificationId: note.id })).status).toBe(404);
    await betaAdmin.post("/notifications", { intent: "read-all" });
    expect((await db.select().from(notifications).where(eq(notifications.id, note.id)))[0].read).toBe(false);
    expect((await betaAdmin.get("/notifications")).text).not.toContain("apc only");
  });

  it("is not a member of apc when visiting apc's host", async () => {
    const sameUserOnApc = server.client({ org: "apc" });
    await sameUserOnApc.login("admin@beta.local");
    expect((await sameUserOnApc.get("/issues")).status).toBe(403);
    const before = await snapshot();
    expect((await sameUserOnApc.post(`/issues/${apcIssue}`, { intent: "comment", content: "outsider" })).status).toBe(
      403,
    );
    expect(
      (await sameUserOnApc.post(`/issues/${apcIssue}`, { intent: "status", statusId: await statusId("Fixed", apc) }))
        .status,
    ).toBe(403);
    expect(await snapshot()).toEqual(before);
  });
});
