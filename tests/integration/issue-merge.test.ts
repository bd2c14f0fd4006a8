/**
 * Merging duplicates (app/use-cases/issue-merge.server.ts) through the real issue page action on a real database,
 * with the real mail worker and a real SMTP server: B merged into A is closed as "Duplicate" (the status is created
 * once), both timelines name the other issue, B's votes and e-mail subscriptions move to A without counting anyone
 * twice, B's comments show on A's page, closing A tells B's reporter; an unmerge puts back exactly what moved and
 * reopens B in its earlier status. Self-merges, chains, other organizations and visitors are refused and change
 * nothing.
 */
import fs from "node:fs";
import { and, eq, inArray } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import { DUPLICATE_STATUS_NAME } from "../../core/issue-merge";
import { createRole } from "../../db/queries/roles.server";
import {
  issueHistory,
  issueMerges,
  issues,
  issueStatuses,
  issueSubscribers,
  machines,
  mailOutbox,
  upvotes,
} from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { makeTempUploadDir, orgIdOf, setRoleDirect, signedIn, visible } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";
import { startTestSmtp, type TestSmtp } from "../helpers/smtp";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";
const uploadRoot = makeTempUploadDir("pinpoint-merge-uploads-");

let t: TestDb;
let smtp: TestSmtp;
let server: TestServer;
let admin: TestClient;
let apc: string;
let machineId: string;
let betaIssueId: string;
let betaMachineId: string;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  smtp = await startTestSmtp();
  server = await startTestServer(t.db, { mail: { smtpUrl: smtp.url } });
  admin = await signedIn(server, "admin@dev.local");
  apc = await orgIdOf(t.db, "apc");
  const [m] = await t.db.select({ id: machines.id }).from(machines).where(eq(machines.organizationId, apc)).limit(1);
  machineId = m.id;
  const beta = await orgIdOf(t.db, "beta");
  const [b] = await t.db.select({ id: issues.id }).from(issues).where(eq(issues.organizationId, beta)).limit(1);
  betaIssueId = b.id;
  const [bm] = await t.db.select({ id: machines.id }).from(machines).where(eq(machines.organizationId, beta)).limit(1);
  betaMachineId = bm.id;
});

afterAll(async () => {
  await server?.close();
  await smtp?.close();
  await t?.close();
  fs.rmSync(uploadRoot, { recursive: true, force: true });
});

beforeEach(() => resetRateLimits());

/** An anonymous report with an address: answers the issue id. */
async function report(title: string, email: string, where = { org: "apc", machine: "" }): Promise<string> {
  const res = await server
    .client({ org: where.org })
    .post(`/m/${where.machine || machineId}`, { intent: "report", title, website: "", email, confirmNew: "1" });
  expect(res.status).toBe(302);
  const token = decodeURIComponent(
    res
      .location!.replace(/\?new=1$/, "")
      .split("/")
      .pop()!,
  );
  const [issue] = await t.db.select({ id: issues.id }).from(issues).where(eq(issues.followToken, token));
  return issue.id;
}

async function state(issueId: string) {
  const [row] = await t.db
    .select({ statusName: issueStatuses.name, mergedIntoId: issues.mergedIntoId, resolvedAt: issues.resolvedAt })
    .from(issues)
    .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
    .where(eq(issues.id, issueId));
  const votes = await t.db.select({ id: upvotes.id }).from(upvotes).where(eq(upvotes.issueId, issueId));
  const subs = await t.db
    .select({ id: issueSubscribers.id, email: issueSubscribers.email })
    .from(issueSubscribers)
    .where(eq(issueSubscribers.issueId, issueId));
  return {
    ...row,
    votes: votes.map((v) => v.id).sort(),
    subs: subs.map((s) => s.email).sort(),
  };
}

async function history(issueId: string) {
  return t.db
    .select({ type: issueHistory.type, field: issueHistory.field, newValue: issueHistory.newValue })
    .from(issueHistory)
    .where(eq(issueHistory.issueId, issueId));
}

/** The page's text: tags dropped. */
const textOf = (html: string) => visible(html).replace(/<[^>]*>/g, "");

const merge = (client: TestClient, source: string, target: string) =>
  client.post(`/issues/${source}`, { intent: "merge", targetIssueId: target });

describe("merging a duplicate", () => {
  it("reads the merge choices only when a triager opens the form (?merge=1)", async () => {
    const a = await report("Coil stop on the left flipper burnt out", "choice-a@example.com");
    const b = await report("Right ramp diverter stuck half open", "choice-b@example.com");
    const closed = await admin.get(`/issues/${b}`);
    expect(closed.status).toBe(200);
    // A link relative to the page: the browser (and the router, app/lib/delegated-navigation.ts) resolve it the same.
    expect(closed.text).toContain('href="?merge=1#merge-heading"');
    expect(closed.text).not.toContain('name="targetIssueId"');
    const open = await admin.get(`/issues/${b}?merge=1`);
    expect(open.status).toBe(200);
    expect(open.text).toContain('name="targetIssueId"');
    expect(open.text).toContain(`value="${a}"`);
    // The form posts back to the open form, so a refused choice is shown beside its choices.
    const refused = await admin.post(`/issues/${b}?merge=1`, { intent: "merge", targetIssueId: "" });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('name="targetIssueId"');
  });

  it("closes B as Duplicate, moves votes and followers de-duplicated, shows B on A, tells B's reporter when A closes; unmerge puts it all back", async () => {
    const a = await report("Merge: left flipper weak", "merge.a@example.test");
    const b = await report("Merge: left flipper is weak", "merge.b@example.test");
    // One browser backs both (its vote on B must not count twice on A); another backs only B, with an address that
    // A's reporter also has (that subscription stays on B).
    const both = server.client({ org: "apc" });
    expect((await both.post(`/m/${machineId}`, { intent: "metoo", issueId: a })).status).toBe(302);
    expect((await both.post(`/m/${machineId}`, { intent: "metoo", issueId: b })).status).toBe(302);
    const onlyB = server.client({ org: "apc" });
    const votedB = await onlyB.post(`/m/${machineId}`, { intent: "metoo", issueId: b, email: "merge.a@example.test" });
    expect(votedB.status).toBe(302);
    const comment = await admin.post(`/issues/${b}`, { intent: "comment", content: "Coil sleeve looks worn." });
    expect(comment.status).toBe(200);
    const photo = new FormData();
    photo.append("intent", "attach");
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#c33" } })
      .jpeg()
      .toBuffer();
    photo.append("photo", new File([new Uint8Array(jpeg)], "worn-sleeve.jpg", { type: "image/jpeg" }));
    expect((await admin.post(`/issues/${b}`, photo)).status).toBe(200);
    expect(
      await t.db
        .select()
        .from(issueStatuses)
        .where(and(eq(issueStatuses.organizationId, apc), eq(issueStatuses.name, DUPLICATE_STATUS_NAME))),
    ).toHaveLength(0);
    const beforeA = await state(a);
    const beforeB = await state(b);
    expect(beforeB.votes).toHaveLength(2);

    const res = await merge(admin, b, a);
    expect(res.status).toBe(200);

    const afterA = await state(a);
    const afterB = await state(b);
    expect(afterB.statusName).toBe(DUPLICATE_STATUS_NAME);
    expect(afterB.mergedIntoId).toBe(a);
    expect(afterB.resolvedAt).not.toBeNull();
    // The browser that backed both keeps one vote on A; the other vote moved.
    expect(afterA.votes).toHaveLength(2);
    expect(afterB.votes).toHaveLength(1);
    // B's reporter now follows A; the address A already had stays on B.
    expect(afterA.subs).toEqual(["merge.a@example.test", "merge.b@example.test"]);
    expect(afterB.subs).toEqual(["merge.a@example.test"]);
    const [status] = await t.db
      .select()
      .from(issueStatuses)
      .where(and(eq(issueStatuses.organizationId, apc), eq(issueStatuses.name, DUPLICATE_STATUS_NAME)));
    expect(status.category).toBe("RESOLVED");
    expect(await history(b)).toEqual(
      expect.arrayContaining([
        { type: "RESOLVED", field: "status", newValue: DUPLICATE_STATUS_NAME },
        { type: "MERGED", field: "merged_into", newValue: a },
      ]),
    );
    expect(await history(a)).toEqual(expect.arrayContaining([{ type: "MERGED", field: "merged_from", newValue: b }]));

    const pageA = textOf((await admin.get(`/issues/${a}`)).text);
    expect(pageA).toContain("Merged from Merge: left flipper is weak");
    expect(pageA).toContain("Coil sleeve looks worn.");
    expect(pageA).toContain("merged the duplicate “Merge: left flipper is weak” into this issue");
    // B's photo is reachable from A's page too.
    expect(pageA).toContain("Photo: worn-sleeve");
    const htmlA = visible((await admin.get(`/issues/${a}`)).text);
    const photoLink = /href="(\/attachments\/[^"]+)"[^>]*>Photo: worn-sleeve/.exec(htmlA);
    expect(photoLink, "a link to B's photo on A's page").not.toBeNull();
    expect((await admin.get(photoLink![1])).status).toBe(200);
    const htmlB = (await admin.get(`/issues/${b}`)).text;
    const pageB = textOf(htmlB);
    expect(pageB).toContain("This issue was merged into Merge: left flipper weak");
    // Each timeline's merge entry links the other issue.
    const timelineLink = (html: string, sentence: string, other: string) => {
      const at = html.indexOf(sentence);
      expect(at, sentence).toBeGreaterThan(0);
      return html.slice(at, html.indexOf("</li>", at)).includes(`href="/issues/${other}"`);
    };
    expect(timelineLink(htmlA, "merged the duplicate", b)).toBe(true);
    expect(timelineLink(htmlB, "merged this issue into", a)).toBe(true);

    // Closing A tells B's reporter, once.
    const fixed = (await t.db.select().from(issueStatuses).where(eq(issueStatuses.organizationId, apc))).find(
      (s) => s.name === "Fixed",
    )!;
    expect((await admin.post(`/issues/${a}`, { intent: "status", statusId: fixed.id })).status).toBe(200);
    await smtp.waitFor((all) => all.some((m) => m.to === "merge.b@example.test" && m.subject.startsWith("Fixed:")));
    const toB = smtp.accepted.filter((m) => m.to === "merge.b@example.test" && m.subject.startsWith("Fixed:"));
    expect(toB).toHaveLength(1);
    expect(toB[0].subject).toBe("Fixed: Merge: left flipper weak");

    // Unmerge: exactly what moved goes back, B is open again in its earlier status.
    const undo = await admin.post(`/issues/${b}`, { intent: "unmerge" });
    expect(undo.status).toBe(200);
    const undoneB = await state(b);
    expect(undoneB.statusName).toBe(beforeB.statusName);
    expect(undoneB.mergedIntoId).toBeNull();
    expect(undoneB.resolvedAt).toBeNull();
    expect(undoneB.votes).toEqual(beforeB.votes);
    expect(undoneB.subs).toEqual(beforeB.subs);
    const undoneA = await state(a);
    expect(undoneA.votes).toEqual(beforeA.votes);
    expect(undoneA.subs).toEqual(beforeA.subs);
    expect(await history(b)).toEqual(
      expect.arrayContaining([
        { type: "REOPENED", field: "status", newValue: beforeB.statusName },
        { type: "MERGED", field: "unmerged_from", newValue: a },
      ]),
    );
    expect(await history(a)).toEqual(expect.arrayContaining([{ type: "MERGED", field: "unmerged", newValue: b }]));
    const [record] = await t.db.select().from(issueMerges).where(eq(issueMerges.sourceIssueId, b));
    expect(record.undoneAt).not.toBeNull();
    // A second unmerge is refused.
    expect((await admin.post(`/issues/${b}`, { intent: "unmerge" })).status).toBe(409);
  });

  it("refuses self-merges, chains, other organizations and visitors, changing nothing", async () => {
    const a = await report("Refuse: ball stuck in pop", "refuse.a@example.test");
    const b = await report("Refuse: ball stuck in pops", "refuse.b@example.test");
    const c = await report("Refuse: ball stuck in bumper", "refuse.c@example.test");
    const snapshot = async () => ({
      a: await state(a),
      b: await state(b),
      c: await state(c),
      merges: (
        await t.db
          .select()
          .from(issueMerges)
          .where(inArray(issueMerges.sourceIssueId, [a, b, c]))
      ).length,
    });
    const before = await snapshot();
    expect((await merge(admin, b, b)).status).toBe(400);
    expect((await merge(admin, b, betaIssueId)).status).toBe(404);
    expect((await merge(admin, b, "not-an-issue-id")).status).toBe(404);
    const visitorRes = await merge(server.client({ org: "apc" }), b, a);
    expect(visitorRes.status).toBe(302);
    expect(visitorRes.location).toContain("/login");
    // A member whose role may read and report issues but not edit them: 403, for merging and unmerging alike.
    await createRole(t.db, apc, {
      name: "Merge Reader",
      isDefault: false,
      permissions: ["issue:view", "issue:create", "machine:view"],
    });
    await setRoleDirect(t.db, "player@dev.local", "apc", "Merge Reader");
    const reader = await signedIn(server, "player@dev.local");
    expect((await merge(reader, b, a)).status).toBe(403);
    expect((await reader.post(`/issues/${b}`, { intent: "unmerge" })).status).toBe(403);
    expect(await snapshot()).toEqual(before);

    expect((await merge(admin, b, a)).status).toBe(200);
    const merged = await snapshot();
    // Already merged, into a merged issue, or merging an issue that has duplicates: all 409, nothing changes.
    expect((await merge(admin, b, c)).status).toBe(409);
    expect((await merge(admin, c, b)).status).toBe(409);
    expect((await merge(admin, a, c)).status).toBe(409);
    expect(await snapshot()).toEqual(merged);
    // Nor may the reader undo the merge.
    expect((await reader.post(`/issues/${b}`, { intent: "unmerge" })).status).toBe(403);
    expect(await snapshot()).toEqual(merged);
  });

  it("two merges at once: one Duplicate status, and the same duplicate is merged only once", async () => {
    // beta has no Duplicate status yet: both merges want to create it.
    const org = await orgIdOf(t.db, "beta");
    const betaAdmin = await signedIn(server, "admin@beta.local", "beta");
    const where = { org: "beta", machine: betaMachineId };
    const target = await report("Race: drop target slow", "race.t@example.test", where);
    const x = await report("Race: drop target slow 1", "race.x@example.test", where);
    const y = await report("Race: drop target slow 2", "race.y@example.test", where);
    const [one, two] = await Promise.all([merge(betaAdmin, x, target), merge(betaAdmin, y, target)]);
    expect([one.status, two.status]).toEqual([200, 200]);
    const dup = await t.db
      .select()
      .from(issueStatuses)
      .where(and(eq(issueStatuses.organizationId, org), eq(issueStatuses.name, DUPLICATE_STATUS_NAME)));
    expect(dup).toHaveLength(1);

    const z = await report("Race: drop target slow 3", "race.z@example.test", where);
    const other = await report("Race: drop target slow 4", "race.o@example.test", where);
    const results = await Promise.all([merge(betaAdmin, z, target), merge(betaAdmin, z, other)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await t.db.select().from(issueMerges).where(eq(issueMerges.sourceIssueId, z))).toHaveLength(1);
    // Nothing was mailed for the duplicates themselves (their followers moved; only closing the target tells them).
    expect(await t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, "issue_closed"))).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ toAddress: "race.x@example.test" })]),
    );
  });
});
