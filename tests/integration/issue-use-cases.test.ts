/**
 * The issue use cases called directly (app/use-cases/issues.server.ts, comments.server.ts), as the public report and
 * future callers use them: reportIssue refuses another organization's machine or priority with Failure("not_found")
 * and a reporter other than the actor with "forbidden", writing nothing; a comment refused inside its idempotent
 * write leaves its key free instead of keeping the refusal as the key's answer.
 */
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFailure } from "../../core/failure";
import type { Db } from "../../db/client.server";
import { idempotencyKeys, issueHistory, issues, notifications } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { addComment } from "~/use-cases/comments.server";
import { reportIssue } from "~/use-cases/issues.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { machineByName, orgIdOf, priorityIdOf, signedIn, userIdOf } from "../helpers/fixtures";
import { startTestServer, type TestServer } from "../helpers/http";
import { memberActor, visitorActor } from "../helpers/issue-actors";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

let t: TestDb;
let db: Db;
let apc: string;
let beta: string;
let adminId: string;
let server: TestServer;

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await seedDatabase(db, { demo: true });
  apc = await orgIdOf(db, "apc");
  beta = await orgIdOf(db, "beta");
  adminId = await userIdOf(db, "admin@dev.local");
  server = await startTestServer(db);
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

async function rows() {
  const [i] = await db.select({ n: count() }).from(issues);
  const [h] = await db.select({ n: count() }).from(issueHistory);
  const [n] = await db.select({ n: count() }).from(notifications);
  return { issues: Number(i.n), history: Number(h.n), notifications: Number(n.n) };
}

async function failureOf(work: Promise<unknown>) {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isFailure(error)) throw new Error(`expected a Failure, got ${String(error)}`);
  return { code: error.code, fields: error.fields };
}

describe("reportIssue", () => {
  it("creates the issue with its history for a visitor, and refuses another organization's machine or priority", async () => {
    const stargate = await machineByName(db, apc, "Stargate");
    const visitor = await visitorActor(db, apc);
    const created = await reportIssue(visitor, {
      machineId: stargate.id,
      title: "Use case report",
      reporter: { name: "Robin" },
    });
    expect(created.followToken).toBeTruthy();
    const [row] = await db.select().from(issues).where(eq(issues.id, created.id));
    expect(row).toMatchObject({
      organizationId: apc,
      machineId: stargate.id,
      submitterName: "Robin",
      createdById: null,
    });

    const before = await rows();
    const [betaMachine] = await db
      .select({ id: issues.machineId })
      .from(issues)
      .where(eq(issues.organizationId, beta))
      .limit(1);
    expect(
      await failureOf(reportIssue(visitor, { machineId: betaMachine.id, title: "Wrong org", reporter: {} })),
    ).toEqual({
      code: "not_found",
      fields: { machineId: "That machine was not found." },
    });
    const admin = await memberActor(db, apc, adminId);
    const betaPriority = await priorityIdOf(db, beta, "High");
    expect(
      await failureOf(
        reportIssue(admin, {
          machineId: stargate.id,
          title: "Wrong priority",
          reporter: { userId: adminId },
          priorityId: betaPriority,
        }),
      ),
    ).toEqual({ code: "not_found", fields: { priorityId: "Choose a priority from the list." } });
    expect(await rows()).toEqual(before);
  });

  it("refuses a signed-in reporter who is not the actor", async () => {
    const stargate = await machineByName(db, apc, "Stargate");
    const before = await rows();
    const visitor = await visitorActor(db, apc);
    expect(
      (
        await failureOf(
          reportIssue(visitor, { machineId: stargate.id, title: "Posing", reporter: { userId: adminId } }),
        )
      ).code,
    ).toBe("forbidden");
    expect(await rows()).toEqual(before);
  });
});

describe("addComment", () => {
  it("a comment on a missing issue is not found and its idempotency key stays free", async () => {
    const admin = await memberActor(db, apc, adminId);
    const key = "missing-issue-key-0123456789";
    expect(
      (await failureOf(addComment(admin, "cnosuchissue000000000000", { content: "Hello", idempotencyKey: key }))).code,
    ).toBe("not_found");
    expect(await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key))).toHaveLength(0);
  });

  it("over HTTP: the comment form on a missing issue answers 404 and keeps no key", async () => {
    const admin = await signedIn(server, "admin@dev.local");
    const key = "missing-issue-http-key-0123456789";
    const res = await admin.post("/issues/cnosuchissue000000000000", {
      intent: "comment",
      content: "Hello",
      idempotencyKey: key,
    });
    expect(res.status).toBe(404);
    expect(await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key))).toHaveLength(0);
  });
});
