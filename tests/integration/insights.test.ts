/**
 * Reliability figures (/insights: app/use-cases/insights.server.ts over db/queries/insights.server.ts) on a real
 * database against a hand-computed fixture: a reopened issue, issues still open, a machine added part-way through
 * the period, priority changes and resolutions whose history rows were written in another order than they happened,
 * responses by a member and by someone who is not one, and another organization whose machine is down all along.
 *
 * The fixture (days before NOW; priorities Low 1 … Critical 4, Critical = "down"):
 * - Arcade / Alpha: I1 "Left flipper weak" Critical, created −20, resolved −18, reopened −10, resolved −9 (rows
 *   written in reverse); I2 "left flipper WEAK!" Medium, created −5, still open. → down 3 d, degraded 5 d;
 *   repairs 2 d + 1 d; reopened once; first responses 2 h (comment; a non-member's comment at 1 h does not count)
 *   and 6 h (assignment); one repeated title.
 * - Arcade / Bravo: I3 "Coin door stuck" created −40 Low, High at −38, Critical at −35 (the Critical row written
 *   first), open. I4 created −100 Medium, resolved −95. → 30 d: down 30 d, down since −35; 90 d: down 35 d,
 *   degraded 5 d; 365 d: degraded 10 d, repair 5 d.
 * - Bar / Charlie (added −10): I5 "Ball stuck" Critical, created −12, resolved −8 → counted 10 d, down 2 d,
 *   repair 4 d, first response 4 d.
 * - Bar / Delta: nothing.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadInsights, readInsightsQuery, type InsightsPage } from "~/use-cases/insights.server";
import type { Actor } from "~/use-cases/actor";
import { issueHistory, issues, locations, machines, models } from "../../db/schema";
import { addMember, createUser, seedOrganization, type BootstrappedOrganization } from "../../db/seed.server";
import { csvDateTime } from "../../core/csv";
import { hashPassword } from "../../core/password.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { signedIn, visible } from "../helpers/fixtures";
import { startTestServer, type TestServer } from "../helpers/http";
import { memberActor } from "../helpers/issue-actors";

// Whole minutes ago: the HTTP requests measure up to their own "now", a few seconds later, and the CSV's hours
// (one decimal) do not see those seconds.
const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const DAY = 86_400;
const HOUR = 3_600;
const at = (days: number, hours = 0) => new Date(NOW.getTime() + (days * DAY + hours * HOUR) * 1000);

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";
const PASSWORD = "dev-login-123";

let t: TestDb;
let server: TestServer;
let actor: Actor;
let org: BootstrappedOrganization;
const m: Record<string, string> = {};
const loc: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestDb();
  const db = t.db;
  // A name a spreadsheet would run as a formula: the CSV must neutralise it.
  org = await seedOrganization(db, { name: "=Insight Arcade", subdomain: "insight" });
  const other = await seedOrganization(db, { name: "Other", subdomain: "other" });
  const passwordHash = await hashPassword(PASSWORD);
  const member = await createUser(db, { email: "tech@insight.test", name: "Tech", passwordHash });
  const outsider = await createUser(db, { email: "out@insight.test", name: "Outsider", passwordHash });
  await addMember(db, { userId: member.id, organizationId: org.organization.id, roleId: org.roles.admin.id });
  actor = await memberActor(db, org.organization.id, member.id);

  const [model] = await db.insert(models).values({ name: "Test Model" }).returning();
  const status = (o: BootstrappedOrganization, name: string) => o.statuses.find((s) => s.name === name)!.id;
  const prio = (o: BootstrappedOrganization, name: string) => o.priorities.find((p) => p.name === name)!.id;
  for (const [name, o] of [
    ["Arcade", org],
    ["Bar", org],
    ["Elsewhere", other],
  ] as const) {
    const [row] = await db
      .insert(locations)
      .values({ name, organizationId: o.organization.id })
      .returning({ id: locations.id });
    loc[name] = row.id;
  }
  for (const [name, where, o, created] of [
    ["Alpha", "Arcade", org, -400],
    ["Bravo", "Arcade", org, -400],
    ["Charlie", "Bar", org, -10],
    ["Delta", "Bar", org, -400],
    ["Foreign", "Elsewhere", other, -400],
  ] as const) {
    const [row] = await db
      .insert(machines)
      .values({
        name,
        organizationId: o.organization.id,
        locationId: loc[where],
        modelId: model.id,
        createdAt: at(created),
      })
      .returning({ id: machines.id });
    m[name] = row.id;
  }

  const issue = async (
    o: BootstrappedOrganization,
    machine: string,
    title: string,
    values: { created: number; status: string; priority: string; resolved?: number },
  ) => {
    const [row] = await db
      .insert(issues)
      .values({
        title,
        organizationId: o.organization.id,
        machineId: m[machine],
        statusId: status(o, values.status),
        priorityId: prio(o, values.priority),
        createdAt: at(values.created),
        updatedAt: at(values.resolved ?? values.created),
        resolvedAt: values.resolved === undefined ? null : at(values.resolved),
      })
      .returning({ id: issues.id });
    return row.id;
  };
  const history = (
    issueId: string,
    rows: {
      type: (typeof issueHistory.$inferInsert)["type"];
      at: Date;
      field?: string;
      old?: string;
      new?: string;
      by?: string | null;
    }[],
    o = org,
  ) =>
    db.insert(issueHistory).values(
      rows.map((r) => ({
        issueId,
        organizationId: o.organization.id,
        type: r.type,
        field: r.field ?? "status",
        oldValue: r.old ?? null,
        newValue: r.new ?? null,
        changedAt: r.at,
        actorId: r.by === undefined ? member.id : r.by,
      })),
    );

  const i1 = await issue(org, "Alpha", "Left flipper weak", {
    created: -20,
    status: "Fixed",
    priority: "Critical",
    resolved: -9,
  });
  // Written newest first: the figures must follow changedAt, not the order of the rows.
  await history(i1, [
    { type: "RESOLVED", at: at(-9), old: "New", new: "Fixed" },
    { type: "REOPENED", at: at(-10), old: "Fixed", new: "New" },
    { type: "RESOLVED", at: at(-18), old: "New", new: "Fixed" },
    { type: "COMMENTED", at: at(-20, 2), field: "comment", new: "c2" },
    { type: "COMMENTED", at: at(-20, 1), field: "comment", new: "c1", by: outsider.id },
    { type: "CREATED", at: at(-20), new: "created", by: null },
  ]);
  const i2 = await issue(org, "Alpha", "left flipper WEAK!", { created: -5, status: "New", priority: "Medium" });
  await history(i2, [
    { type: "CREATED", at: at(-5), new: "created", by: null },
    { type: "ASSIGNED", at: at(-5, 6), field: "assignee", new: "Tech" },
  ]);
  const i3 = await issue(org, "Bravo", "Coin door stuck", {
    created: -40,
    status: "In Progress",
    priority: "Critical",
  });
  await history(i3, [
    { type: "PRIORITY_CHANGED", at: at(-35), field: "priority", old: "High", new: "Critical" },
    { type: "CREATED", at: at(-40), new: "created" },
    { type: "PRIORITY_CHANGED", at: at(-38), field: "priority", old: "Low", new: "High" },
    { type: "STATUS_CHANGED", at: at(-39), old: "New", new: "In Progress" },
  ]);
  const i4 = await issue(org, "Bravo", "Display dim", {
    created: -100,
    status: "Fixed",
    priority: "Medium",
    resolved: -95,
  });
  await history(i4, [
    { type: "RESOLVED", at: at(-95), old: "New", new: "Fixed" },
    { type: "CREATED", at: at(-100), new: "created" },
  ]);
  const i5 = await issue(org, "Charlie", "Ball stuck", {
    created: -12,
    status: "Fixed",
    priority: "Critical",
    resolved: -8,
  });
  await history(i5, [
    { type: "CREATED", at: at(-12), new: "created", by: null },
    { type: "RESOLVED", at: at(-8), old: "New", new: "Fixed" },
  ]);
  const foreign = await issue(other, "Foreign", "Left flipper weak", {
    created: -50,
    status: "New",
    priority: "Critical",
  });
  await history(foreign, [{ type: "CREATED", at: at(-50), new: "created", by: null }], other);
  server = await startTestServer(db);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await t?.close();
});

const load = (period: string, location?: string): Promise<InsightsPage> =>
  loadInsights(actor, readInsightsQuery(new URLSearchParams({ period, ...(location ? { location } : {}) })), NOW);

const machine = (page: InsightsPage, name: string) => page.machines.find((x) => x.name === name)!;

describe("reliability over 30 days", () => {
  it("per machine: downtime, degraded time, uptime, repairs, responses, reopenings", async () => {
    const page = await load("30");
    expect(page.machines.map((x) => x.name)).toEqual(["Alpha", "Bravo", "Charlie", "Delta"]);

    const alpha = machine(page, "Alpha");
    expect(alpha).toMatchObject({ status: "degraded", downSince: null, countedSeconds: 30 * DAY });
    expect(alpha.downSeconds).toBeCloseTo(3 * DAY, 3);
    expect(alpha.degradedSeconds).toBeCloseTo(5 * DAY, 3);
    expect(alpha.uptimePercent).toBeCloseTo(90, 6);
    expect(alpha).toMatchObject({ repairs: 2, issues: 2, answered: 2, reopened: 1 });
    expect(alpha.mttrSeconds).toBeCloseTo(1.5 * DAY, 3);
    expect(alpha.medianResponseSeconds).toBeCloseTo(4 * HOUR, 3);

    const bravo = machine(page, "Bravo");
    expect(bravo).toMatchObject({ status: "down", downSince: at(-35).toISOString(), issues: 0, repairs: 0 });
    expect(bravo.downSeconds).toBeCloseTo(30 * DAY, 3);
    expect(bravo.degradedSeconds).toBe(0);
    expect(bravo.uptimePercent).toBeCloseTo(0, 6);
    expect(bravo.mttrSeconds).toBeNull();

    const charlie = machine(page, "Charlie");
    expect(charlie).toMatchObject({ status: "playable", countedSeconds: 10 * DAY, repairs: 1, issues: 1 });
    expect(charlie.downSeconds).toBeCloseTo(2 * DAY, 3);
    expect(charlie.uptimePercent).toBeCloseTo(80, 6);
    expect(charlie.mttrSeconds).toBeCloseTo(4 * DAY, 3);
    expect(charlie.medianResponseSeconds).toBeCloseTo(4 * DAY, 3);

    expect(machine(page, "Delta")).toMatchObject({
      status: "playable",
      downSeconds: 0,
      degradedSeconds: 0,
      uptimePercent: 100,
      issues: 0,
      medianResponseSeconds: null,
    });
  });

  it("per location and for the organization; another organization's machine is not counted", async () => {
    const page = await load("30");
    const [arcade, bar] = page.byLocation;
    expect(arcade).toMatchObject({ name: "Arcade", machines: 2, downNow: 1, countedSeconds: 60 * DAY, issues: 2 });
    expect(arcade.uptimePercent).toBeCloseTo(45, 6);
    expect(arcade.medianResponseSeconds).toBeCloseTo(4 * HOUR, 3);
    expect(bar).toMatchObject({ name: "Bar", machines: 2, downNow: 0, countedSeconds: 40 * DAY, issues: 1 });
    expect(bar.uptimePercent).toBeCloseTo(95, 6);

    expect(page.total).toMatchObject({ machines: 4, downNow: 1, countedSeconds: 100 * DAY, issues: 3, repairs: 3 });
    expect(page.total.downSeconds).toBeCloseTo(35 * DAY, 3);
    expect(page.total.degradedSeconds).toBeCloseTo(5 * DAY, 3);
    expect(page.total.uptimePercent).toBeCloseTo(65, 6);
    expect(page.total.mttrSeconds).toBeCloseTo((7 * DAY) / 3, 3);
    // Responses 2 h, 6 h, 4 d: the median of the organization, not a mean of medians.
    expect(page.total.medianResponseSeconds).toBeCloseTo(6 * HOUR, 3);
  });

  it("repeat offenders: the same title on the same machine, whatever its case and punctuation", async () => {
    const page = await load("30");
    expect(page.repeats).toEqual([
      {
        machineId: m.Alpha,
        machineName: "Alpha",
        title: "left flipper WEAK!",
        issues: 2,
        lastAt: at(-5).toISOString(),
      },
    ]);
  });

  it("a location filter narrows the machines and the totals", async () => {
    const page = await load("30", loc.Bar);
    expect(page.machines.map((x) => x.name)).toEqual(["Charlie", "Delta"]);
    expect(page.total).toMatchObject({ machines: 2, issues: 1, countedSeconds: 40 * DAY });
    expect(page.total.medianResponseSeconds).toBeCloseTo(4 * DAY, 3);
    expect(page.repeats).toEqual([]);
    const foreign = await load("30", loc.Elsewhere);
    expect(foreign.unknownLocation).toBe(true);
    expect(foreign.total.machines).toBe(4);
  });
});

describe("longer periods", () => {
  it("90 days: the priority steps of a still-open issue, written out of order", async () => {
    const bravo = machine(await load("90"), "Bravo");
    expect(bravo.downSeconds).toBeCloseTo(35 * DAY, 3);
    expect(bravo.degradedSeconds).toBeCloseTo(5 * DAY, 3);
    expect(bravo.medianResponseSeconds).toBeCloseTo(1 * DAY, 3);
  });

  it("365 days: an issue resolved long ago counts once it is inside the period", async () => {
    const bravo = machine(await load("365"), "Bravo");
    expect(bravo.degradedSeconds).toBeCloseTo(10 * DAY, 3);
    expect(bravo).toMatchObject({ repairs: 1, countedSeconds: 365 * DAY });
    expect(bravo.mttrSeconds).toBeCloseTo(5 * DAY, 3);
  });

  it("an unknown period falls back to 30 days", () => {
    expect(readInsightsQuery(new URLSearchParams({ period: "7" })).period).toBe(30);
  });
});

describe("the page and the CSV over HTTP", () => {
  it("members only: a visitor is sent to sign in, a signed-in non-member is refused", async () => {
    const anonymous = await server.client({ org: "insight" }).get("/insights");
    expect([302, 303]).toContain(anonymous.status);
    expect(anonymous.headers.get("location")).toContain("/login");
    const outsider = await signedIn(server, "out@insight.test", "insight");
    expect((await outsider.get("/insights")).status).toBe(403);
    expect((await outsider.get("/insights.csv")).status).toBe(403);
  });

  it("the page: filters in the URL, SVG charts with a title, a description and a table, no client script", async () => {
    const c = await signedIn(server, "tech@insight.test", "insight");
    const res = await c.get(`/insights?period=90&location=${loc.Arcade}`);
    expect(res.status).toBe(200);
    const html = visible(res.text);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).toMatch(/<option value="90" selected="">/);
    expect(html).toContain(`<option value="${loc.Arcade}" selected="">`);
    const charts = [...html.matchAll(/<svg[^>]*role="img"[^>]*>([\s\S]*?)<\/svg>/g)];
    expect(charts.length).toBeGreaterThanOrEqual(2);
    for (const [, inner] of charts) {
      expect(inner).toMatch(/^<title id="[^"]+">[^<]+<\/title><desc id="[^"]+">[^<]+<\/desc>/);
    }
    expect(html).toContain("Machines with the most downtime");
    expect(html).toContain("the chart&#x27;s numbers");
    expect(html).toContain(">Bravo<");
    expect(html).not.toContain(">Charlie<");
    expect(html).toContain(`/insights.csv?period=90&amp;location=${loc.Arcade}`);
  });

  it("empty states for a location whose machines had no issues", async () => {
    const c = await signedIn(server, "tech@insight.test", "insight");
    const [row] = await t.db
      .insert(locations)
      .values({ name: "Empty room", organizationId: org.organization.id })
      .returning({ id: locations.id });
    const html = visible((await c.get(`/insights?location=${row.id}`)).text);
    expect(html).toContain("No machine was down or degraded in this period.");
    expect(html).toContain("There are no machines at this location");
    await t.db.delete(locations).where(eq(locations.id, row.id));
  });

  it("the CSV: the figures for the same filters, formula-looking text neutralised", async () => {
    const c = await signedIn(server, "tech@insight.test", "insight");
    const res = await c.get("/insights.csv?period=30");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="reliability-insight-30d-/);
    const lines = res.text.replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0]).toMatch(/^Scope,Name,Location,Machines,Status now,/);
    expect(lines[1]).toBe("Organization,'=Insight Arcade,,4,1 down,,840,120,2400,65,3,56,3,3,6,1");
    expect(lines).toContain("Machine,Bravo,Arcade,1,Down,840,720,0,720,0,0,,0,0,,0");
    expect(lines).toContain("Location,Bar,Bar,2,0 down,,48,0,960,95,1,96,1,1,96,0");
    expect(lines).toContain(`left flipper WEAK!,Alpha,2,${csvDateTime(at(-5))}`);
  });
});
