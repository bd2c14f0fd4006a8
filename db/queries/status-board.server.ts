/**
 * The venue status board (/status, /status.json): every machine of the organization with its location, open-issue
 * numbers and the time of its latest public issue event, in one statement (grouped subqueries, never a query per
 * machine). The status itself is derived in app/use-cases/status-board.server.ts with core/machine-status.ts, from
 * the same numbers the public machine page uses.
 */
import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
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
    /** ISO 8601 (UTC) of the latest event of STATUS_BOARD_EVENT_TYPES on any of its issues, null without any. */
    lastEventAt: string | null;
  } | null;
}

export async function listStatusBoardRows(
  db: DbOrTx,
  organizationId: string,
  opts: { includeEmptyLocations: boolean },
): Promise<{ rows: StatusBoardRow[]; truncated: boolean }> {
  const stats = openIssueStatsSubquery(db, organizationId);
  const activity = db
    .select({
      machineId: issues.machineId,
      // Formatted in SQL: drivers differ in how they return an aggregate over `timestamp without time zone`.
      lastAt: sql<string | null>`to_char(max(${issueHistory.changedAt}), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`.as("lastAt"),
    })
    .from(issueHistory)
    .innerJoin(issues, and(eq(issues.id, issueHistory.issueId), eq(issues.organizationId, organizationId)))
    .where(
      and(eq(issueHistory.organizationId, organizationId), inArray(issueHistory.type, [...STATUS_BOARD_EVENT_TYPES])),
    )
    .groupBy(issues.machineId)
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
    .leftJoin(machines, and(eq(machines.locationId, locations.id), eq(machines.organizationId, organizationId)))
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
