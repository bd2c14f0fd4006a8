/**
 * Notification e-mails for members end to end: the real server (production build) with its mail worker, a real SMTP
 * server on loopback (tests/helpers/smtp.ts), a real database. "Right away" → one message per event with the issue
 * link, threading and one-click unsubscribe headers; "off" → none; daily digest → one message per day, once;
 * the one-click unsubscribe POST turns e-mails off; the actor never hears of their own change.
 */
import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { queueDailyDigests } from "~/use-cases/notification-mail.server";
import type { Db } from "../../db/client.server";
import { machines, mailOutbox, notifications, users } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf, statusIdOf, userIdOf } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";
import { reportIssueAs } from "../helpers/issue-actors";
import { startTestSmtp, type ReceivedMail, type TestSmtp } from "../helpers/smtp";

const GARY = "gary.stern@pinpoint.dev";
const MEMBER = "member@dev.local";
let t: TestDb;
let db: Db;
let smtp: TestSmtp;
let server: TestServer;
let apc: string;
let admin: TestClient;
let gary: TestClient;
let ids: Record<"gary" | "member", string>;
let garyMachine: string;

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await seedDatabase(db, { demo: true });
  apc = await orgIdOf(db, "apc");
  ids = { gary: await userIdOf(db, GARY), member: await userIdOf(db, MEMBER) };
  const [m] = await db
    .select({ id: machines.id })
    .from(machines)
    .where(and(eq(machines.organizationId, apc), eq(machines.ownerId, ids.gary)))
    .limit(1);
  garyMachine = m.id;
  smtp = await startTestSmtp();
  server = await startTestServer(db, { mail: { smtpUrl: smtp.url } });
  admin = server.client();
  gary = server.client();
  await admin.login("admin@dev.local");
  await gary.login(GARY);
});

afterAll(async () => {
  await server?.close();
  await smtp?.close();
  await t?.close();
});

beforeEach(async () => {
  resetRateLimits();
  await db
    .update(users)
    .set({ emailNotificationsEnabled: true, notificationFrequency: "IMMEDIATE", emailFrequencyByKind: {} });
  await db
    .update(machines)
    .set({ ownerNotificationsEnabled: true, notifyOnNewIssues: true, notifyOnStatusChanges: true })
    .where(eq(machines.id, garyMachine));
});

let n = 0;
/** An issue on Gary's machine reported by the member (Gary, the owner, hears of it). */
async function newIssue(): Promise<{ id: string; title: string }> {
  n += 1;
  const title = `Mail test ${n} flipper weak`;
  const { id } = await reportIssueAs(db, {
    organizationId: apc,
    machineId: garyMachine,
    title,
    reporter: { userId: ids.member },
  });
  return { id, title };
}

const setStatus = async (client: TestClient, issueId: string, name: string) =>
  expect(
    (await client.post(`/issues/${issueId}`, { intent: "status", statusId: await statusIdOf(db, apc, name) })).status,
  ).toBe(200);

/** Outbox rows to `address` about the issue titled `title`. */
async function queuedTo(address: string, title: string) {
  return db
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.toAddress, address), like(mailOutbox.textBody, `%${title}%`)));
}

async function delivered(address: string, title: string, count: number): Promise<ReceivedMail[]> {
  await smtp.waitFor((all) => all.filter((m) => m.to === address && m.text.includes(title)).length >= count);
  return smtp.accepted.filter((m) => m.to === address && m.text.includes(title));
}

describe("notification e-mails right away", () => {
  it("one message per event, with the issue link, one thread per issue and one-click unsubscribe headers", async () => {
    const issue = await newIssue();
    await setStatus(admin, issue.id, "In Progress");
    await setStatus(admin, issue.id, "Needs Parts");
    // Created + two status changes for the owner; two status changes for the reporter.
    expect(await queuedTo(GARY, issue.title)).toHaveLength(3);
    expect(await queuedTo(MEMBER, issue.title)).toHaveLength(2);
    const mails = await delivered(GARY, issue.title, 3);
    expect(mails).toHaveLength(3);
    const threadIds = new Set(mails.map((m) => m.header("references")));
    expect(threadIds.size).toBe(1);
    expect([...threadIds][0]).toMatch(new RegExp(`^<issue-${issue.id}@[a-z0-9.-]+>$`));
    for (const mail of mails) {
      expect(mail.header("in-reply-to")).toBe(mail.header("references"));
      expect(mail.subject).toContain("Mail test");
      expect(mail.subject).toMatch(/^\[.+\] .+: /);
      expect(mail.text).toMatch(new RegExp(`https?://[^\\s]+/issues/${issue.id}\\b`));
      expect(mail.header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
      const unsubscribe = /^<(https?:\/\/[^>]+\/notifications\/unsubscribe\/[^>]+)>$/.exec(
        mail.header("list-unsubscribe") ?? "",
      );
      expect(unsubscribe).not.toBeNull();
      expect(mail.text).toContain(unsubscribe![1]);
    }
    const [row] = await queuedTo(GARY, issue.title);
    expect(row.organizationId).toBe(apc);
    expect(row.kind).toBe("notification");
  });

  it("never mails the actor about their own change", async () => {
    const issue = await newIssue();
    await setStatus(gary, issue.id, "In Progress");
    // Gary has only the mail about the member's report; the member hears of Gary's change.
    expect(await queuedTo(GARY, issue.title)).toHaveLength(1);
    expect(await queuedTo(MEMBER, issue.title)).toHaveLength(1);
  });

  it("sends nothing when e-mails are off or the frequency is never", async () => {
    await db.update(users).set({ emailNotificationsEnabled: false }).where(eq(users.id, ids.gary));
    await db.update(users).set({ notificationFrequency: "DISABLED" }).where(eq(users.id, ids.member));
    const issue = await newIssue();
    await setStatus(admin, issue.id, "In Progress");
    expect(await queuedTo(GARY, issue.title)).toHaveLength(0);
    expect(await queuedTo(MEMBER, issue.title)).toHaveLength(0);
    // In-app notifications are still written.
    const inApp = await db
      .select()
      .from(notifications)
      .where(eq(notifications.actionUrl, `/issues/${issue.id}`));
    expect(inApp.length).toBeGreaterThanOrEqual(2);
  });
});

describe("daily digest", () => {
  const linksFor = (sub: string) => (p: string) => new URL(p, `http://${sub}.localhost`).toString();

  it("queues no message per event and ONE digest listing the day's unread notifications, once", async () => {
    await db.update(users).set({ notificationFrequency: "DAILY" }).where(eq(users.id, ids.member));
    await db.update(notifications).set({ read: true }).where(eq(notifications.userId, ids.member));
    const issues = [await newIssue(), await newIssue(), await newIssue()];
    for (const issue of issues) await setStatus(admin, issue.id, "In Progress");
    for (const issue of issues) expect(await queuedTo(MEMBER, issue.title)).toHaveLength(0);

    // As of tomorrow, "yesterday" in the organization's zone is today.
    const now = new Date(Date.now() + 24 * 3600 * 1000);
    expect(await queueDailyDigests(db, { now, linksFor })).toBe(1);
    expect(await queueDailyDigests(db, { now, linksFor })).toBe(0);
    const rows = await db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.toAddress, MEMBER), eq(mailOutbox.kind, "notification_digest")));
    expect(rows).toHaveLength(1);
    await smtp.waitFor((all) => all.some((m) => m.to === MEMBER && m.subject.includes("3 notifications")));
    const [mail] = smtp.accepted.filter((m) => m.to === MEMBER && m.subject.includes("3 notifications"));
    for (const issue of issues) expect(mail.text).toContain(issue.title);
    expect(mail.text).toContain(`http://apc.localhost/issues/${issues[0].id}`);
    expect(mail.header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
  });

  it("the digest's day is the organization's day in its time zone (apc: America/Chicago), not the UTC day", async () => {
    await db.update(users).set({ notificationFrequency: "DAILY" }).where(eq(users.id, ids.member));
    await db.update(notifications).set({ read: true }).where(eq(notifications.userId, ids.member));
    const issue = await newIssue();
    await setStatus(admin, issue.id, "In Progress");
    // 03:00 UTC on the 25th is 21:00 on the 24th in Chicago.
    await db
      .update(notifications)
      .set({ createdAt: new Date("2026-11-25T03:00:00Z") })
      .where(and(eq(notifications.userId, ids.member), eq(notifications.actionUrl, `/issues/${issue.id}`)));
    // 23:00 on the 24th in Chicago: the 24th is not over there, so its digest waits (the UTC day would be).
    expect(await queueDailyDigests(db, { now: new Date("2026-11-25T05:00:00Z"), linksFor })).toBe(0);
    // 01:00 on the 25th in Chicago: the digest of the 24th, Chicago time, lists it.
    expect(await queueDailyDigests(db, { now: new Date("2026-11-25T07:00:00Z"), linksFor })).toBe(1);
    const [row] = await db
      .select()
      .from(mailOutbox)
      .where(
        and(eq(mailOutbox.toAddress, MEMBER), like(mailOutbox.dedupeKey, `digest:${ids.member}:${apc}:2026-11-24`)),
      );
    expect(row.textBody).toContain(issue.title);
  });
});

describe("the admin's outbox page", () => {
  it("lists notification e-mails without their one-click unsubscribe links", async () => {
    const issue = await newIssue();
    const [row] = await queuedTo(GARY, issue.title);
    const link = /https?:\/\/\S+\/notifications\/unsubscribe\/\S+/.exec(row.textBody)![0];
    const page = await admin.get("/admin/outbox");
    expect(page.status).toBe(200);
    expect(page.text).toContain(issue.title);
    expect(page.text).not.toContain("/notifications/unsubscribe/");
    expect(page.text).not.toContain(link.split("/").pop()!);
  });
});

describe("a choice per kind of event", () => {
  const choose = async (choices: Record<string, string>) => {
    const res = await gary.post("/notifications", {
      intent: "settings",
      emailNotificationsEnabled: "on",
      "email:ISSUE_ASSIGNED": "IMMEDIATE",
      "email:ISSUE_COMMENTED": "IMMEDIATE",
      "email:MACHINE_MAINTENANCE": "IMMEDIATE",
      ...choices,
    });
    expect(res.status).toBe(200);
  };

  it("right away, daily digest or off per kind, honoured by the e-mail path and the digest", async () => {
    await choose({ "email:ISSUE_CREATED": "OFF", "email:ISSUE_UPDATED": "IMMEDIATE" });
    const page = await gary.get("/notifications");
    expect(page.text).toContain("New issue on a machine I own");
    const quiet = await newIssue();
    expect(await queuedTo(GARY, quiet.title)).toHaveLength(0);
    await setStatus(admin, quiet.id, "In Progress");
    expect(await queuedTo(GARY, quiet.title)).toHaveLength(1);

    await choose({ "email:ISSUE_CREATED": "IMMEDIATE", "email:ISSUE_UPDATED": "DAILY" });
    await db.update(notifications).set({ read: true }).where(eq(notifications.userId, ids.gary));
    const later = await newIssue();
    await setStatus(admin, later.id, "Needs Parts");
    const now = await queuedTo(GARY, later.title);
    expect(now).toHaveLength(1);
    expect(now[0].textBody).toContain("New issue on your");

    // As of tomorrow, "yesterday" in the organization's zone is today.
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
    const linksFor = (sub: string) => (p: string) => new URL(p, `http://${sub}.localhost`).toString();
    await queueDailyDigests(db, { now: tomorrow, linksFor });
    const [digest] = await db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.toAddress, GARY), eq(mailOutbox.kind, "notification_digest")));
    expect(digest.textBody).toContain("Needs Parts");
    expect(digest.textBody).not.toContain("New issue on your");
  });

  it("refuses a choice that does not exist (400) and keeps the saved ones", async () => {
    await choose({ "email:ISSUE_CREATED": "OFF", "email:ISSUE_UPDATED": "DAILY" });
    const bad = await gary.post("/notifications", {
      intent: "settings",
      "email:ISSUE_ASSIGNED": "HOURLY",
      "email:ISSUE_COMMENTED": "OFF",
      "email:ISSUE_CREATED": "OFF",
      "email:ISSUE_UPDATED": "OFF",
      "email:MACHINE_MAINTENANCE": "OFF",
    });
    expect(bad.status).toBe(400);
    const [u] = await db.select().from(users).where(eq(users.id, ids.gary));
    expect(u.emailNotificationsEnabled).toBe(true);
    expect(u.emailFrequencyByKind).toEqual({
      ISSUE_ASSIGNED: "IMMEDIATE",
      ISSUE_COMMENTED: "IMMEDIATE",
      ISSUE_CREATED: "OFF",
      ISSUE_UPDATED: "DAILY",
      MACHINE_MAINTENANCE: "IMMEDIATE",
    });
  });
});

describe("one-click unsubscribe", () => {
  it("a POST from anywhere turns e-mails off; later events send nothing", async () => {
    const first = await newIssue();
    const [mail] = await delivered(GARY, first.title, 1);
    const url = new URL(/^<([^>]+)>$/.exec(mail.header("list-unsubscribe") ?? "")![1]);

    const stranger = server.client();
    const page = await stranger.get(url.pathname);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Turn off notification e-mails");
    // Looking at the page changes nothing.
    const [still] = await db.select().from(users).where(eq(users.id, ids.gary));
    expect(still.emailNotificationsEnabled).toBe(true);

    // A mail provider posts from its own origin (RFC 8058).
    const res = await stranger.post(
      url.pathname,
      { "List-Unsubscribe": "One-Click" },
      { Origin: "https://mail.example" },
    );
    expect(res.status).toBe(200);
    const [after] = await db.select().from(users).where(eq(users.id, ids.gary));
    expect(after.emailNotificationsEnabled).toBe(false);

    const second = await newIssue();
    await setStatus(admin, second.id, "In Progress");
    expect(await queuedTo(GARY, second.title)).toHaveLength(0);
  });

  it("forged or altered links are not found and change nothing", async () => {
    const stranger = server.client();
    const forged = `/notifications/unsubscribe/${ids.gary}.${apc}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
    expect((await stranger.get(forged)).status).toBe(404);
    expect((await stranger.post(forged, { "List-Unsubscribe": "One-Click" })).status).toBe(404);
    expect((await stranger.get("/notifications/unsubscribe/nonsense")).status).toBe(404);
    const [u] = await db.select().from(users).where(eq(users.id, ids.gary));
    expect(u.emailNotificationsEnabled).toBe(true);
  });

  it("other state-changing posts from another origin are still refused", async () => {
    const res = await server
      .client()
      .post("/notifications/unsubscribe", { x: "1" }, { Origin: "https://mail.example" });
    expect(res.status).toBe(403);
  });
});
