/**
 * The venue status board (/status, /status.json): every machine of the organization with its location, open-issue
 * numbers and the time of its latest public issue event, in one statement (grouped subqueries, never a query per
 * machine). Machines off the floor are left out. The status itself is derived in app/use-cases/status-board.server.ts with core/machine-status.ts, from
 * the same numbers the public machine page uses.
 */
import { and, asc, eq, gte, isNotNull, sql } from "drizzle-orm";
import { ON_FLOOR } from "../../core/machine-presence";
import type { DbOrTx } from "../client.server";
import { issueHistory, issues, locations, machines, models } from "../schema";
import { openIssueStatsSubquery } from "./machines.server";

/**
 * The history entries that count as "last update" on the board: the ones a visitor can already see on a report's
 * follow page (db/queries/public.server.ts getFollowPage) plus priority changes, which can turn a machine "down".
 * Comments, assignments and attachments stay internal.
 */
export const STATUS_BOARD_EVENT_TYPES = [
  "CREATED",
  "STATUS_CHANGED",
  "PRIORITY_CHANGED",
  "RESOLVED",
  "REOPENED",
] as const;

/**
 * "Last update" looks this far back. Reading every history entry of the organization on each board request would grow
 * with its whole past; an issue's `updatedAt` moves with every one of these events (they all change the issue row),
 * so the issues updated in the window, found through `Issue_organizationId_updatedAt_idx`, hold every recent event.
 */
export const STATUS_BOARD_WINDOW_DAYS = 90;

/** A board shows at most this many machines (a venue is far smaller); `truncated` says when more exist. */
export const STATUS_BOARD_MAX_ROWS = 1000;

export interface StatusBoardRow {
  locationId: string;
  locationName: string;
  /** null for a location without machines (only when empty locations were asked for). */
  machine: {
    id: string;
    name: string;
    modelName: string;
    manufacturer: string | null;
    year: number | null;
    openIssueCount: number;
    maxOpenPriorityOrder: number | null;
    /**
     * ISO 8601 (UTC) of the latest event of STATUS_BOARD_EVENT_TYPES on any of its issues within the last
     * STATUS_BOARD_WINDOW_DAYS, null without any.
     */
    lastEventAt: string | null;
  } | null;
}

export async function listStatusBoardRows(
  db: DbOrTx,
  organizationId: string,
  opts: { includeEmptyLocations: boolean; now: Date },
): Promise<{ rows: StatusBoardRow[]; truncated: boolean }> {
  const since = new Date(opts.now.getTime() - STATUS_BOARD_WINDOW_DAYS * 24 * 3600 * 1000);
  const stats = openIssueStatsSubquery(db, organizationId);
  // Per issue updated in the window, its latest public event: a correlated subquery, so each issue's entries are read
  // through IssueHistory_issueId_changedAt_idx (a join let the planner scan the organization's whole history).
  // "Issue"."id" is spelled out: drizzle renders a column in a select list's sql without its table, which inside
  // the subquery would name the history row's own id.
  const eventTypes = sql.join(
    STATUS_BOARD_EVENT_TYPES.map((type) => sql`${type}`),
    sql`, `,
  );
  const recent = db
    .select({
      machineId: issues.machineId,
      at: sql<string | null>`(select h."changedAt" from ${issueHistory} h where h."issueId" = "Issue"."id"
        and h."organizationId" = ${organizationId} and h."changedAt" >= ${since.toISOString()}::timestamp(3)
        and h."type" in (${eventTypes}) order by h."issueId" desc, h."changedAt" desc limit 1)`.as("at"),
    })
    .from(issues)
    .where(and(eq(issues.organizationId, organizationId), gte(issues.updatedAt, since)))
    .as("recent_issues");
  const activity = db
    .select({
      machineId: recent.machineId,
      // Formatted in SQL: drivers differ in how they return an aggregate over `timestamp without time zone`.
      lastAt: sql<string | null>`to_char(max(${recent.at}), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`.as("lastAt"),
    })
    .from(recent)
    .groupBy(recent.machineId)
    .as("board_activity");

  const rows = await db
    .select({
      locationId: locations.id,
      locationName: locations.name,
      machineId: machines.id,
      machineName: machines.name,
      modelName: models.name,
      manufacturer: models.manufacturer,
      year: models.year,
      openIssueCount: sql<number>`coalesce(${stats.openCount}, 0)`,
      maxOpenPriorityOrder: stats.maxOrder,
      lastEventAt: activity.lastAt,
    })
    .from(locations)
    // Only machines on the floor are on the board (core/machine-presence.ts): one off it cannot be played or reported.
    .leftJoin(
      machines,
      and(
        eq(machines.locationId, locations.id),
        eq(machines.organizationId, organizationId),
        eq(machines.presence, ON_FLOOR),
      ),
    )
    .leftJoin(models, eq(models.id, machines.modelId))
    .leftJoin(stats, eq(stats.machineId, machines.id))
    .leftJoin(activity, eq(activity.machineId, machines.id))
    .where(
      opts.includeEmptyLocations
        ? eq(locations.organizationId, organizationId)
        : and(eq(locations.organizationId, organizationId), isNotNull(machines.id)),
    )
    .orderBy(asc(locations.name), asc(locations.id), asc(machines.name), asc(machines.id))
    .limit(STATUS_BOARD_MAX_ROWS + 1);

  return {
    truncated: rows.length > STATUS_BOARD_MAX_ROWS,
    rows: rows.slice(0, STATUS_BOARD_MAX_ROWS).map((r) => ({
      locationId: r.locationId,
      locationName: r.locationName,
      machine: r.machineId
        ? {
            id: r.machineId,
            name: r.machineName ?? "",
            modelName: r.modelName ?? "",
            manufacturer: r.manufacturer ?? null,
            year: r.year ?? null,
            openIssueCount: Number(r.openIssueCount),
            maxOpenPriorityOrder: r.maxOpenPriorityOrder == null ? null : Number(r.maxOpenPriorityOrder),
            lastEventAt: r.lastEventAt ?? null,
          }
        : null,
    })),
  };
}
