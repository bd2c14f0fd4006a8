/**
 * "Is it one of these?" (docs/decisions/038-trigram-search-and-duplicate-guard.md) over real HTTP as an anonymous
 * player on the demo data: a report resembling an open issue of the same machine answers 200 with the matches, a
 * "Me too" form each and "No, it's something new" (the same values and key with confirmNew=1); nothing is stored or
 * counted until the player chooses; the key still makes one issue of repeated confirmations; /m/<id>/similar answers
 * the same matches as JSON for the form's script.
 */
import { randomBytes } from "node:crypto";
import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RULES, resetRateLimits } from "~/lib/rate-limit.server";
import { DUPLICATE_TEXT_THRESHOLD, DUPLICATE_TITLE_THRESHOLD } from "../../core/duplicate-guard";
import {
  attachments,
  idempotencyKeys,
  issueHistory,
  issues,
  issueSubscribers,
  notifications,
  permissions,
  rateLimitCounters,
  rolePermissions,
  upvotes,
} from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { machineByName, orgIdOf, roleIdOf, visible } from "../helpers/fixtures";
import { startTestServer, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

let t: TestDb;
let server: TestServer;
let apcId: string;
let ultraman: string;

const ULTRAMAN = "Ultraman: Kaiju Rumble (Blood Sucker Edition)";

async function rowCounts() {
  const tables = { issues, issueHistory, attachments, notifications, upvotes, idempotencyKeys, issueSubscribers };
  const out: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) {
    const [row] = await t.db.select({ n: count() }).from(table);
    out[name] = Number(row.n);
  }
  const [limits] = await t.db.select({ n: count() }).from(rateLimitCounters);
  out.rateLimitCounters = Number(limits.n);
  return out;
}

function reportBody(fields: Record<string, string>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries({ intent: "report", website: "", ...fields })) fd.append(k, v);
  return fd;
}

const newKey = () => randomBytes(16).toString("base64url");

/** The hidden inputs of the "No, it's something new" form in a guard answer, as the browser would send them. */
function confirmFields(html: string): Record<string, string> {
  const start = html.indexOf('name="confirmNew"');
  expect(start, "the answer has a confirmNew form").toBeGreaterThan(0);
  const formStart = html.lastIndexOf("<form", start);
  const form = html.slice(formStart, html.indexOf("</form>", start));
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields[m[1]] = decode(m[2]);
  return fields;
}

function decode(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  server = await startTestServer(t.db);
  apcId = await orgIdOf(t.db, "apc");
  ultraman = (await machineByName(t.db, apcId, ULTRAMAN)).id;
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

describe("the report form's duplicate guard (no JavaScript)", () => {
  it("a report like an open issue of the machine answers 200 with the matches and stores nothing", async () => {
    const before = await rowCounts();
    const key = newKey();
    const res = await server.client({ org: "apc" }).post(
      `/m/${ultraman}`,
      reportBody({
        title: "left fliper weak",
        description: "can't hold the ball <b>up</b>",
        name: "Sam",
        email: "sam@example.com",
        idempotencyKey: key,
      }),
    );
    expect(res.status).toBe(200);
    const text = visible(res.text);
    expect(text).toContain("Is it one of these?");
    expect(text).toContain("Left flipper feels weak");
    expect(text).toContain("Open"); // its status in words
    expect(text).toContain("No, it’s something new");
    // A "Me too" form for the match, with the address the player typed.
    expect(res.text).toMatch(/name="intent" value="metoo"/);
    expect(res.text).toContain('value="sam@example.com"');
    // Not offered: the machine's issue about the kaiju figures (open, but not alike).
    const offered = visible(res.text.slice(res.text.indexOf("similar-heading"), res.text.indexOf('name="confirmNew"')));
    expect(offered).toContain("Left flipper feels weak");
    expect(offered).not.toContain("Kaiju figures");
    const resend = confirmFields(res.text);
    expect(resend).toMatchObject({
      intent: "report",
      confirmNew: "1",
      title: "left fliper weak",
      description: "can't hold the ball <b>up</b>",
      name: "Sam",
      email: "sam@example.com",
      idempotencyKey: key,
    });
    expect(res.text).not.toContain("<b>up</b>"); // escaped
    expect(await rowCounts()).toEqual(before);
  });

  it("“No, it’s something new” files it once with the same key; the original submit then leads to it too", async () => {
    const c = server.client({ org: "apc" });
    const key = newKey();
    const first = await c.post(`/m/${ultraman}`, reportBody({ title: "Left flipper is weak", idempotencyKey: key }));
    expect(first.status).toBe(200);
    const before = await rowCounts();
    const resend = confirmFields(first.text);
    const filed = await c.post(`/m/${ultraman}`, reportBody(resend));
    expect(filed.status).toBe(302);
    expect(filed.location).toMatch(/^\/follow\/[^/]+\?new=1$/);
    const after = await rowCounts();
    expect(after.issues).toBe(before.issues + 1);
    // Tapped twice, or the first form sent again: the same answer, no second issue.
    expect((await c.post(`/m/${ultraman}`, reportBody(resend))).location).toBe(filed.location);
    const again = await c.post(`/m/${ultraman}`, reportBody({ title: "Left flipper is weak", idempotencyKey: key }));
    expect(again.location).toBe(filed.location);
    expect((await rowCounts()).issues).toBe(after.issues);
  });

  it("guard answers are not counted against the report limits", async () => {
    const c = server.client({ org: "apc" });
    for (let i = 0; i <= RULES.reportPerIp.limit; i++) {
      const res = await c.post(`/m/${ultraman}`, reportBody({ title: "Display flickers", idempotencyKey: newKey() }));
      expect(res.status).toBe(200);
    }
    const res = await c.post(
      `/m/${ultraman}`,
      reportBody({ title: "Display flickers", idempotencyKey: newKey(), confirmNew: "1" }),
    );
    expect(res.status).toBe(302);
  });

  it("files at once what resembles nothing open on this machine", async () => {
    const c = server.client({ org: "apc" });
    // Nothing like it on the machine.
    expect((await c.post(`/m/${ultraman}`, reportBody({ title: "Coin mech jammed" }))).status).toBe(302);
    // Like its closed issue only.
    expect((await c.post(`/m/${ultraman}`, reportBody({ title: "Auto-launch fires twice" }))).status).toBe(302);
    // Like an open issue of another machine only.
    const cleopatra = await machineByName(t.db, apcId, "Cleopatra");
    expect((await c.post(`/m/${cleopatra.id}`, reportBody({ title: "Left flipper feels weak" }))).status).toBe(302);
  });

  it("the guard's “Me too” counts the vote", async () => {
    const c = server.client({ org: "apc" });
    const res = await c.post(`/m/${ultraman}`, reportBody({ title: "kaiju figures not responding" }));
    expect(res.status).toBe(200);
    const issueId = /name="issueId" value="([^"]+)"/.exec(res.text)![1];
    const [before] = await t.db.select({ n: count() }).from(upvotes);
    const vote = await c.post(`/m/${ultraman}`, { intent: "metoo", issueId, email: "" });
    expect(vote.status).toBe(302);
    expect(vote.location).toContain(`voted=${issueId}`);
    const [after] = await t.db.select({ n: count() }).from(upvotes);
    expect(Number(after.n)).toBe(Number(before.n) + 1);
  });
});

describe("matches while typing: /m/<id>/similar", () => {
  it("answers the matching open issues of the machine as JSON, titles and statuses only", async () => {
    const c = server.client({ org: "apc" });
    const res = await c.get(`/m/${ultraman}/similar?q=${encodeURIComponent("weak flipper")}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = JSON.parse(res.text) as { issues: { id: string; title: string; status: string }[] };
    expect(body.issues.map((i) => i.title)).toContain("Left flipper feels weak");
    expect(Object.keys(body.issues[0]).sort()).toEqual(["id", "status", "title", "upvoteCount"]);
    const none = JSON.parse((await c.get(`/m/${ultraman}/similar?q=ab`)).text) as { issues: unknown[] };
    expect(none.issues).toEqual([]);
    const unrelated = JSON.parse((await c.get(`/m/${ultraman}/similar?q=tilt%20too%20sensitive`)).text) as {
      issues: unknown[];
    };
    expect(unrelated.issues).toEqual([]);
  });

  it("the stated thresholds on the demo data: a differently worded title is caught by the text measure", async () => {
    // docs/decisions/038: "trapdoor stays open" / "Trap door doesn't close" is 0.30 by title, under the title
    // threshold; the issue's description says "stays open", so the text measure offers it.
    const rows = await t.db.execute(
      sql`select word_similarity('trapdoor stays open', 'Trap door doesn''t close')::float8 as "byTitle",
        word_similarity('trapdoor stays open', 'Trap door doesn''t close The trap door stays open after the ball goes in.')::float8 as "byText"`,
    );
    const [{ byTitle, byText }] = ((rows as { rows?: unknown[] }).rows ?? (rows as unknown as unknown[])) as {
      byTitle: number;
      byText: number;
    }[];
    expect(byTitle).toBeLessThan(DUPLICATE_TITLE_THRESHOLD);
    expect(byText).toBeGreaterThanOrEqual(DUPLICATE_TEXT_THRESHOLD);
    const funhouse = await machineByName(t.db, apcId, "Funhouse");
    const c = server.client({ org: "apc" });
    const found = JSON.parse(
      (await c.get(`/m/${funhouse.id}/similar?q=${encodeURIComponent("trapdoor stays open")}`)).text,
    ) as {
      issues: { title: string }[];
    };
    expect(found.issues.map((i) => i.title)).toContain("Trap door doesn't close");
    const res = await c.post(`/m/${funhouse.id}`, reportBody({ title: "trapdoor stays open" }));
    expect(res.status).toBe(200);
    expect(visible(res.text)).toContain("Is it one of these?");
    expect(res.text).toMatch(/Trap door doesn(&#x27;|')t close/);
  });

  it("visitors who may not see issues are shown none: the report is filed at once", async () => {
    const roleId = await roleIdOf(t.db, "apc", "Unauthenticated");
    const [perm] = await t.db
      .select({ id: permissions.id })
      .from(permissions)
      .where(eq(permissions.name, "issue:view"));
    await t.db
      .delete(rolePermissions)
      .where(and(eq(rolePermissions.roleId, roleId), eq(rolePermissions.permissionId, perm.id)));
    try {
      const c = server.client({ org: "apc" });
      const similar = await c.get(`/m/${ultraman}/similar?q=${encodeURIComponent("left flipper weak")}`);
      expect(similar.status).toBe(200);
      expect(JSON.parse(similar.text)).toEqual({ issues: [] });
      const res = await c.post(`/m/${ultraman}`, reportBody({ title: "left flipper weak", idempotencyKey: newKey() }));
      expect(res.status).toBe(302);
      expect(res.location).toMatch(/^\/follow\//);
    } finally {
      await t.db.insert(rolePermissions).values({ roleId, permissionId: perm.id }).onConflictDoNothing();
    }
  });

  it("another organization's machine, or none, is 404", async () => {
    expect((await server.client({ org: "beta" }).get(`/m/${ultraman}/similar?q=flipper`)).status).toBe(404);
    expect((await server.client({ org: "apc" }).get(`/m/nope/similar?q=flipper`)).status).toBe(404);
  });

  it("the machine page carries the live region and its small inline script, and still no client bundle", async () => {
    const res = await server.client({ org: "apc" }).get(`/m/${ultraman}`);
    expect(res.text).toContain('id="similar-live" aria-live="polite"');
    expect(res.text).toContain(`data-similar="/m/${ultraman}/similar"`);
    expect(res.text).toMatch(/<script nonce="[^"]+">\(function\(\)\{/);
    expect(res.text).not.toMatch(/<script[^>]+src=/);
    expect(res.text).not.toContain("modulepreload");
  });
});
