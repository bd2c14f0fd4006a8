/**
 * Query plans at volume: one organization with 25,000 issues (and their comments, history, votes, …) next to two
 * small ones, planner statistics from ANALYZE. The real use cases and query helpers run on a recording connection
 * (tests/helpers/plans.ts), and every statement they send is planned again with EXPLAIN (FORMAT JSON) and the same
 * parameters. The plans must not read a table of issue activity sequentially: that cost grows with the
 * organization's history (docs/decisions/027-indexes-at-volume.md). Pages of the issue list must also read few issue
 * rows (EXPLAIN ANALYZE row counts, not times).
 *
 * Sequential scans of small tables (statuses, priorities, roles, permissions, locations, the model catalogue) are the
 * planner's right choice and are allowed.
 */
import { eq, getTableColumns, sql } from "drizzle-orm";
import { getTableConfig, PgTable, type PgColumn } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIssueList, loadIssuePage, type IssueListQuery } from "~/use-cases/issue-pages.server";
import { loadMachineList, loadMachinePage, loadNewMachinePage } from "~/use-cases/machines.server";
import { loadHomePage } from "~/use-cases/public.server";
import { resolveQrCode } from "~/use-cases/qr.server";
import { loadInsights } from "~/use-cases/insights.server";
import { loadStatusBoard } from "~/use-cases/status-board.server";
import { loadPublicMachinePage } from "~/use-cases/reports.server";
import type { Actor } from "~/use-cases/actor";
import type { Db } from "../../db/client.server";
import { loadMemberAccess, loadRequestAccess } from "../../db/queries/access.server";
import {
  listIssues,
  type IssueListFilters,
  type IssueSort,
  type ListIssuesInput,
  type SortDir,
} from "../../db/queries/issues.server";
import * as schema from "../../db/schema";
import { users } from "../../db/schema";
import { createTestDb, type TestDb } from "../helpers/db";
import { memberActor, visitorActor } from "../helpers/issue-actors";
import {
  describePlan,
  explain,
  recordingDb,
  scansOf,
  type PlanNode,
  type Recorder,
  type Statement,
} from "../helpers/plans";
import { generateVolume, rowsOf, type VolumeData } from "../helpers/volume";

const SIZES = {
  issues: 25_000,
  machines: 1_000,
  members: 1_000,
  others: 2,
  otherIssues: 2_500,
  otherMachines: 150,
  otherMembers: 100,
};

/** Tables that grow with the organization's activity: a page read or a lookup never scans them whole. */
const ACTIVITY = ["Issue", "Comment", "IssueHistory", "Upvote", "Attachment", "Notification", "AuditLog", "Session"];

/**
 * A page of the issue list reads at most this many issue rows (index entries or heap rows) of the 25,000: a fifth, so
 * reading them all fails, while a search or a filter may read a few times the page per priority to find its matches.
 */
const PAGE_READ_LIMIT = 5_000;

let t: TestDb;
let data: VolumeData;
let rec: Recorder;
let admin: Actor;
let visitor: Actor;
let org: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  delete process.env.DB_VALIDATE; // its reference queries are hand-written SQL, not ours
  t = await createTestDb();
  data = await generateVolume(t.db, SIZES);
  rec = recordingDb(t.db, t.kind);
  org = data.big.id;
  admin = await memberActor(rec.db, org, data.big.memberIds[0]);
  visitor = await visitorActor(rec.db, org);
  for (const s of data.big.boot.statuses) ids[s.name] = s.id;
  for (const p of data.big.boot.priorities) ids[p.name] = p.id;
}, 240_000);

afterAll(async () => {
  await t?.close();
});

// -------------------------------------------------------------------------------------------------------------------

interface Planned {
  statement: Statement;
  plan: PlanNode;
}

const planned = new Map<string, PlanNode>();

/** Runs `fn` on the recording connection and plans every statement it sent (each distinct one once). */
async function plansOf(fn: () => Promise<unknown>): Promise<Planned[]> {
  rec.take();
  await fn();
  const out: Planned[] = [];
  for (const statement of rec.take()) {
    const key = JSON.stringify([statement.text, statement.params]);
    let plan = planned.get(key);
    if (!plan) {
      plan = await explain(t.db, t.kind, statement);
      planned.set(key, plan);
    }
    out.push({ statement, plan });
  }
  return out;
}

/** "Seq Scan on <table>" for every guarded table the plans read sequentially, with the statement and its plan. */
function seqScans(
  plans: Planned[],
  guarded: readonly string[],
  allow: (p: Planned, table: string) => boolean = () => false,
) {
  const found: string[] = [];
  for (const p of plans) {
    for (const scan of scansOf(p.plan)) {
      if (scan.node === "Seq Scan" && guarded.includes(scan.relation) && !allow(p, scan.relation)) {
        found.push(`Seq Scan on ${scan.relation} in\n${p.statement.text}\n${describePlan(p.plan)}`);
      }
    }
  }
  return found;
}

/** Issue rows the statement read (returned or filtered away, times loops), from EXPLAIN ANALYZE. */
async function issueRowsRead(statement: Statement): Promise<{ rows: number; plan: string }> {
  const root = await explain(t.db, t.kind, statement, { analyze: true });
  let rows = 0;
  const walk = (node: PlanNode) => {
    if (node["Relation Name"] === "Issue") {
      // EXPLAIN prints these per loop
      const n = (k: string) => Number(node[k] ?? 0);
      rows += (n("Actual Rows") + n("Rows Removed by Filter") + n("Rows Removed by Index Recheck")) * n("Actual Loops");
    }
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(root);
  return { rows: Math.round(rows), plan: describePlan(root) };
}

// -------------------------------------------------------------------------------------------------------------------

describe("the generated data", () => {
  it("has one large organization among others, so a sequential scan would read other tenants' rows too", () => {
    expect(data.rowCounts.Issue).toBe(SIZES.issues + SIZES.others * SIZES.otherIssues);
    expect(data.rowCounts.Comment).toBeGreaterThan(30_000);
    expect(data.rowCounts.IssueHistory).toBeGreaterThan(40_000);
    for (const table of ACTIVITY) expect(data.rowCounts[table], table).toBeGreaterThanOrEqual(1_000);
  });
});

describe("the issue list (loadIssueList, listIssues, countIssuesByCategory)", () => {
  const query = (q: Partial<IssueListQuery>): IssueListQuery => ({
    category: null,
    status: [],
    priority: null,
    machine: null,
    location: null,
    assignee: null,
    reporter: null,
    q: null,
    sort: null,
    dir: null,
    after: null,
    before: null,
    ...q,
  });
  // The list's views (category tabs) in both directions, and the narrowing filters.
  const views: {
    name: string;
    q: () => Partial<IssueListQuery>;
    filters: () => IssueListFilters;
    dirs: SortDir[];
    /** Only these sorts (the forgiving searches: ranked, or newest first). */
    sorts?: readonly IssueSort[];
  }[] = [
    { name: "open issues", q: () => ({}), filters: () => ({ category: "active" }), dirs: ["desc", "asc"] },
    {
      name: "all issues",
      q: () => ({ category: "all" }),
      filters: () => ({ category: "all" }),
      dirs: ["desc", "asc"],
    },
    {
      name: "closed issues",
      q: () => ({ category: "closed" }),
      filters: () => ({ category: "RESOLVED" }),
      dirs: ["desc", "asc"],
    },
    {
      name: "one status",
      q: () => ({ status: [ids["In Progress"]] }),
      filters: () => ({ category: "all", statusIds: [ids["In Progress"]] }),
      dirs: ["desc"],
    },
    {
      name: "one priority",
      q: () => ({ priority: ids.High }),
      filters: () => ({ category: "active", priorityId: ids.High }),
      dirs: ["desc"],
    },
    {
      name: "one assignee",
      q: () => ({ assignee: data.big.memberIds[3], category: "all" }),
      filters: () => ({ category: "all", assigneeId: data.big.memberIds[3] }),
      dirs: ["desc"],
    },
    {
      name: "a search",
      q: () => ({ q: "flipper" }),
      filters: () => ({ category: "active", q: "flipper" }),
      dirs: ["desc"],
      sorts: ["created", "updated", "priority", "upvotes", "relevance"],
    },
    // The forgiving search (docs/decisions/038-trigram-search-and-duplicate-guard.md): a typo (title trigrams),
    // a machine's name, a member reporter's name.
    ...(["fliper", "Machine 12", "Volume User 17"] as const).map((text) => ({
      name: `a search for "${text}"`,
      q: () => ({ q: text }),
      filters: () => ({ category: "active" as const, q: text }),
      dirs: ["desc" as const],
      sorts: ["relevance", "created"] as const,
    })),
  ];
  const sorts = ["created", "updated", "priority", "upvotes"] as const;
  const cases = views.flatMap((v) =>
    (v.sorts ?? sorts).flatMap((sort) => v.dirs.map((dir) => ({ view: v, sort, dir }))),
  );

  it.each(cases.map((c) => [`${c.view.name}, by ${c.sort} ${c.dir}`, c] as const))(
    "%s: no sequential scan of an activity table",
    async (_, { view, sort, dir }) => {
      const plans = await plansOf(() => loadIssueList(admin, query({ ...view.q(), sort, dir })));
      // The page, the counts, the pickers' choices (one statement), the machine picker and the locations.
      expect(plans.length).toBeGreaterThanOrEqual(5);
      // Sorting by votes counts the votes of every matching issue (a correlated count per issue): reading all of
      // them is in the nature of that sort, and the planner may rightly read them sequentially (decision 027).
      const byVotes = (p: Planned, table: string) =>
        table === "Issue" && /order by \(select count/.test(p.statement.text);
      expect(seqScans(plans, ACTIVITY, byVotes)).toEqual([]);
    },
  );

  it.each(cases.filter((c) => c.sort !== "upvotes").map((c) => [`${c.view.name}, by ${c.sort} ${c.dir}`, c] as const))(
    "%s: the page reads few issues, also the second page",
    async (_, { view, sort, dir }) => {
      const input: ListIssuesInput = { organizationId: org, filters: view.filters(), sort, dir, limit: 25 };
      rec.take();
      const first = await listIssues(rec.db, input);
      // One statement, or two for a search: the names it may mean (findSearchNames), then the page.
      const firstPage = rec.take();
      expect(firstPage).toHaveLength(view.filters().q ? 2 : 1);
      expect(first.items.length).toBeGreaterThan(0);
      const read = await issueRowsRead(firstPage[firstPage.length - 1]);
      expect(read.rows, read.plan).toBeLessThanOrEqual(PAGE_READ_LIMIT);
      if (!first.nextCursor) return; // one assignee's issues fit on one page

      const [value, id] = JSON.parse(Buffer.from(first.nextCursor, "base64url").toString()) as [
        string | number,
        string,
      ];
      await listIssues(rec.db, { ...input, cursor: { kind: "after", value, id } });
      const second = await issueRowsRead(rec.take().at(-1)!);
      expect(second.rows, second.plan).toBeLessThanOrEqual(PAGE_READ_LIMIT);
    },
  );
});

describe("single lookups and pages around one machine", () => {
  it("the QR code lookup: the organization of the address and its machine in one statement", async () => {
    const plans = await plansOf(() => resolveQrCode({ db: rec.db, subdomain: data.big.subdomain }, "vq_0_17"));
    expect(plans).toHaveLength(1);
    expect(seqScans(plans, [...ACTIVITY, "Machine"])).toEqual([]);
  });

  it("the member machine page and the public machine page", async () => {
    const machineId = data.big.machineIds(17);
    const plans = [
      ...(await plansOf(() => loadMachinePage(admin, machineId))),
      ...(await plansOf(() => loadPublicMachinePage(visitor, machineId, null))),
    ];
    expect(plans.length).toBeGreaterThan(5);
    expect(seqScans(plans, [...ACTIVITY, "Machine"])).toEqual([]);
  });

  it("the permission check and the access of a request (organization, session, membership, role, unread count)", async () => {
    const member = data.big.memberIds[5];
    const subdomain = data.big.subdomain;
    const plans = [
      ...(await plansOf(() => loadMemberAccess(rec.db, member, org))),
      ...(await plansOf(() =>
        loadRequestAccess(rec.db, {
          subdomain,
          sessionToken: "0123456789abcdef",
          visitorRoleName: "Unauthenticated",
          withUnread: true,
        }),
      )),
    ];
    expect(plans).toHaveLength(2);
    expect(seqScans(plans, [...ACTIVITY, "Membership", "User", "Session"])).toEqual([]);
  });

  it("the issue page: the issue with its timeline, photos, watch and pickers in one statement", async () => {
    const [issue] = rowsOf(
      await t.db.execute(sql`select id from "Issue" where "organizationId" = ${org} order by id limit 1 offset 500`),
    );
    const plans = await plansOf(() => loadIssuePage(admin, String(issue.id), { showDeleted: true }));
    expect(plans).toHaveLength(1);
    expect(seqScans(plans, ACTIVITY)).toEqual([]);
  });
});

describe("search and the machine lists", () => {
  it("the machine list and the public home page, with and without a search (db/queries/search.server.ts)", async () => {
    const list = (q: string | null) =>
      loadMachineList(admin, {
        q,
        location: null,
        model: null,
        manufacturer: null,
        owner: null,
        status: null,
        collection: null,
        page: null,
      });
    const plans = [
      ...(await plansOf(() => list(null))),
      ...(await plansOf(() => list("machine 12"))),
      ...(await plansOf(() => loadHomePage(visitor, { q: "", page: 1 }))),
      ...(await plansOf(() => loadHomePage(visitor, { q: "machine 12", page: 1 }))),
      ...(await plansOf(() =>
        loadNewMachinePage(admin, { modelq: "willi", name: null, modelId: null, locationId: null, ownerId: null }),
      )),
    ];
    expect(plans.length).toBeGreaterThan(10);
    expect(seqScans(plans, ACTIVITY)).toEqual([]);
  });

  it("the venue status board (every machine, its open issues and last public event)", async () => {
    const plans = await plansOf(() => loadStatusBoard(visitor));
    expect(plans).toHaveLength(2);
    expect(seqScans(plans, ACTIVITY)).toEqual([]);
  });
});

describe("the reliability page (loadInsights, db/queries/insights.server.ts)", () => {
  it.each([30, 365] as const)("over %i days: no sequential scan of an activity table", async (period) => {
    const plans = await plansOf(() => loadInsights(admin, { period, location: null }));
    expect(plans.length).toBeGreaterThanOrEqual(6);
    // Downtime needs every issue open now, however old (it is down or degraded still): reading all of them is in the
    // nature of the figure, and the planner may rightly read Issue sequentially for that part. Their history, and
    // everything else, goes through indexes.
    const openIssues = (p: Planned, table: string) => table === "Issue" && /\bcand as \(/.test(p.statement.text);
    expect(seqScans(plans, ACTIVITY, openIssues)).toEqual([]);
  });

  it.each([30, 365] as const)("over %i days: no step compares every stretch with every machine", async (period) => {
    rec.take();
    await loadInsights(admin, { period, location: null });
    // Rows a plan node handles (kept or filtered away, times loops), from EXPLAIN ANALYZE: the downtime sweep once
    // joined each open stretch to every counted span of the organization (stretches × machines rows, 275 million on
    // the 200,000-issue bench organization). A few times the organization's issues is what the figures need.
    const limit = 20 * SIZES.issues;
    const heavy: string[] = [];
    for (const statement of rec.take()) {
      const root = await explain(t.db, t.kind, statement, { analyze: true });
      const walk = (node: PlanNode) => {
        const n = (k: string) => Number(node[k] ?? 0);
        const handled =
          (n("Actual Rows") + n("Rows Removed by Filter") + n("Rows Removed by Join Filter")) * n("Actual Loops");
        if (handled > limit)
          heavy.push(`${Math.round(handled)} rows in ${node["Node Type"]} of\n${describePlan(root)}`);
        for (const child of node.Plans ?? []) walk(child);
      };
      walk(root);
    }
    expect(heavy).toEqual([]);
  });
});

describe("deleting a user: the foreign-key lookups PostgreSQL runs for every reference to User", () => {
  // The statements PostgreSQL's referential actions run per referencing column (ri_triggers.c): a lookup for
  // RESTRICT / NO ACTION, an UPDATE … SET NULL, a DELETE for CASCADE; built here from the schema's foreign keys.
  const tables = (Object.values(schema) as unknown[]).filter((v): v is PgTable => v instanceof PgTable);
  const references = tables.flatMap((table) =>
    getTableConfig(table)
      .foreignKeys.filter((fk) => fk.reference().foreignTable === users)
      .map((fk) => {
        const column = fk.reference().columns[0];
        const key = Object.entries(getTableColumns(table)).find(([, c]) => c === column)![0];
        return { table, name: getTableConfig(table).name, column: column as PgColumn, key, onDelete: fk.onDelete };
      }),
  );

  it("covers every reference", () => {
    expect(references.map((r) => `${r.name}.${r.column.name}`).sort()).toEqual([
      "Account.userId",
      "AuditLog.actorId",
      "Comment.authorId",
      "Comment.deletedBy",
      "Invitation.acceptedById",
      "Invitation.invitedById",
      "Issue.assignedToId",
      "Issue.createdById",
      "IssueHistory.actorId",
      "IssueMerge.mergedById",
      "IssueMerge.undoneById",
      "Machine.ownerId",
      "MachinePresenceChange.actorId",
      "MaintenanceNote.authorId",
      "Membership.userId",
      "Notification.userId",
      "Password.userId",
      "PasswordResetToken.userId",
      "Session.userId",
      "Upvote.userId",
      "Watch.userId",
    ]);
  });

  it("finds the rows of the user through an index that starts with the referencing column", async () => {
    const userId = data.big.memberIds[1];
    const db = t.db as Db;
    // The first column of every index, to tell a lookup from a scan of a whole index on another leading column.
    const firstColumn = new Map(
      rowsOf(
        await t.db.execute(
          sql.raw(`select c.relname as name, a.attname as first from pg_index i
                   join pg_class c on c.oid = i.indexrelid
                   join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]`),
        ),
      ).map((r) => [String(r.name), String(r.first)]),
    );
    const small: string[] = [];
    const problems: string[] = [];
    for (const r of references) {
      if ((data.rowCounts[r.name] ?? 0) < 1_000) {
        small.push(r.name);
        continue;
      }
      const where = eq(r.column, userId);
      // (drizzle's update also sets the $onUpdate columns; the rows are found the same way)
      const built =
        r.onDelete === "cascade"
          ? db.delete(r.table).where(where).toSQL()
          : r.onDelete === "set null"
            ? db
                .update(r.table)
                .set({ [r.key]: null })
                .where(where)
                .toSQL()
            : db
                .select({ one: sql`1` })
                .from(r.table)
                .where(where)
                .for("key share")
                .toSQL();
      const plan = await explain(t.db, t.kind, { text: built.sql, params: built.params });
      const scans = scansOf(plan);
      const used = scans.filter((s) => s.index).map((s) => s.index!);
      const ok =
        scans.every((s) => s.node !== "Seq Scan") &&
        used.length > 0 &&
        used.every((i) => firstColumn.get(i) === r.column.name);
      if (!ok) problems.push(`${r.name}.${r.column.name}:\n${describePlan(plan)}`);
    }
    // Account (NextAuth's, never written), Password (no passwords in this data) and PasswordResetToken (no resets
    // asked for) are empty here; PasswordResetToken_userId_idx serves its lookup once it has rows. So are the floor's
    // tables (docs/decisions/041-floor-presence-maintenance-watchers.md), served by MachinePresenceChange_actorId_idx,
    // MaintenanceNote_authorId_idx and Watch_userId_issueId_key; and IssueMerge (no merges in this data; its partial
    // indexes IssueMerge_mergedById_idx and IssueMerge_undoneById_idx start with the column).
    expect(small.sort()).toEqual([
      "Account",
      "IssueMerge",
      "IssueMerge",
      "MachinePresenceChange",
      "MaintenanceNote",
      "Password",
      "PasswordResetToken",
      "Watch",
    ]);
    expect(problems).toEqual([]);
  });
});
