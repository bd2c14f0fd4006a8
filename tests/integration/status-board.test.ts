/**
 * The venue status board (/status) and its JSON (/status.json) over real HTTP on the seeded demo data: machines
 * grouped by location, each status equal to what its public machine page (/m/<id>) says, open-problem counts and
 * "last update" against the database, links, the TV variant and the meta refresh, empty states, the visitor role's
 * permissions, CORS and caching of the JSON, no private fields, and no other organization's machines.
 */
import { and, desc, eq, gte, inArray, ne, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MACHINE_STATUS_DESCRIPTION, MACHINE_STATUSES, type MachineStatus } from "../../core/machine-status";
import {
  issueHistory,
  issueStatuses,
  issues,
  locations,
  machines,
  organizations,
  permissions,
  priorities,
  rolePermissions,
} from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { orgIdOf, roleIdOf, signedIn, visible } from "../helpers/fixtures";
import { startTestServer, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

let t: TestDb;
let server: TestServer;
let apc: string;
let beta: string;

interface JsonMachine {
  id: string;
  name: string;
  subtitle: string;
  status: MachineStatus;
  statusLabel: string;
  openIssueCount: number | null;
  lastUpdateAt: string | null;
  url: string;
}
interface JsonBoard {
  organization: { name: string };
  generatedAt: string;
  refreshSeconds: number;
  issuesVisible: boolean;
  lastUpdateWindowDays: number;
  totals: Record<MachineStatus | "machines", number>;
  truncated: boolean;
  locations: { name: string; machines: JsonMachine[] }[];
}

async function board(org = "apc", path = "/status.json"): Promise<JsonBoard> {
  const res = await server.client({ org }).get(path);
  expect(res.status).toBe(200);
  return JSON.parse(res.text) as JsonBoard;
}

/** The machines of the HTML board: id and status per `<li>`, in page order, with the location section around them. */
function htmlMachines(html: string): { locationId: string; id: string; status: string }[] {
  const out: { locationId: string; id: string; status: string }[] = [];
  for (const part of html.split('<section aria-labelledby="loc-').slice(1)) {
    const locationId = part.slice(0, part.indexOf('"'));
    for (const m of part.matchAll(/<li data-machine-id="([^"]+)" data-status="([^"]+)"/g))
      out.push({ locationId, id: m[1], status: m[2] });
  }
  return out;
}

/** The status the public machine page shows, read from its words (core/machine-status.ts descriptions). */
async function publicPageStatus(machineId: string): Promise<MachineStatus> {
  const res = await server.client({ org: "apc" }).get(`/m/${machineId}`);
  expect(res.status).toBe(200);
  const found = MACHINE_STATUSES.filter((s) => visible(res.text).includes(MACHINE_STATUS_DESCRIPTION[s]));
  expect(found).toHaveLength(1);
  return found[0];
}

async function setVisitorPermission(org: string, name: string, granted: boolean) {
  const roleId = await roleIdOf(t.db, org, "Unauthenticated");
  const [perm] = await t.db.select({ id: permissions.id }).from(permissions).where(eq(permissions.name, name));
  if (granted) await t.db.insert(rolePermissions).values({ roleId, permissionId: perm.id }).onConflictDoNothing();
  else
    await t.db
      .delete(rolePermissions)
      .where(and(eq(rolePermissions.roleId, roleId), eq(rolePermissions.permissionId, perm.id)));
}

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { demo: true });
  apc = await orgIdOf(t.db, "apc");
  beta = await orgIdOf(t.db, "beta");
  server = await startTestServer(t.db);

  // Make sure every status occurs: one machine's open issue at the most severe priority ("down"), one at the least
  // ("degraded", unless it has other issues), whatever the demo data holds.
  const [top] = await t.db
    .select({ id: priorities.id })
    .from(priorities)
    .where(eq(priorities.organizationId, apc))
    .orderBy(desc(priorities.order))
    .limit(1);
  const open = await t.db
    .select({ id: issues.id, machineId: issues.machineId })
    .from(issues)
    .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
    .where(and(eq(issues.organizationId, apc), ne(issueStatuses.category, "RESOLVED")))
    .limit(1);
  await t.db.update(issues).set({ priorityId: top.id }).where(eq(issues.id, open[0].id));
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

describe("/status", () => {
  it("groups every machine of the organization by location, each linking to its public page", async () => {
    const res = await server.client({ org: "apc" }).get("/status");
    expect(res.status).toBe(200);
    const rows = await t.db
      .select({ id: machines.id, locationId: machines.locationId, name: machines.name })
      .from(machines)
      .where(eq(machines.organizationId, apc));
    const onPage = htmlMachines(res.text);
    expect(onPage.map((m) => m.id).sort()).toEqual(rows.map((r) => r.id).sort());
    for (const m of onPage) expect(m.locationId).toBe(rows.find((r) => r.id === m.id)!.locationId);
    for (const r of rows) expect(res.text).toContain(`href="/m/${r.id}"`);
    // Each location is one section.
    const sections = [...res.text.matchAll(/<section aria-labelledby="loc-([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(sections).size).toBe(sections.length);
  });

  it("shows each machine with the status its public machine page shows", async () => {
    const onPage = htmlMachines((await server.client({ org: "apc" }).get("/status")).text);
    const seen = new Set<string>();
    for (const m of onPage) {
      expect(m.status, `machine ${m.id}`).toBe(await publicPageStatus(m.id));
      seen.add(m.status);
    }
    expect(seen.has("down")).toBe(true);
    expect(seen.has("playable")).toBe(true);
  });

  it("refreshes itself every minute and has a large-type variant", async () => {
    const normal = await server.client({ org: "apc" }).get("/status");
    expect(normal.text).toMatch(/<meta http-equiv="refresh" content="60"\/?>/);
    expect(normal.text).toContain('data-tv="0"');
    expect(normal.text).toContain('href="/status?tv=1"');
    const tv = await server.client({ org: "apc" }).get("/status?tv=1");
    expect(tv.status).toBe(200);
    expect(tv.text).toMatch(/<meta http-equiv="refresh" content="60"\/?>/);
    expect(tv.text).toContain('data-tv="1"');
    expect(tv.text).toContain("bg-slate-950");
    expect(tv.text).toContain("text-4xl");
    expect(htmlMachines(tv.text).length).toBe(htmlMachines(normal.text).length);
  });

  it("never shows another organization's machines", async () => {
    const betaIds = (
      await t.db.select({ id: machines.id }).from(machines).where(eq(machines.organizationId, beta))
    ).map((r) => r.id);
    expect(betaIds.length).toBeGreaterThan(0);
    const apcPage = await server.client({ org: "apc" }).get("/status");
    const apcJson = (await server.client({ org: "apc" }).get("/status.json")).text;
    for (const id of betaIds) {
      expect(apcPage.text).not.toContain(id);
      expect(apcJson).not.toContain(id);
    }
    const betaBoard = htmlMachines((await server.client({ org: "beta" }).get("/status")).text);
    expect(betaBoard.map((m) => m.id).sort()).toEqual([...betaIds].sort());
  });

  it("says so when there are no locations, and when locations have no machines", async () => {
    const [org] = await t.db
      .insert(organizations)
      .values({ name: "Empty Arcade", subdomain: "emptyarcade" })
      .returning({ id: organizations.id });
    const none = await server.client({ org: "emptyarcade" }).get("/status");
    expect(none.status).toBe(200);
    expect(visible(none.text)).toContain("This venue has no locations yet.");
    await t.db.insert(locations).values({ name: "Back Room", organizationId: org.id });
    const empty = await server.client({ org: "emptyarcade" }).get("/status");
    expect(visible(empty.text)).toContain("No machines on the floor yet.");
    expect(visible(empty.text)).toContain("Back Room");
    expect(visible(empty.text)).toContain("No machines here yet.");
    const json = await board("emptyarcade");
    expect(json.totals.machines).toBe(0);
    expect(json.locations).toEqual([{ name: "Back Room", machines: [] }]);
  });
});

describe("/status.json", () => {
  it("has the board's data: locations, machines, statuses, counts, last update and absolute links", async () => {
    const json = await board();
    expect(json.organization.name).toBeTruthy();
    expect(json.refreshSeconds).toBe(60);
    expect(json.issuesVisible).toBe(true);
    const all = json.locations.flatMap((l) => l.machines);
    expect(json.totals.machines).toBe(all.length);
    for (const s of MACHINE_STATUSES) expect(json.totals[s]).toBe(all.filter((m) => m.status === s).length);

    const open = await t.db
      .select({ machineId: issues.machineId, n: sql<number>`count(*)::int` })
      .from(issues)
      .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
      .where(and(eq(issues.organizationId, apc), ne(issueStatuses.category, "RESOLVED")))
      .groupBy(issues.machineId);
    expect(json.lastUpdateWindowDays).toBe(90);
    const since = new Date(Date.parse(json.generatedAt) - 90 * 24 * 3600 * 1000);
    const last = await t.db
      .select({ machineId: issues.machineId, at: sql<string>`max(${issueHistory.changedAt})` })
      .from(issueHistory)
      .innerJoin(issues, eq(issues.id, issueHistory.issueId))
      .where(
        and(
          eq(issues.organizationId, apc),
          gte(issueHistory.changedAt, since),
          inArray(issueHistory.type, ["CREATED", "STATUS_CHANGED", "PRIORITY_CHANGED", "RESOLVED", "REOPENED"]),
        ),
      )
      .groupBy(issues.machineId);
    const rows = await t.db
      .select({ id: machines.id, locationName: locations.name })
      .from(machines)
      .innerJoin(locations, eq(locations.id, machines.locationId))
      .where(eq(machines.organizationId, apc));
    for (const r of rows) {
      const location = json.locations.find((l) => l.machines.some((m) => m.id === r.id));
      expect(location?.name).toBe(r.locationName);
      const m = all.find((x) => x.id === r.id)!;
      expect(m.openIssueCount, m.name).toBe(open.find((o) => o.machineId === r.id)?.n ?? 0);
      const at = last.find((o) => o.machineId === r.id)?.at;
      expect(m.lastUpdateAt === null ? null : Date.parse(m.lastUpdateAt), m.name).toBe(
        at ? Date.parse(`${at.replace(" ", "T")}Z`) : null,
      );
      expect(m.url).toBe(`${server.url}/m/${r.id}`);
    }
    expect(all.some((m) => m.openIssueCount! > 0)).toBe(true);
    expect(all.some((m) => m.lastUpdateAt !== null)).toBe(true);
  });

  it("counts only public issue events as the last update (a comment does not count)", async () => {
    const before = (await board()).locations.flatMap((l) => l.machines).find((m) => m.lastUpdateAt)!;
    const [issue] = await t.db.select({ id: issues.id }).from(issues).where(eq(issues.machineId, before.id)).limit(1);
    const later = new Date(Date.parse(before.lastUpdateAt!) + 3600_000);
    await t.db.insert(issueHistory).values({
      issueId: issue.id,
      organizationId: apc,
      type: "COMMENTED",
      field: "comment",
      changedAt: later,
    });
    const afterComment = (await board()).locations.flatMap((l) => l.machines).find((m) => m.id === before.id)!;
    expect(afterComment.lastUpdateAt).toBe(before.lastUpdateAt);
    // A status change writes its history entry and moves the issue's updatedAt.
    await t.db.insert(issueHistory).values({
      issueId: issue.id,
      organizationId: apc,
      type: "STATUS_CHANGED",
      field: "status",
      changedAt: later,
    });
    await t.db.update(issues).set({ updatedAt: later }).where(eq(issues.id, issue.id));
    const afterStatus = (await board()).locations.flatMap((l) => l.machines).find((m) => m.id === before.id)!;
    expect(afterStatus.lastUpdateAt).toBe(later.toISOString());
    const page = visible((await server.client({ org: "apc" }).get("/status")).text);
    expect(page).toContain("Last update");
  });

  it("looks back 90 days: older events read as no update", async () => {
    const target = (await board()).locations.flatMap((l) => l.machines).find((m) => m.lastUpdateAt)!;
    const old = new Date(Date.now() - 200 * 24 * 3600 * 1000);
    const ids = (await t.db.select({ id: issues.id }).from(issues).where(eq(issues.machineId, target.id))).map(
      (r) => r.id,
    );
    await t.db.update(issueHistory).set({ changedAt: old }).where(inArray(issueHistory.issueId, ids));
    await t.db.update(issues).set({ updatedAt: old }).where(inArray(issues.id, ids));
    const after = (await board()).locations.flatMap((l) => l.machines).find((m) => m.id === target.id)!;
    expect(after.lastUpdateAt).toBeNull();
    expect(after.status).toBe(target.status);
    const html = (await server.client({ org: "apc" }).get("/status")).text;
    const row = html.slice(html.indexOf(`data-machine-id="${target.id}"`));
    expect(visible(row.slice(0, row.indexOf("</li>")))).toContain("No updates in 90 days");
  });

  it("carries no private fields", async () => {
    const res = await server.client({ org: "apc" }).get("/status.json");
    expect(res.text).not.toMatch(/@/);
    expect(res.text).not.toMatch(/email|owner|reporter|submitter|phone|qrCode|priority/i);
    const json = JSON.parse(res.text) as JsonBoard;
    expect(Object.keys(json).sort()).toEqual(
      [
        "generatedAt",
        "issuesVisible",
        "lastUpdateWindowDays",
        "locations",
        "organization",
        "refreshSeconds",
        "totals",
        "truncated",
      ].sort(),
    );
    for (const m of json.locations.flatMap((l) => l.machines))
      expect(Object.keys(m).sort()).toEqual(
        ["id", "lastUpdateAt", "name", "openIssueCount", "status", "statusLabel", "subtitle", "url"].sort(),
      );
  });

  it("may be read from any site with GET, is cacheable for a minute, and refuses other methods", async () => {
    const res = await fetch(`${server.url}/status.json`, {
      headers: { "X-Organization": "apc", Origin: "https://venue.example" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
    expect(res.headers.get("vary")).toMatch(/X-Organization/i);
    await res.text();

    const preflight = await fetch(`${server.url}/status.json`, {
      method: "OPTIONS",
      headers: {
        "X-Organization": "apc",
        Origin: "https://venue.example",
        "Access-Control-Request-Method": "GET",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toBe("GET");

    // A preflight for writing, or one naming no method, gets no CORS headers: the browser stops there.
    for (const method of ["POST", "PUT", "DELETE", ""]) {
      const denied = await fetch(`${server.url}/status.json`, {
        method: "OPTIONS",
        headers: {
          "X-Organization": "apc",
          Origin: "https://venue.example",
          ...(method ? { "Access-Control-Request-Method": method } : {}),
        },
      });
      expect(denied.status, method).toBeLessThan(500);
      const cors = [...denied.headers.keys()].filter((k) => k.startsWith("access-control-"));
      expect(cors, method).toEqual([]);
      await denied.text();
    }

    // From another site: refused by the origin check; from our own pages: no action here.
    const foreign = await fetch(`${server.url}/status.json`, {
      method: "POST",
      headers: { "X-Organization": "apc", Origin: "https://venue.example" },
      body: new URLSearchParams({ a: "1" }),
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    await foreign.text();
    const own = await server.client({ org: "apc" }).post("/status.json", { a: "1" });
    expect(own.status).toBe(405);
    expect(own.headers.get("access-control-allow-origin")).toBeNull();
    for (const method of ["PUT", "DELETE"]) {
      const r = await fetch(`${server.url}/status.json`, { method, headers: { "X-Organization": "apc" } });
      expect(r.status, method).toBe(405);
      expect(r.headers.get("access-control-allow-origin"), method).toBeNull();
      await r.text();
    }
  });
});

describe("what the visitor role allows", () => {
  it("without issue:view: statuses only, no counts or last update (page and JSON), even for a signed-in member's JSON", async () => {
    await setVisitorPermission("apc", "issue:view", false);
    try {
      const page = await server.client({ org: "apc" }).get("/status");
      expect(page.status).toBe(200);
      expect(htmlMachines(page.text).length).toBeGreaterThan(0);
      expect(page.text).not.toContain("data-open-count");
      expect(visible(page.text)).not.toContain("Last update");
      const json = await board();
      expect(json.issuesVisible).toBe(false);
      for (const m of json.locations.flatMap((l) => l.machines)) {
        expect(m.openIssueCount).toBeNull();
        expect(m.lastUpdateAt).toBeNull();
      }
      // The JSON is cached publicly: a member's session does not change it.
      const member = await signedIn(server, "member@dev.local");
      const memberJson = JSON.parse((await member.get("/status.json")).text) as JsonBoard;
      expect(memberJson.issuesVisible).toBe(false);
      // The page follows the person, like every page: members see the counts.
      expect((await member.get("/status")).text).toContain("data-open-count");
    } finally {
      await setVisitorPermission("apc", "issue:view", true);
    }
  });

  it("without machine:view: the page asks to sign in and the JSON says it is not public", async () => {
    await setVisitorPermission("apc", "machine:view", false);
    try {
      const page = await server.client({ org: "apc" }).get("/status");
      expect(page.status).toBe(302);
      expect(page.location).toMatch(/^\/login\?redirectTo=%2Fstatus/);
      const json = await server.client({ org: "apc" }).get("/status.json");
      expect(json.status).toBe(403);
      expect(json.headers.get("access-control-allow-origin")).toBe("*");
      expect(json.text).not.toMatch(/data-machine-id|"machines"/);
    } finally {
      await setVisitorPermission("apc", "machine:view", true);
    }
  });

  it("without location:view: only locations with machines", async () => {
    const [extra] = await t.db
      .insert(locations)
      .values({ name: "Storage Closet", organizationId: apc })
      .returning({ id: locations.id });
    try {
      expect((await board()).locations.map((l) => l.name)).toContain("Storage Closet");
      await setVisitorPermission("apc", "location:view", false);
      const json = await board();
      expect(json.locations.map((l) => l.name)).not.toContain("Storage Closet");
      expect(json.locations.every((l) => l.machines.length > 0)).toBe(true);
    } finally {
      await setVisitorPermission("apc", "location:view", true);
      await t.db.delete(locations).where(eq(locations.id, extra.id));
    }
  });
});
