/**
 * Data for public pages (anonymous visitors, QR scans): minimal shapes, no reporter emails, no member emails, no
 * member names beyond a first name. Every function takes the organization id of the request.
 */
import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { reusableQuery } from "../reusable-query.server";
import {
  issueHistory,
  issueStatuses,
  issues,
  locations,
  machines,
  models,
  priorities,
  upvotes,
  users,
} from "../schema";
import { checkPublicMachinePage } from "../reference/public.server";
import { validationEnabled } from "../validate.server";
import { historyEntryColumns } from "./issues.server";
import { jsonTop, timeOf, type JsonTime } from "./json.server";
import { machineSummaryColumns } from "./machine-summary.server";
import { listMachines, type MachineListFilters } from "./machines.server";

export interface PublicOpenIssue {
  id: string;
  title: string;
  category: "NEW" | "IN_PROGRESS" | "RESOLVED";
  statusName: string;
  priorityOrder: number;
  createdAt: Date;
  upvoteCount: number;
}

// The public machine page (/m/<id>, the QR landing page) in one statement: its machine, open issues with "me too"
// counts, and the issues fixed since `since` (db/queries/json.server.ts).
const openIssuesOfMachine = jsonTop(
  {
    id: issues.id,
    title: issues.title,
    category: issueStatuses.category,
    statusName: issueStatuses.name,
    priorityOrder: priorities.order,
    createdAt: issues.createdAt,
    upvoteCount: sql`(select count(*)::int from ${upvotes} where ${upvotes.issueId} = ${issues.id})`,
  },
  [sql`${priorities.order} desc`, sql`${issues.createdAt} desc`, sql`${issues.id} desc`],
  sql`from ${issues}
      join ${issueStatuses} on ${issueStatuses.id} = ${issues.statusId}
      join ${priorities} on ${priorities.id} = ${issues.priorityId}
      where ${issues.organizationId} = ${machines.organizationId} and ${issues.machineId} = ${machines.id}
        and ${issueStatuses.category} <> 'RESOLVED'`,
  100,
);
const recentlyFixedOfMachine = jsonTop(
  { id: issues.id, title: issues.title, resolvedAt: issues.resolvedAt },
  [sql`${issues.resolvedAt} desc`, sql`${issues.id} desc`],
  sql`from ${issues}
      join ${issueStatuses} on ${issueStatuses.id} = ${issues.statusId}
      where ${issues.organizationId} = ${machines.organizationId} and ${issues.machineId} = ${machines.id}
        and ${issueStatuses.category} = 'RESOLVED' and ${issues.resolvedAt} >= ${sql.placeholder("since")}`,
  3,
);
const publicMachineQuery = reusableQuery("public_machine", (db, name) =>
  db
    .select({
      ...machineSummaryColumns,
      city: locations.city,
      presence: machines.presence,
      // The organization's most severe priority (its "out of order" rule).
      topPriorityOrder: sql<
        number | null
      >`(select max(${priorities.order}) from ${priorities} where ${priorities.organizationId} = ${machines.organizationId})`,
      openIssues: sql<(Omit<PublicOpenIssue, "createdAt"> & { createdAt: JsonTime })[]>`${openIssuesOfMachine}`,
      recentlyFixed: sql<{ id: string; title: string; resolvedAt: JsonTime }[]>`${recentlyFixedOfMachine}`,
    })
    .from(machines)
    .innerJoin(models, eq(models.id, machines.modelId))
    .innerJoin(locations, eq(locations.id, machines.locationId))
    .where(
      and(
        eq(machines.id, sql.placeholder("machineId")),
        eq(machines.organizationId, sql.placeholder("organizationId")),
      ),
    )
    .limit(1)
    .prepare(name),
);

/** Everything the public machine page needs, or null when the machine is not in the organization. */
export async function getPublicMachinePage(
  db: DbOrTx,
  organizationId: string,
  machineId: string,
  opts: { now?: Date } = {},
) {
  const since = new Date((opts.now ?? new Date()).getTime() - 30 * 24 * 3600 * 1000);
  // A placeholder's value skips the column's encoder: the timestamp goes as drizzle would send it.
  const [row] = await publicMachineQuery(db).execute({ organizationId, machineId, since: since.toISOString() });
  if (!row) {
    if (validationEnabled()) await checkPublicMachinePage(db, organizationId, machineId, since, null);
    return null;
  }
  const { topPriorityOrder: top, openIssues, recentlyFixed, ...machine } = row;
  const page = {
    machine,
    openIssues: openIssues.map((i): PublicOpenIssue => ({ ...i, createdAt: timeOf(i.createdAt) })),
    recentlyFixed: recentlyFixed.map((i) => ({ ...i, resolvedAt: timeOf(i.resolvedAt) })),
    topPriorityOrder: top == null ? null : Number(top),
  };
  if (validationEnabled()) await checkPublicMachinePage(db, organizationId, machineId, since, page);
  return page;
}

export interface SimilarOpenIssue {
  id: string;
  title: string;
  category: "NEW" | "IN_PROGRESS" | "RESOLVED";
  statusName: string;
  upvoteCount: number;
  /** The greater of the two similarities below, for the order. */
  score: number;
}

/**
 * Open issues of one machine whose title resembles the report's title (pg_trgm `word_similarity(report, issue title)`
 * at least `titleThreshold`), or whose title and description resemble the report's title and details (at least
 * `textThreshold`); the most similar first. Only titles and statuses: this is shown on the public page.
 * Reads the machine's issues through "Issue_organizationId_machineId_idx" (a machine has few open issues).
 */
export async function findSimilarOpenIssues(
  db: DbOrTx,
  organizationId: string,
  machineId: string,
  report: { title: string; description?: string },
  opts: { titleThreshold: number; textThreshold: number; limit: number },
): Promise<SimilarOpenIssue[]> {
  const reportText = [report.title, report.description ?? ""].join(" ").trim();
  const titleScore = sql<number>`word_similarity(${report.title}, ${issues.title})`;
  const textScore = sql<number>`word_similarity(${reportText}, ${issues.title} || ' ' || coalesce(${issues.description}, ''))`;
  const scored = db
    .select({
      id: issues.id,
      title: issues.title,
      category: issueStatuses.category,
      statusName: issueStatuses.name,
      createdAt: issues.createdAt,
      titleScore: sql<number>`${titleScore}`.as("titleScore"),
      textScore: sql<number>`${textScore}`.as("textScore"),
    })
    .from(issues)
    .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
    .where(
      and(
        eq(issues.organizationId, organizationId),
        eq(issues.machineId, machineId),
        ne(issueStatuses.category, "RESOLVED"),
      ),
    )
    .as("scored");
  const rows = await db
    .select({
      id: scored.id,
      title: scored.title,
      category: scored.category,
      statusName: scored.statusName,
      upvoteCount: sql<number>`(select count(*)::int from ${upvotes} where ${upvotes.issueId} = ${scored.id})`,
      score: sql<number>`greatest(${scored.titleScore}, ${scored.textScore})::float8`,
    })
    .from(scored)
    .where(sql`${scored.titleScore} >= ${opts.titleThreshold} or ${scored.textScore} >= ${opts.textThreshold}`)
    .orderBy(sql`greatest(${scored.titleScore}, ${scored.textScore}) desc`, desc(scored.createdAt), desc(scored.id))
    .limit(opts.limit);
  return rows.map((r) => ({ ...r, upvoteCount: Number(r.upvoteCount), score: Number(r.score) }));
}

/** Public machine cards (home page): no owner data. */
export async function listPublicMachines(
  db: DbOrTx,
  organizationId: string,
  filters: Pick<MachineListFilters, "q" | "locationId" | "status" | "page" | "pageSize">,
) {
  const result = await listMachines(db, organizationId, filters);
  return {
    ...result,
    rows: result.rows.map((r) => ({
      id: r.id,
      name: r.name,
      modelName: r.modelName,
      manufacturer: r.manufacturer,
      year: r.year,
      locationId: r.locationId,
      locationName: r.locationName,
      openIssueCount: r.openIssueCount,
      maxOpenPriorityOrder: r.maxOpenPriorityOrder,
    })),
  };
}

export interface FollowTimelineEntry {
  id: string;
  type: string;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  changedAt: Date;
  /** First name of the member who made the change, null for the reporter/system. */
  actorFirstName: string | null;
}

/**
 * The follow page of a report: looked up by its secret token within the organization. Only status-related history
 * is returned (created, status changes, resolved, reopened); comments and assignments stay internal.
 */
export async function getFollowPage(db: DbOrTx, organizationId: string, followToken: string) {
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(followToken)) return null;
  const [issue] = await db
    .select({
      id: issues.id,
      title: issues.title,
      createdAt: issues.createdAt,
      resolvedAt: issues.resolvedAt,
      category: issueStatuses.category,
      statusName: issueStatuses.name,
      machineId: machines.id,
      machineName: machines.name,
      modelName: models.name,
      locationName: locations.name,
      mergedIntoId: issues.mergedIntoId,
    })
    .from(issues)
    .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
    .innerJoin(machines, eq(machines.id, issues.machineId))
    .innerJoin(models, eq(models.id, machines.modelId))
    .innerJoin(locations, eq(locations.id, machines.locationId))
    .where(and(eq(issues.followToken, followToken), eq(issues.organizationId, organizationId)))
    .limit(1);
  if (!issue) return null;
  // A report merged into another as its duplicate: where that one stands (never its id, token or reporter).
  const [mergedInto] = issue.mergedIntoId
    ? await db
        .select({ category: issueStatuses.category, statusName: issueStatuses.name, resolvedAt: issues.resolvedAt })
        .from(issues)
        .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
        .where(and(eq(issues.id, issue.mergedIntoId), eq(issues.organizationId, organizationId)))
        .limit(1)
    : [];
  const rows = await db
    .select({ ...historyEntryColumns, actorName: users.name })
    .from(issueHistory)
    .leftJoin(users, eq(users.id, issueHistory.actorId))
    .where(
      and(
        eq(issueHistory.issueId, issue.id),
        eq(issueHistory.organizationId, organizationId),
        inArray(issueHistory.type, ["CREATED", "STATUS_CHANGED", "RESOLVED", "REOPENED", "MERGED"]),
      ),
    )
    .orderBy(asc(issueHistory.changedAt), asc(issueHistory.id))
    .limit(100);
  const { id: _id, mergedIntoId: _mergedIntoId, ...publicIssue } = issue;
  const timeline: FollowTimelineEntry[] = rows.map(({ actorName, ...r }) => ({
    ...r,
    actorFirstName: r.type === "CREATED" ? null : actorName ? actorName.trim().split(/\s+/)[0] || null : null,
  }));
  return { issue: publicIssue, mergedInto: mergedInto ?? null, timeline };
}

/**
 * The issue a follow link's "e-mail me when it's fixed" subscribes to: the report itself, or the issue it was merged
 * into (its subscribers moved there). Null when the token is unknown here.
 */
export async function findFollowSubscriptionTarget(db: DbOrTx, organizationId: string, followToken: string) {
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(followToken)) return null;
  const [row] = await db
    .select({ id: issues.id, mergedIntoId: issues.mergedIntoId })
    .from(issues)
    .where(and(eq(issues.followToken, followToken), eq(issues.organizationId, organizationId)))
    .limit(1);
  if (!row) return null;
  const targetId = row.mergedIntoId ?? row.id;
  const [target] = await db
    .select({ id: issues.id, category: issueStatuses.category })
    .from(issues)
    .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
    .where(and(eq(issues.id, targetId), eq(issues.organizationId, organizationId)))
    .limit(1);
  return target ?? null;
}
