/**
 * The issue list: every filter, full-text search through the GIN index, the four sorts in both directions, keyset
 * pages without duplicates or gaps (forwards and backwards, with ties on the sort key), counts per category, and the
 * /issues page over HTTP (filters in the URL, bad parameters never a 500, members only).
 */
import { and, count, eq, inArray, ne, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetRateLimits } from "~/lib/rate-limit.server";
import type { Db } from "../../db/client.server";
import { reportIssueAs } from "../helpers/issue-actors";
import {
  countIssuesByCategory,
  decodeCursor,
  encodeCursor,
  issueSearchCondition,
  listIssues,
  type IssueListFilters,
  type IssueListItem,
  type IssueSort,
  type SortDir,
} from "../../db/queries/issues.server";
import { issues, issueStatuses, locations, machines, models, priorities, upvotes } from "../../db/schema";
import { seedDatabase } from "../../db/seed.server";
import { createTestDb, type TestDb } from "../helpers/db";
import { createRole } from "../../db/queries/roles.server";
import { orgIdOf, setRoleDirect, userIdOf } from "../helpers/fixtures";
import { startTestServer, type TestClient, type TestServer } from "../helpers/http";

process.env.SESSION_SECRET ??= "test-session-secret-that-is-long-enough-0123456789";

let t: TestDb;
let db: Db;
let server: TestServer;
let apc: string;
let beta: string;
let member: TestClient;
let memberId: string;
let tieIds: string[] = [];
let otherLocationId: string;
let otherMachineId: string;

function rowsOf(result: unknown): Record<string, unknown>[] {
  return ((result as { rows?: Record<string, unknown>[] }).rows ?? (result as Record<string, unknown>[])) as Record<
    string,
    unknown
  >[];
}

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await seedDatabase(db, { demo: true });
  apc = await orgIdOf(db, "apc");
  beta = await orgIdOf(db, "beta");
  memberId = await userIdOf(db, "member@dev.local");

  // Twelve issues with the same timestamps (ties on the sort key) and some "me too" votes.
  const [machine] = await db
    .select({ id: machines.id, modelId: machines.modelId })
    .from(machines)
    .where(eq(machines.organizationId, apc))
    .limit(1);
  const tie = new Date("2026-01-15T10:00:00.000Z");
  for (let i = 0; i < 12; i++) {
    const { id } = await reportIssueAs(db, {
      organizationId: apc,
      machineId: machine.id,
      title: `Tie breaker issue ${i}`,
      description: i % 2 ? "Coil buzzes loudly" : null,
      reporter: { userId: memberId },
    });
    await db.update(issues).set({ createdAt: tie, updatedAt: tie }).where(eq(issues.id, id));
    tieIds.push(id);
    for (let v = 0; v < i % 4; v++) await db.insert(upvotes).values({ issueId: id, voterKey: `voter-${i}-${v}` });
  }
  // A second location with one machine and one issue.
  const [loc] = await db
    .insert(locations)
    .values({ name: "Second Bar", organizationId: apc })
    .returning({ id: locations.id });
  otherLocationId = loc.id;
  const [m2] = await db
    .insert(machines)
    .values({ name: "Backroom Xenon", organizationId: apc, locationId: loc.id, modelId: machine.modelId })
    .returning({ id: machines.id });
  otherMachineId = m2.id;
  await reportIssueAs(db, {
    organizationId: apc,
    machineId: m2.id,
    title: "Backroom glass cracked",
    reporter: { name: "Guest" },
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

async function all(
  filters: IssueListFilters,
  sort: IssueSort = "created",
  dir: SortDir = "desc",
  org = apc,
): Promise<IssueListItem[]> {
  const page = await listIssues(db, { organizationId: org, filters, sort, dir, limit: 100 });
  expect(page.nextCursor).toBeNull();
  return page.items;
}

function key(sort: IssueSort, i: IssueListItem): number {
  if (sort === "created") return i.createdAt.getTime();
  if (sort === "updated") return i.updatedAt.getTime();
  if (sort === "priority") return i.priority.order;
  return i.upvotes;
}

describe("filters", () => {
  it("defaults to active issues and filters by category", async () => {
    const active = await all({});
    expect(active.length).toBeGreaterThan(0);
    expect(active.every((i) => i.status.category !== "RESOLVED")).toBe(true);
    const { counts, capped } = await countIssuesByCategory(db, apc, {});
    expect(capped).toBe(false);
    for (const c of ["NEW", "IN_PROGRESS", "RESOLVED"] as const) {
      const items = await all({ category: c });
      expect(items.every((i) => i.status.category === c)).toBe(true);
      expect(items.length).toBe(counts[c]);
    }
    const [{ n }] = await db.select({ n: count() }).from(issues).where(eq(issues.organizationId, apc));
    expect((await all({ category: "all" })).length).toBe(Number(n));
    expect(active.length).toBe(counts.NEW + counts.IN_PROGRESS);
  });

  it("filters by status, priority, machine, location, assignee, reporter", async () => {
    const everything = await all({ category: "all" });
    const some = everything.find((i) => i.status.name === "Needs Parts")!;
    const byStatus = await all({ category: "all", statusIds: [some.status.id] });
    expect(byStatus.length).toBe(everything.filter((i) => i.status.id === some.status.id).length);

    const high = everything.find((i) => i.priority.name === "High")!.priority.id;
    expect((await all({ category: "all", priorityId: high })).every((i) => i.priority.id === high)).toBe(true);

    expect((await all({ category: "all", machineId: otherMachineId })).map((i) => i.title)).toEqual([
      "Backroom glass cracked",
    ]);
    expect((await all({ category: "all", locationId: otherLocationId })).map((i) => i.title)).toEqual([
      "Backroom glass cracked",
    ]);

    const assigned = await all({ category: "all", assigneeId: everything.find((i) => i.assignee)!.assignee!.id });
    expect(assigned.length).toBeGreaterThan(0);
    const unassigned = await all({ category: "all", assigneeId: "unassigned" });
    expect(unassigned.every((i) => i.assignee === null)).toBe(true);
    expect(unassigned.length + everything.filter((i) => i.assignee).length).toBe(everything.length);

    const mine = await all({ category: "all", reporterId: memberId });
    expect(mine.every((i) => i.reporter?.id === memberId)).toBe(true);
    expect(mine.length).toBeGreaterThanOrEqual(12);
    const guests = await all({ category: "all", reporterId: "anonymous" });
    expect(guests.every((i) => i.reporter === null)).toBe(true);
    expect(guests.some((i) => i.title === "Backroom glass cracked")).toBe(true);
  });

  it("stops counting a broad search at the cap and says so", async () => {
    const filters: IssueListFilters = { category: "all", q: "tie breaker" };
    const exact = await countIssuesByCategory(db, apc, filters);
    expect(exact.capped).toBe(false);
    expect(exact.counts.NEW + exact.counts.IN_PROGRESS + exact.counts.RESOLVED).toBe((await all(filters)).length);
    expect(await countIssuesByCategory(db, apc, filters, { cap: 1000 })).toEqual(exact);
    const capped = await countIssuesByCategory(db, apc, filters, { cap: 5 });
    expect(capped.capped).toBe(true);
    // The location filter (the only one that needs the Machine join) still counts exactly.
    expect((await countIssuesByCategory(db, apc, { category: "all", locationId: otherLocationId })).counts).toEqual({
      NEW: 1,
      IN_PROGRESS: 0,
      RESOLVED: 0,
    });
  });

  it("never returns another organization's issues, even with its ids", async () => {
    const betaItems = await all({ category: "all" }, "created", "desc", beta);
    expect(betaItems.length).toBeGreaterThan(0);
    const apcIds = new Set((await all({ category: "all" })).map((i) => i.id));
    expect(betaItems.some((i) => apcIds.has(i.id))).toBe(false);
    expect(await all({ category: "all", machineId: otherMachineId }, "created", "desc", beta)).toEqual([]);
  });
});

describe("full-text search", () => {
  it("matches words in title or description with stemming and web-search syntax", async () => {
    const flipper = await all({ category: "all", q: "flippers" });
    expect(flipper.map((i) => i.title)).toEqual(
      expect.arrayContaining(["Left flipper feels weak", "Dead right flipper"]),
    );
    const buzz = await all({ category: "all", q: "coil buzzes" });
    expect(buzz.map((i) => i.id).sort()).toEqual(tieIds.filter((_, n) => n % 2).sort());
    const phrase = await all({ category: "all", q: '"left ramp"' });
    expect(phrase.map((i) => i.title)).toContain("Kaiju figures on left ramp not responding");
    const excluded = await all({ category: "all", q: "flipper -dead" });
    expect(excluded.map((i) => i.title)).not.toContain("Dead right flipper");
    expect(excluded.map((i) => i.title)).toContain("Left flipper feels weak");
    // Operators and punctuation never make a syntax error.
    for (const q of ["'&|!:*()", "or or or", '"', "-", "🎱 <script>"]) await all({ category: "all", q });
  });

  it("uses the GIN index Issue_search_idx", async () => {
    const plan = await db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return rowsOf(
        await tx.execute(sql`explain select ${issues.id} from ${issues} where ${issueSearchCondition(apc, "flipper")}`),
      );
    });
    const text = plan.map((r) => Object.values(r).join(" ")).join("\n");
    expect(text).toContain("Issue_search_idx");
  });
});

describe("sorting and keyset pagination", () => {
  const cases = (["created", "updated", "priority", "upvotes"] as IssueSort[]).flatMap((sort) =>
    (["desc", "asc"] as const).map((dir) => ({ sort, dir })),
  );
  it.each(cases)("pages by $sort $dir without duplicates or gaps, forwards and backwards", async ({ sort, dir }) => {
    const filters: IssueListFilters = { category: "all" };
    const full = await all(filters, sort, dir);
    // Ordered by the key, ties by id in the same direction.
    for (let i = 1; i < full.length; i++) {
      const a = full[i - 1];
      const b = full[i];
      const cmp = key(sort, a) - key(sort, b) || (a.id < b.id ? -1 : 1);
      expect(dir === "desc" ? cmp > 0 : cmp < 0).toBe(true);
    }
    const pages: string[][] = [];
    let cursor: { kind: "after" | "before"; value: string | number; id: string } | null = null;
    let last = null as Awaited<ReturnType<typeof listIssues>> | null;
    for (let guard = 0; guard < 50; guard++) {
      last = await listIssues(db, { organizationId: apc, filters, sort, dir, cursor, limit: 7 });
      pages.push(last.items.map((i) => i.id));
      if (guard === 0) expect(last.prevCursor).toBeNull();
      if (!last.nextCursor) break;
      cursor = { kind: "after", ...decodeCursor(last.nextCursor, sort)! };
    }
    const flat = pages.flat();
    expect(new Set(flat).size).toBe(flat.length);
    expect(flat).toEqual(full.map((i) => i.id));

    // Backwards from the last page reproduces the earlier pages.
    const back: string[][] = [];
    let prev = last!.prevCursor;
    while (prev) {
      const page = await listIssues(db, {
        organizationId: apc,
        filters,
        sort,
        dir,
        cursor: { kind: "before", ...decodeCursor(prev, sort)! },
        limit: 7,
      });
      back.unshift(page.items.map((i) => i.id));
      prev = page.prevCursor;
    }
    expect(back).toEqual(pages.slice(0, -1));
  });

  it("sorts by priority under every filter like sorting the filtered issues (also with two priorities of equal rank)", async () => {
    // listIssues reads the priority sort per priority (a lateral subquery each); this compares it with the plain order.
    const everything = await all({ category: "all" });
    const someStatus = everything.find((i) => i.status.name === "Needs Parts")!.status.id;
    const high = everything.find((i) => i.priority.name === "High")!.priority;
    const assignee = everything.find((i) => i.assignee)!.assignee!.id;
    const cases: IssueListFilters[] = [
      {},
      { category: "all" },
      { category: "RESOLVED" },
      { category: "all", statusIds: [someStatus] },
      { category: "all", priorityId: high.id },
      { category: "all", locationId: otherLocationId },
      { category: "all", assigneeId: assignee },
      { assigneeId: "unassigned" },
      { category: "all", reporterId: "anonymous" },
      { category: "all", q: "coil" },
    ];
    const check = async () => {
      for (const filters of cases) {
        const expected = await all(filters);
        for (const dir of ["desc", "asc"] as const) {
          const sign = dir === "desc" ? -1 : 1;
          const sorted = [...expected].sort(
            (a, b) => sign * (a.priority.order - b.priority.order || (a.id < b.id ? -1 : 1)),
          );
          const got = await all(filters, "priority", dir);
          expect(
            got.map((i) => i.id),
            `${JSON.stringify(filters)} ${dir}`,
          ).toEqual(sorted.map((i) => i.id));
        }
      }
    };
    await check();
    const [other] = await db
      .select({ id: priorities.id, order: priorities.order })
      .from(priorities)
      .where(and(eq(priorities.organizationId, apc), ne(priorities.id, high.id)))
      .limit(1);
    await db.update(priorities).set({ order: high.order }).where(eq(priorities.id, other.id));
    try {
      await check();
    } finally {
      await db.update(priorities).set({ order: other.order }).where(eq(priorities.id, other.id));
    }
  });

  it("ignores malformed cursors", () => {
    expect(decodeCursor("garbage", "created")).toBeNull();
    expect(decodeCursor(encodeCursor(5, "x"), "created")).toBeNull();
    expect(decodeCursor(encodeCursor("2026-01-01T00:00:00.000Z", "x"), "priority")).toBeNull();
    expect(decodeCursor(encodeCursor("not a date", "x"), "updated")).toBeNull();
    expect(decodeCursor(encodeCursor(3, "a".repeat(65)), "upvotes")).toBeNull();
    expect(decodeCursor(encodeCursor(3, "abc"), "upvotes")).toEqual({ value: 3, id: "abc" });
  });
});

describe("/issues over HTTP", () => {
  const idsIn = (html: string) =>
    [...html.matchAll(/href="\/issues\/([a-z0-9]+)"/g)].map((m) => m[1]).filter((id) => id !== "new");

  it("lists active issues with category counts, only for members", async () => {
    const res = await member.get("/issues");
    expect(res.status).toBe(200);
    expect(res.text).toContain("Kaiju figures on left ramp not responding");
    const { counts, capped } = await countIssuesByCategory(db, apc, {});
    expect(capped).toBe(false);
    expect(res.text).toMatch(new RegExp(`Closed(<!-- -->)?\\s*<span[^>]*>${counts.RESOLVED}</span>`));
    const anon = await server.client().get("/issues");
    expect(anon.status).toBe(302);
    expect(anon.location).toMatch(/^\/login/);
    const outsider = server.client();
    await outsider.login("admin@beta.local");
    expect((await outsider.get("/issues")).status).toBe(403);
  });

  it("applies filters and search from the URL", async () => {
    const kaiju = await member.get("/issues?q=kaiju+ramp&category=all");
    expect(kaiju.status).toBe(200);
    expect(kaiju.text).toContain("Kaiju figures on left ramp not responding");
    expect(kaiju.text).not.toContain("Dead right flipper");
    const none = await member.get("/issues?q=zzzznotaword");
    expect(none.text).toContain("No issues match these filters.");
    const closed = await member.get("/issues?category=closed");
    const closedIds = idsIn(closed.text);
    const closedRows = await db
      .select({ id: issues.id })
      .from(issues)
      .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
      .where(and(eq(issues.organizationId, apc), eq(issueStatuses.category, "RESOLVED")));
    expect(closedIds.length).toBe(Math.min(25, closedRows.length));
    expect(closedIds.every((id) => closedRows.some((r) => r.id === id))).toBe(true);
    const mine = await member.get("/issues?assignee=me&category=all");
    const mineIds = idsIn(mine.text);
    const mineRows = await db
      .select({ id: issues.id })
      .from(issues)
      .where(and(eq(issues.organizationId, apc), eq(issues.assignedToId, memberId)));
    expect(new Set(mineIds)).toEqual(new Set(mineRows.map((r) => r.id).slice(0, 25)));
    const loc = await member.get(`/issues?location=${otherLocationId}&category=all`);
    expect(loc.text).toContain("Backroom glass cracked");
    expect(idsIn(loc.text)).toHaveLength(1);
  });

  it("follows Next and Previous links without duplicates", async () => {
    const first = await member.get("/issues?category=all&sort=priority&dir=desc");
    const page1 = idsIn(first.text);
    expect(page1).toHaveLength(25);
    const next = first.text.match(/href="([^"]*after=[^"]+)"/)![1].replace(/&amp;/g, "&");
    expect(next.startsWith("/issues?")).toBe(true);
    const second = await member.get(next);
    expect(second.status).toBe(200);
    const page2 = idsIn(second.text);
    expect(page2.length).toBeGreaterThan(0);
    expect(page2.some((id) => page1.includes(id))).toBe(false);
    const prev = second.text.match(/href="([^"]*before=[^"]+)"/)![1].replace(/&amp;/g, "&");
    const back = await member.get(prev);
    expect(idsIn(back.text)).toEqual(page1);
  });

  it("never answers bad parameters with a 500", async () => {
    for (const qs of [
      "?after=garbage",
      "?before=%00%01",
      "?sort=bogus&dir=sideways",
      "?status=%3Cscript%3E&priority=x'--&machine=&location=../&assignee=%00&reporter=me",
      `?q=${"x".repeat(5000)}`,
      "?category=nope&status=a&status=b&status=c",
      `?after=${encodeCursor("2026-01-01T00:00:00.000Z", "zz")}&sort=upvotes`,
    ]) {
      const res = await member.get(`/issues${qs}`);
      // A NUL byte can never be stored or matched by PostgreSQL: the server refuses such addresses with a 400.
      expect(res.status, qs).toBe(qs.includes("%00") ? 400 : 200);
    }
  });
});

describe("/issues in a large organization", () => {
  it("asks for a location before listing thousands of machines, and keeps a chosen machine", async () => {
    const [sample] = await db
      .select({ modelId: machines.modelId, locationId: machines.locationId })
      .from(machines)
      .where(eq(machines.organizationId, beta))
      .limit(1);
    const [warehouse] = await db
      .insert(locations)
      .values({ organizationId: beta, name: "Warehouse" })
      .returning({ id: locations.id });
    const added = await db
      .insert(machines)
      .values(
        Array.from({ length: 301 }, (_, i) => ({
          organizationId: beta,
          modelId: sample.modelId,
          locationId: warehouse.id,
          name: `Stored machine ${i}`,
        })),
      )
      .returning({ id: machines.id });
    try {
      const admin = server.client({ org: "beta" });
      await admin.login("admin@beta.local");
      const page = await admin.get("/issues");
      expect(page.status).toBe(200);
      expect(page.text).toContain("Many machines: choose a location");
      expect(page.text).not.toContain("Stored machine");

      const elsewhere = await admin.get(`/issues?location=${sample.locationId}`);
      expect(elsewhere.text).not.toContain("Many machines: choose a location");
      expect(elsewhere.text).not.toContain("Stored machine");
      const [someMachine] = await db
        .select({ name: machines.name })
        .from(machines)
        .where(eq(machines.locationId, sample.locationId))
        .limit(1);
      expect(elsewhere.text).toContain(someMachine.name);

      const chosen = await admin.get(`/issues?machine=${added[7].id}`);
      expect(chosen.text).toContain("Stored machine 7");
      expect(chosen.text).not.toContain("Stored machine 8<");
      // With the location chosen, all of its machines are listed, however many.
      const atWarehouse = await admin.get(`/issues?location=${warehouse.id}`);
      expect(atWarehouse.text).toContain("Stored machine 300<");
      expect(atWarehouse.text).not.toContain("Many machines: choose a location");

      // The new-issue form: a location first, then its machines; a machine passed in the link stays chosen.
      const form = await admin.get("/issues/new");
      expect(form.status).toBe(200);
      expect(form.text).toContain("choose where the machine stands");
      expect(form.text).toContain("Choose a location first");
      expect(form.text).not.toContain("Stored machine");
      const formAtWarehouse = await admin.get(`/issues/new?location=${warehouse.id}`);
      expect(formAtWarehouse.text).toContain("Stored machine 300<");
      const fromMachinePage = await admin.get(`/issues/new?machineId=${added[3].id}`);
      expect(fromMachinePage.text).toMatch(
        new RegExp(`<option value="${added[3].id}" selected="">Stored machine 3</option>`),
      );
      const created = await admin.post(`/issues/new?machineId=${added[3].id}`, {
        machineId: added[3].id,
        title: "Coin door jammed",
      });
      expect(created.status).toBe(302);
    } finally {
      await db.delete(issues).where(
        inArray(
          issues.machineId,
          added.map((m) => m.id),
        ),
      );
      await db.delete(machines).where(eq(machines.locationId, warehouse.id));
      await db.delete(locations).where(eq(locations.id, warehouse.id));
    }
  });
});

describe("search that forgives", () => {
  const titles = (items: IssueListItem[]) => items.map((i) => i.title);

  it("finds through typos in the title", async () => {
    expect(titles(await all({ category: "all", q: "fliper" }))).toEqual(
      expect.arrayContaining(["Left flipper feels weak", "Dead right flipper", "Right flipper sticks up"]),
    );
    expect(titles(await all({ category: "all", q: "multibal" }))).toContain("Display flickers during multiball");
  });

  it("finds by the machine's name", async () => {
    const found = await all({ category: "all", q: "backroom xenon" });
    expect(titles(found)).toContain("Backroom glass cracked");
    expect(found.every((i) => i.machine.id === otherMachineId || /backroom|xenon/i.test(i.title))).toBe(true);
    expect(titles(await all({ category: "all", q: "cleopatra" }))).toEqual(
      expect.arrayContaining(["Tens score reel skips", "No tilt bob installed"]),
    );
  });

  it("finds by the model's name when the machine is named otherwise", async () => {
    const [row] = await db
      .select({ model: models.name })
      .from(machines)
      .innerJoin(models, eq(models.id, machines.modelId))
      .where(eq(machines.id, otherMachineId));
    expect(row.model.toLowerCase()).not.toContain("backroom");
    const found = await all({ category: "all", q: row.model });
    expect(titles(found)).toContain("Backroom glass cracked");
  });

  it("finds by a member reporter's name or e-mail and a guest's name or address, in the organization only", async () => {
    const withAddresses = { category: "all", searchAddresses: true } as const;
    const byEmail = await all({ ...withAddresses, q: "member@dev.local" });
    expect(byEmail.map((i) => i.id)).toEqual(expect.arrayContaining(tieIds));
    expect(titles(await all({ ...withAddresses, q: "maya.r@example" }))).toContain("Auto-launch fires twice");
    expect(titles(await all({ ...withAddresses, q: "Maya" }))).toContain("Auto-launch fires twice");
    expect(await all({ ...withAddresses, q: "member@dev.local" }, "created", "desc", beta)).toEqual([]);
    // Without the right to see addresses: names only.
    expect(titles(await all({ category: "all", q: "Maya" }))).toContain("Auto-launch fires twice");
    expect((await all({ category: "all", q: "Dev Member" })).map((i) => i.id)).toEqual(expect.arrayContaining(tieIds));
    expect(titles(await all({ category: "all", q: "maya.r@example" }))).not.toContain("Auto-launch fires twice");
    expect(await all({ category: "all", q: "member@dev.local" })).toEqual([]);
  });

  it("searches reporters' addresses only for members who may see them; visitors cannot search at all", async () => {
    // A member whose role may read issues but not triage them: the issue page hides reporters' addresses from them
    // (app/use-cases/issue-pages.server.ts), so a search must not tell them whose address reported what.
    await createRole(db, apc, { name: "Reader", isDefault: false, permissions: ["issue:view", "machine:view"] });
    await setRoleDirect(db, "player@dev.local", "apc", "Reader");
    const reader = server.client();
    await reader.login("player@dev.local");
    const listed = async (client: TestClient, q: string, path = "/issues") => {
      const res = await client.get(`${path}?category=all&q=${encodeURIComponent(q)}`);
      expect(res.status, `${path} ${q}`).toBe(200);
      return res.text;
    };
    expect(await listed(member, "maya.r@example")).toContain("Auto-launch fires twice");
    expect(await listed(member, "member@dev.local")).toContain("Tie breaker issue");
    expect(await listed(reader, "Maya")).toContain("Auto-launch fires twice");
    expect(await listed(reader, "Dev Member")).toContain("Tie breaker issue");
    expect(await listed(reader, "maya.r@example")).not.toContain("Auto-launch fires twice");
    expect(await listed(reader, "example.com")).not.toContain("Auto-launch fires twice");
    expect(await listed(reader, "member@dev.local")).not.toContain("Tie breaker issue");
    expect(await listed(reader, "maya.r@example", "/issues.csv")).not.toContain("Auto-launch fires twice");
    expect(await listed(member, "maya.r@example", "/issues.csv")).toContain("Auto-launch fires twice");
    // Visitors and members of another organization never reach the list or its export.
    for (const path of ["/issues", "/issues.csv"]) {
      const anonymous = await server.client().get(`${path}?q=${encodeURIComponent("maya.r@example")}`);
      expect(anonymous.status).toBe(302);
      expect(anonymous.location).toMatch(/^\/login\?/);
    }
  });

  it("ranks full-text matches first, then by similarity, and pages through the ranking without gaps", async () => {
    const ranked = await all({ category: "all", q: "flipper" }, "relevance");
    const keys = ranked.map((i) => i.relevance!);
    expect(keys.length).toBeGreaterThan(3);
    for (let n = 1; n < keys.length; n++) expect(keys[n]).toBeLessThanOrEqual(keys[n - 1]);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const cursor: ReturnType<typeof decodeCursor> = after ? decodeCursor(after, "relevance") : null;
      const page = await listIssues(db, {
        organizationId: apc,
        filters: { category: "all", q: "flipper" },
        sort: "relevance",
        dir: "desc",
        cursor: cursor ? { kind: "after", ...cursor } : null,
        limit: 2,
      });
      seen.push(...page.items.map((i) => i.id));
      after = page.nextCursor;
    } while (after);
    expect(seen).toEqual(ranked.map((i) => i.id));
  });

  it("a search typed into the list's form is ranked by Best match, as the browser sends the form", async () => {
    // An exact match reported first, a weaker one after it: newest first and best match disagree.
    for (const title of ["Flipper", "Upper flippers buzz a little on the left side"]) {
      await reportIssueAs(db, { organizationId: apc, machineId: otherMachineId, title, reporter: { name: "Guest" } });
    }
    // The browser sends every field of the form, the sort select's selection included.
    const list = await member.get("/issues");
    const selected = (name: string) => {
      const select = new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(list.text)![1];
      return /<option value="([^"]*)" selected=""/.exec(select)?.[1] ?? /<option value="([^"]*)"/.exec(select)![1];
    };
    const res = await member.get(
      `/issues?q=fliper&sort=${encodeURIComponent(selected("sort"))}&dir=${encodeURIComponent(selected("dir"))}`,
    );
    expect(res.status).toBe(200);
    const results = res.text.slice(res.text.indexOf('id="results-heading"'));
    const onPage = [...new Set([...results.matchAll(/href="\/issues\/([a-z0-9]+)"/g)].map((m) => m[1]))];
    const page = (sort: IssueSort) =>
      listIssues(db, {
        organizationId: apc,
        filters: { category: "active", q: "fliper", searchAddresses: true },
        sort,
        dir: "desc",
        limit: 25,
      });
    const ranked = (await page("relevance")).items.map((i) => i.id);
    expect(ranked).not.toEqual((await page("created")).items.map((i) => i.id));
    expect(onPage).toEqual(ranked);
  });

  it("search syntax stays exact: a phrase or an excluded word adds no similar words", async () => {
    const excluded = await all({ category: "all", q: "flipper -dead" });
    expect(titles(excluded)).not.toContain("Dead right flipper");
    expect(await all({ category: "all", q: '"fliper"' })).toEqual([]);
  });

  it("the page ranks a search by default and highlights the matching words, escaped", async () => {
    await reportIssueAs(db, {
      organizationId: apc,
      machineId: otherMachineId,
      title: "Flipper <b>bold</b> & sticky",
      reporter: { name: "Guest" },
    });
    const res = await member.get(`/issues?q=${encodeURIComponent("fliper")}&category=all`);
    expect(res.status).toBe(200);
    expect(res.text).toContain("<mark");
    expect(res.text).toMatch(/<mark[^>]*>flipper<\/mark>/);
    expect(res.text).toMatch(/<mark[^>]*>Flipper<\/mark> &lt;b&gt;bold&lt;\/b&gt; &amp; sticky/);
    expect(res.text).not.toContain("<b>bold</b>");
    expect(res.text).toMatch(/<option value="" selected="">Best match<\/option>/);
  });
});
