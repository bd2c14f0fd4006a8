/**
 * The public report form on the machine page (/m/<id>) over real HTTP, as an anonymous player: a report creates the
 * issue, its CREATED history row, the photo attachment and the owner's notification; every bad input is refused
 * with a message and writes NOTHING (no rows, no files); honeypot; rate limits (429 + Retry-After); "me too" counts
 * once per browser (cookie) or user; the follow page; no reporter or member emails in public HTML; cross-tenant.
 */
import fs from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RULES, hit, resetRateLimits } from "~/lib/rate-limit.server";
import {
  attachments,
  issueHistory,
  issueStatuses,
  issues,
  locations,
  machines,
  notifications,
  organizations,
  priorities,
  upvotes,
} from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import {
  machineByName,
  makeTempUploadDir,
  openIssueIdOn,
  openIssueOf,
  orgIdOf,
  userIdOf,
  visible,
} from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";
const uploadRoot = makeTempUploadDir();

let t: TestDb;
let server: TestServer;
let apcId: string;
let machineId: string;
let ownerId: string;

const tinyPng = PNG.sync.write(Object.assign(new PNG({ width: 4, height: 4 }), {}));

async function counts() {
  const [i] = await t.db.select({ n: count() }).from(issues);
  const [h] = await t.db.select({ n: count() }).from(issueHistory);
  const [a] = await t.db.select({ n: count() }).from(attachments);
  const [n] = await t.db.select({ n: count() }).from(notifications);
  return {
    issues: Number(i.n),
    history: Number(h.n),
    attachments: Number(a.n),
    notifications: Number(n.n),
    files: listFiles(uploadRoot).length,
  };
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

function reportForm(
  fields: Record<string, string>,
  photo?: { bytes: Uint8Array; name: string; type: string },
): FormData {
  const fd = new FormData();
  fd.append("intent", "report");
  for (const [k, v] of Object.entries({ website: "", ...fields })) fd.append(k, v);
  if (photo) fd.append("photo", new Blob([photo.bytes as BlobPart], { type: photo.type }), photo.name);
  else fd.append("photo", new Blob([], { type: "application/octet-stream" }), "");
  return fd;
}

function player(org = "apc"): TestClient {
  return server.client({ org });
}

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  server = await startTestServer(t.db);
  apcId = await orgIdOf(t.db, "apc");
  // A machine with an owner whose notifications are on.
  ownerId = await userIdOf(t.db, "gary.stern@pinpoint.dev");
  const [m] = await t.db
    .select({ id: machines.id })
    .from(machines)
    .where(and(eq(machines.organizationId, apcId), eq(machines.ownerId, ownerId)))
    .limit(1);
  machineId = m.id;
  await t.db
    .update(machines)
    .set({ ownerNotificationsEnabled: true, notifyOnNewIssues: true })
    .where(eq(machines.id, machineId));
});

afterAll(async () => {
  await server?.close();
  await t?.close();
  fs.rmSync(uploadRoot, { recursive: true, force: true });
});

beforeEach(() => resetRateLimits());

describe("reporting without an account", () => {
  it("creates the issue in the default status and priority, its history, the photo and the owner notification", async () => {
    const before = await counts();
    const res = await player().post(
      `/m/${machineId}`,
      reportForm(
        { title: "Left flipper weak", description: "Barely makes the ramp.", name: "Pat", email: "Pat@Example.com" },
        { bytes: tinyPng, name: "flipper.png", type: "image/png" },
      ),
    );
    expect(res.status).toBe(302);
    const token = res.location!.match(/^\/follow\/([^?]+)\?new=1$/)![1];

    const [issue] = await t.db
      .select({
        id: issues.id,
        createdById: issues.createdById,
        reporterEmail: issues.reporterEmail,
        submitterName: issues.submitterName,
        status: issueStatuses.name,
        priority: priorities.name,
        organizationId: issues.organizationId,
      })
      .from(issues)
      .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
      .innerJoin(priorities, eq(priorities.id, issues.priorityId))
      .where(eq(issues.followToken, token));
    expect(issue).toMatchObject({
      createdById: null,
      reporterEmail: "pat@example.com",
      submitterName: "Pat",
      status: "New",
      priority: "Medium",
      organizationId: apcId,
    });

    const history = await t.db.select().from(issueHistory).where(eq(issueHistory.issueId, issue.id));
    expect(history).toHaveLength(2);
    expect(history.find((h) => h.type === "CREATED")).toMatchObject({ actorId: null, organizationId: apcId });
    // The photo sent with the report is on the timeline too.
    expect(history.find((h) => h.type === "ATTACHMENT_ADDED")).toMatchObject({
      actorId: null,
      // Every photo is stored re-encoded as WebP (tests/integration/photos.test.ts).
      newValue: "flipper.webp",
      organizationId: apcId,
    });

    const [att] = await t.db.select().from(attachments).where(eq(attachments.issueId, issue.id));
    expect(att).toMatchObject({ fileType: "image/webp", fileName: "flipper.webp", organizationId: apcId });
    expect(att.url.startsWith(`${apcId}/`)).toBe(true);
    expect(fs.existsSync(path.join(uploadRoot, att.url))).toBe(true);

    const [note] = await t.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, ownerId), eq(notifications.entityId, issue.id)));
    expect(note).toMatchObject({ type: "ISSUE_CREATED", entityType: "ISSUE", actionUrl: `/issues/${issue.id}` });
    expect(note.message).toContain("Left flipper weak");

    const after = await counts();
    expect(after).toEqual({
      issues: before.issues + 1,
      history: before.history + 2,
      attachments: before.attachments + 1,
      notifications: before.notifications + 1,
      // The photo and its preview.
      files: before.files + 2,
    });

    // The confirmation / follow page: status in plain words, no email.
    const follow = await player().get(res.location!);
    expect(follow.status).toBe(200);
    expect(follow.text).toContain("Thanks! Your report was received.");
    expect(follow.text).toContain("Left flipper weak");
    expect(visible(follow.text)).toContain(">Open<");
    expect(follow.text).toContain("Problem reported");
    expect(follow.text).not.toContain("pat@example.com");

    // Listed on the machine page without the reporter's name or email.
    const page = await player().get(`/m/${machineId}`);
    expect(page.text).toContain("Left flipper weak");
    expect(page.text.toLowerCase()).not.toContain("pat@example.com");
  });

  it("does not notify an owner who turned new-issue notifications off", async () => {
    await t.db.update(machines).set({ notifyOnNewIssues: false }).where(eq(machines.id, machineId));
    try {
      const before = await counts();
      const res = await player().post(`/m/${machineId}`, reportForm({ title: "Coin door lock stuck" }));
      expect(res.status).toBe(302);
      const after = await counts();
      expect(after.issues).toBe(before.issues + 1);
      expect(after.notifications).toBe(before.notifications);
    } finally {
      await t.db.update(machines).set({ notifyOnNewIssues: true }).where(eq(machines.id, machineId));
    }
  });

  it("works as a plain urlencoded form too (no file input)", async () => {
    const res = await player().post(`/m/${machineId}`, { intent: "report", title: "Plunger sticks", website: "" });
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/follow\//);
  });
});

describe("refusals write nothing", () => {
  const cases: Array<[string, () => FormData, number, string]> = [
    ["empty title", () => reportForm({ title: "   " }), 400, "Give the problem a short title"],
    ["10 kB title", () => reportForm({ title: "x".repeat(10_000) }), 400, "Keep the title under 255 characters"],
    [
      "long description",
      () => reportForm({ title: "ok", description: "y".repeat(2001) }),
      400,
      "under 2,000 characters",
    ],
    ["bad email", () => reportForm({ title: "Bad email", email: "not-an-email" }), 400, "Enter a valid email address"],
    ["long name", () => reportForm({ title: "Long name", name: "n".repeat(101) }), 400, "under 100 characters"],
    [
      "text file named .png",
      () =>
        reportForm(
          { title: "Fake photo" },
          { bytes: new TextEncoder().encode("hello, I am not an image"), name: "photo.png", type: "image/png" },
        ),
      400,
      "not a photo we can accept",
    ],
    [
      "GIF (not accepted)",
      () =>
        reportForm(
          { title: "GIF" },
          {
            bytes: Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64"),
            name: "a.gif",
            type: "image/gif",
          },
        ),
      400,
      "Use a JPEG, PNG or WebP image",
    ],
    [
      "photo over 5 MB",
      () =>
        reportForm(
          { title: "Huge photo" },
          { bytes: Buffer.concat([tinyPng, Buffer.alloc(5.5 * 1024 * 1024)]), name: "big.png", type: "image/png" },
        ),
      400,
      "The photo is too large: at most 5 MB.",
    ],
  ];

  it.each(cases)("%s → %i with a message", async (_name, form, status, message) => {
    const before = await counts();
    const res = await player().post(`/m/${machineId}`, form());
    expect(res.status).toBe(status);
    expect(res.text).toContain(message);
    expect(await counts()).toEqual(before);
  });

  it("fields of the wrong shape (a file for the title, repeated fields) are refused with a message", async () => {
    const before = await counts();
    const fileTitle = new FormData();
    fileTitle.append("intent", "report");
    fileTitle.append("title", new Blob(["Left flipper"], { type: "text/plain" }), "title.txt");
    const asFile = await player().post(`/m/${machineId}`, fileTitle);
    expect(asFile.status).toBe(400);
    expect(asFile.text).toContain("Give the problem a short title");
    const twoKeys = await player().post(`/m/${machineId}`, {
      intent: "report",
      title: "Two keys",
      idempotencyKey: ["a".repeat(20), "b".repeat(20)],
    });
    expect(twoKeys.status).toBe(400);
    expect(twoKeys.text).toContain("This form is out of date");
    const issueId = await openIssueIdOn(t.db, machineId);
    if (!issueId) throw new Error("the test machine has no open issue");
    const [{ n: votesBefore }] = await t.db.select({ n: count() }).from(upvotes);
    const twoIssues = await player().post(`/m/${machineId}`, { intent: "metoo", issueId: [issueId, issueId] });
    expect(twoIssues.status).toBe(400);
    expect(twoIssues.text).toContain("Choose a problem from the list.");
    const [{ n: votesAfter }] = await t.db.select({ n: count() }).from(upvotes);
    expect(Number(votesAfter)).toBe(Number(votesBefore));
    expect(await counts()).toEqual(before);
  });

  it("keeps the typed values when the form comes back", async () => {
    const res = await player().post(`/m/${machineId}`, reportForm({ title: "Keep me", email: "nope" }));
    expect(res.status).toBe(400);
    expect(res.text).toContain('value="Keep me"');
  });

  it("a body over 6 MB is refused early with 413", async () => {
    const before = await counts();
    const res = await player().post(
      `/m/${machineId}`,
      reportForm(
        { title: "Way too big" },
        { bytes: Buffer.concat([tinyPng, Buffer.alloc(7 * 1024 * 1024)]), name: "huge.png", type: "image/png" },
      ),
    );
    expect(res.status).toBe(413);
    expect(res.text).toContain("The form is too large");
    expect(await counts()).toEqual(before);
  });

  it("the honeypot pretends success and stores nothing", async () => {
    const before = await counts();
    const res = await player().post(
      `/m/${machineId}`,
      reportForm({ title: "Cheap pills", website: "http://spam.example" }),
    );
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/m/${machineId}?thanks=1`);
    expect(await counts()).toEqual(before);
    const page = await player().get(res.location!);
    expect(page.text).toContain("Thanks! Your report was sent");
  });

  it("when the transaction fails, the saved photo is removed again (no orphan file, no rows)", async () => {
    // An organization without statuses or priorities: creating the issue fails after the photo was written.
    const [gamma] = await t.db
      .insert(organizations)
      .values({ name: "Gamma Pins", subdomain: "gamma" })
      .returning({ id: organizations.id });
    const [loc] = await t.db
      .insert(locations)
      .values({ name: "Gamma Hall", organizationId: gamma.id })
      .returning({ id: locations.id });
    const template = await machineByName(t.db, apcId, "Cleopatra");
    const [m] = await t.db
      .insert(machines)
      .values({ name: "Gamma Cleo", organizationId: gamma.id, locationId: loc.id, modelId: template.modelId })
      .returning({ id: machines.id });
    const before = await counts();
    const res = await player("gamma").post(
      `/m/${m.id}`,
      reportForm({ title: "Fails" }, { bytes: tinyPng, name: "p.png", type: "image/png" }),
    );
    expect(res.status).toBe(409);
    expect(res.text).toContain("Reports cannot be taken");
    expect(await counts()).toEqual(before);
  });

  it("an unknown machine or another organization's machine is 404", async () => {
    const before = await counts();
    expect((await player().post("/m/nosuchmachine", reportForm({ title: "x" }))).status).toBe(404);
    const apcMachine = await machineByName(t.db, apcId, "Cleopatra");
    expect((await player("beta").post(`/m/${apcMachine.id}`, reportForm({ title: "Cross-tenant" }))).status).toBe(404);
    expect((await player("beta").get(`/m/${apcMachine.id}`)).status).toBe(404);
    expect(await counts()).toEqual(before);
  });
});

describe("rate limits", () => {
  it("per address: the 6th report in 15 minutes is 429 with Retry-After, and stores nothing", async () => {
    const c = player();
    for (let i = 0; i < RULES.reportPerIp.limit; i++) {
      // confirmNew: "Report 1" resembles "Report 0" (the duplicate guard, tests/integration/duplicate-guard.test.ts).
      expect((await c.post(`/m/${machineId}`, reportForm({ title: `Report ${i}`, confirmNew: "1" }))).status).toBe(302);
    }
    const before = await counts();
    const res = await c.post(`/m/${machineId}`, reportForm({ title: "One too many" }));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(res.text).toContain("Please wait");
    expect(await counts()).toEqual(before);
  });

  it("per machine: once the machine's hourly budget is used, reports are 429", async () => {
    for (let i = 0; i < RULES.reportPerMachine.limit; i++)
      await hit(t.db, `report:machine:${machineId}`, RULES.reportPerMachine);
    const before = await counts();
    const res = await player().post(`/m/${machineId}`, reportForm({ title: "Flooded" }));
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBeTruthy();
    expect(await counts()).toEqual(before);
    // Another machine still takes reports.
    const other = await machineByName(t.db, apcId, "Cleopatra");
    expect((await player().post(`/m/${other.id}`, reportForm({ title: "Different machine" }))).status).toBe(302);
  });
});

describe("me too", () => {
  const openIssue = (name: string) => openIssueOf(t.db, apcId, name);

  async function votes(issueId: string) {
    return t.db.select().from(upvotes).where(eq(upvotes.issueId, issueId));
  }

  it("counts once per browser (httpOnly SameSite=Lax cookie) and once per signed-in user", async () => {
    const { machine, issueId } = await openIssue("Ultraman: Kaiju Rumble (Blood Sucker Edition)");
    const a = player();
    const first = await a.post(`/m/${machine.id}`, { intent: "metoo", issueId });
    expect(first.status).toBe(302);
    expect(first.location).toBe(`/m/${machine.id}?voted=${issueId}#issue-${issueId}`);
    const cookie = first.setCookies.find((c) => c.startsWith("pinpoint_voter="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(await votes(issueId)).toHaveLength(1);

    const again = await a.post(`/m/${machine.id}`, { intent: "metoo", issueId });
    expect(again.status).toBe(302);
    expect(again.location).toContain("already=1");
    expect(await votes(issueId)).toHaveLength(1);
    const page = await a.get(`/m/${machine.id}`);
    expect(page.text).toContain("You said me too");
    expect(visible(page.text)).toContain("1 person said me too");

    const b = player();
    await b.post(`/m/${machine.id}`, { intent: "metoo", issueId });
    expect(await votes(issueId)).toHaveLength(2);

    const member = player();
    await member.login("player@dev.local");
    await member.post(`/m/${machine.id}`, { intent: "metoo", issueId });
    await member.post(`/m/${machine.id}`, { intent: "metoo", issueId });
    const rows = await votes(issueId);
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r.userId === null).every((r) => r.voterKey)).toBe(true);
    expect(rows.filter((r) => r.userId)).toHaveLength(1);
  });

  it("refuses closed issues and issues of other machines or organizations (404, nothing stored)", async () => {
    const m = await machineByName(t.db, apcId, "Cleopatra");
    const [closed] = await t.db
      .select({ id: issues.id, machineId: issues.machineId })
      .from(issues)
      .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
      .where(and(eq(issues.organizationId, apcId), eq(issueStatuses.category, "RESOLVED")))
      .limit(1);
    const [{ n: before }] = await t.db.select({ n: count() }).from(upvotes);
    const res = await player().post(`/m/${closed.machineId}`, { intent: "metoo", issueId: closed.id });
    expect(res.status).toBe(404);
    expect(res.text).toContain("That problem was fixed or is no longer listed.");
    const { issueId } = await openIssue("Ultraman: Kaiju Rumble (Blood Sucker Edition)");
    expect((await player().post(`/m/${m.id}`, { intent: "metoo", issueId })).status).toBe(404);
    const betaOrg = await orgIdOf(t.db, "beta");
    const betaMachine = await machineByName(t.db, betaOrg, "Funhouse");
    expect((await player("beta").post(`/m/${betaMachine.id}`, { intent: "metoo", issueId })).status).toBe(404);
    const [{ n: after }] = await t.db.select({ n: count() }).from(upvotes);
    expect(Number(after)).toBe(Number(before));
  });
});

describe("privacy of public pages", () => {
  it("never shows reporter or member emails", async () => {
    const withEmails = await t.db
      .select({ machineId: issues.machineId, email: issues.reporterEmail })
      .from(issues)
      .where(eq(issues.organizationId, apcId));
    const emails = withEmails.filter((r) => r.email);
    expect(emails.length).toBeGreaterThan(0);
    for (const { machineId: id, email } of emails) {
      const page = await player().get(`/m/${id}`);
      expect(page.status).toBe(200);
      expect(page.text.toLowerCase()).not.toContain(email!.toLowerCase());
      expect(page.text).not.toMatch(/@(dev\.local|pinpoint\.dev|example\.com)/);
    }
    const home = await player().get("/");
    expect(home.text).not.toMatch(/@(dev\.local|pinpoint\.dev|example\.com)/);
    const report = await player().get("/report");
    expect(report.status).toBe(200);
    expect(report.text).not.toMatch(/@(dev\.local|pinpoint\.dev|example\.com)/);
  });

  it("the follow page is tenant-scoped and shows status changes with first names only", async () => {
    const [fixed] = await t.db
      .select({ token: issues.followToken, title: issues.title })
      .from(issues)
      .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
      .where(and(eq(issues.organizationId, apcId), eq(issueStatuses.name, "Fixed")))
      .limit(1);
    const page = await player().get(`/follow/${fixed.token}`);
    expect(page.status).toBe(200);
    expect(visible(page.text)).toContain(">Closed<");
    expect(page.text).toContain("Status changed to");
    expect(page.text).not.toMatch(/@(dev\.local|pinpoint\.dev|example\.com)/);
    expect(page.text).not.toMatch(
      /by (Dev|Roger|Gary|Steve|Keith|Escher) (Admin|Member|Sharpe|Stern|Ritchie|Elwin|Lefkoff)/,
    );
    expect((await player("beta").get(`/follow/${fixed.token}`)).status).toBe(404);
    expect((await player().get("/follow/not-a-real-token-000")).status).toBe(404);
  });

  it("the report picker lists machines by location and searches without JavaScript", async () => {
    const res = await player().get("/report?q=cleo");
    expect(res.status).toBe(200);
    const cleo = await machineByName(t.db, apcId, "Cleopatra");
    expect(res.text).toContain(`href="/m/${cleo.id}"`);
    expect(res.text).not.toContain("Xenon");
    const direct = await player().get(`/report?machineId=${cleo.id}`);
    expect(direct.status).toBe(302);
    expect(direct.location).toBe(`/m/${cleo.id}`);
  });
});
