/**
 * Machines (physical cabinets) of an organization: filtered/paginated list with health, detail, and the single
 * statements of create/update/delete (app/use-cases/machines.server.ts checks references and opens the transaction).
 * Open-issue numbers are aggregated in SQL (one grouped subquery per list), never per row.
 */
import { and, asc, desc, eq, ilike, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { reusableQuery } from "../reusable-query.server";
import { issueStatuses, issues, locations, machines, memberships, models, priorities, users } from "../schema";
import {
  checkMachineDetail,
  checkMachineIssues,
  checkOwnerOptions,
  checkTopPriorityOrder,
} from "../reference/machines.server";
import { validationEnabled } from "../validate.server";
import { machineSummaryColumns, type MachineSummary } from "./machine-summary.server";
import { containsPattern } from "./search.server";

export type HealthFilter = "playable" | "degraded" | "down";

/** Per machine of the organization: number of open issues and the highest priority order among them. */
export function openIssueStatsSubquery(db: DbOrTx, organizationId: string) {
  return db
    .select({
      machineId: issues.machineId,
      openCount: sql<number>`count(*)::int`.as("openCount"),
      maxOrder: sql<number | null>`max(${priorities.order})`.as("maxOrder"),
    })
    .from(issues)
    .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
    .innerJoin(priorities, eq(priorities.id, issues.priorityId))
    .where(and(eq(issues.organizationId, organizationId), ne(issueStatuses.category, "RESOLVED")))
    .groupBy(issues.machineId)
    .as("open_stats");
}

/** Name, model, maker or location contains `q` (case-insensitive, wildcards taken literally). */
function machineTextMatch(q: string): SQL {
  const pattern = containsPattern(q);
  return or(
    ilike(machines.name, pattern),
    ilike(models.name, pattern),
    ilike(models.manufacturer, pattern),
    ilike(locations.name, pattern),
  ) as SQL;
}

/** The organization's most severe priority order ("machine down"), or null without priorities. */
// On every machine page (its "out of order" rule).
const topPriorityOrderQuery = reusableQuery("top_priority_order", (db, name) =>
  db
    .select({ top: sql<number | null>`max(${priorities.order})` })
    .from(priorities)
    .where(eq(priorities.organizationId, sql.placeholder("organizationId")))
    .prepare(name),
);

export async function topPriorityOrder(db: DbOrTx, organizationId: string): Promise<number | null> {
  const [row] = await topPriorityOrderQuery(db).execute({ organizationId });
  const top = row?.top == null ? null : Number(row.top);
  if (validationEnabled()) await checkTopPriorityOrder(db, organizationId, top);
  return top;
}

export interface MachineListFilters {
  q?: string;
  locationId?: string;
  modelId?: string;
  manufacturer?: string;
  /** A user id, or "none" for machines without owner. */
  ownerId?: string;
  status?: HealthFilter;
  /** Restrict to these machines (a collection's members); an empty list matches nothing. */
  machineIds?: string[];
  page?: number;
  pageSize?: number;
}

export interface MachineListRow extends MachineSummary {
  ownerId: string | null;
  ownerName: string | null;
  openIssueCount: number;
  maxOpenPriorityOrder: number | null;
}

export async function listMachines(
  db: DbOrTx,
  organizationId: string,
  filters: MachineListFilters = {},
): Promise<{ rows: MachineListRow[]; total: number; page: number; pageSize: number; topPriorityOrder: number | null }> {
  const pageSize = Math.min(Math.max(filters.pageSize ?? 24, 1), 500);
  const page = Math.max(filters.page ?? 1, 1);
  const top = await topPriorityOrder(db, organizationId);
  const stats = openIssueStatsSubquery(db, organizationId);

  const conditions: SQL[] = [eq(machines.organizationId, organizationId)];
  const q = filters.q?.trim();
  if (q) conditions.push(machineTextMatch(q));
  if (filters.locationId) conditions.push(eq(machines.locationId, filters.locationId));
  if (filters.machineIds)
    conditions.push(filters.machineIds.length ? inArray(machines.id, filters.machineIds) : sql`false`);
  if (filters.modelId) conditions.push(eq(machines.modelId, filters.modelId));
  if (filters.manufacturer) conditions.push(eq(models.manufacturer, filters.manufacturer));
  if (filters.ownerId === "none") conditions.push(isNull(machines.ownerId));
  else if (filters.ownerId) conditions.push(eq(machines.ownerId, filters.ownerId));
  if (filters.status === "playable") conditions.push(sql`coalesce(${stats.openCount}, 0) = 0`);
  else if (filters.status === "down")
    conditions.push(
      top == null ? sql`false` : sql`coalesce(${stats.openCount}, 0) > 0 and ${stats.maxOrder} >= ${top}`,
    );
  else if (filters.status === "degraded")
    conditions.push(
      top == null
        ? sql`coalesce(${stats.openCount}, 0) > 0`
        : sql`coalesce(${stats.openCount}, 0) > 0 and (${stats.maxOrder} is null or ${stats.maxOrder} < ${top})`,
    );
  const where = and(...conditions);

  const base = () =>
    db
      .select({
        ...machineSummaryColumns,
        ownerId: machines.ownerId,
        ownerName: users.name,
        openIssueCount: sql<number>`coalesce(${stats.openCount}, 0)`,
        maxOpenPriorityOrder: stats.maxOrder,
        total: sql<number>`count(*) over ()`,
      })
      .from(machines)
      .innerJoin(models, eq(models.id, machines.modelId))
      .innerJoin(locations, and(eq(locations.id, machines.locationId), eq(locations.organizationId, organizationId)))
      .leftJoin(users, eq(users.id, machines.ownerId))
      .leftJoin(stats, eq(stats.machineId, machines.id))
      .where(where);

  const rows = await base()
    .orderBy(asc(machines.name), asc(machines.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  let total = rows.length ? Number(rows[0].total) : 0;
  if (!rows.length && page > 1) {
    // Past the last page: still report the real total so the pager can link back.
    const [c] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(machines)
      .innerJoin(models, eq(models.id, machines.modelId))
      .innerJoin(locations, eq(locations.id, machines.locationId))
      .leftJoin(stats, eq(stats.machineId, machines.id))
      .where(where);
    total = Number(c?.n ?? 0);
  }
  return {
    rows: rows.map(({ total: _t, ...r }) => ({
      ...r,
      openIssueCount: Number(r.openIssueCount),
      maxOpenPriorityOrder: r.maxOpenPriorityOrder == null ? null : Number(r.maxOpenPriorityOrder),
    })),
    total,
    page,
    pageSize,
    topPriorityOrder: top,
  };
}

/** A machine of the organization with model, location and owner (member detail page). */
export async function getMachineDetail(db: DbOrTx, organizationId: string, machineId: string) {
  const [row] = await db
    .select({
      id: machines.id,
      name: machines.name,
      modelId: machines.modelId,
      locationId: machines.locationId,
      ownerId: machines.ownerId,
      ownerNotificationsEnabled: machines.ownerNotificationsEnabled,
      notifyOnNewIssues: machines.notifyOnNewIssues,
      notifyOnStatusChanges: machines.notifyOnStatusChanges,
      notifyOnComments: machines.notifyOnComments,
      qrCodeId: machines.qrCodeId,
      qrCodeGeneratedAt: machines.qrCodeGeneratedAt,
      createdAt: machines.createdAt,
      modelName: models.name,
      manufacturer: models.manufacturer,
      year: models.year,
      machineType: models.machineType,
      opdbId: models.opdbId,
      ipdbId: models.ipdbId,
      isCustomModel: models.isCustom,
      locationName: locations.name,
      ownerName: users.name,
    })
    .from(machines)
    .innerJoin(models, eq(models.id, machines.modelId))
    .innerJoin(locations, eq(locations.id, machines.locationId))
    .leftJoin(users, eq(users.id, machines.ownerId))
    .where(and(eq(machines.id, machineId), eq(machines.organizationId, organizationId)))
    .limit(1);
  if (validationEnabled()) await checkMachineDetail(db, organizationId, machineId, row ?? null);
  return row ?? null;
}

/** Issues of one machine for the member detail page: every open issue plus the most recent closed ones. */
export async function listMachineIssues(
  db: DbOrTx,
  organizationId: string,
  machineId: string,
  opts: { recentClosed?: number } = {},
) {
  const columns = {
    id: issues.id,
    title: issues.title,
    createdAt: issues.createdAt,
    resolvedAt: issues.resolvedAt,
    statusName: issueStatuses.name,
    category: issueStatuses.category,
    priorityName: priorities.name,
    priorityOrder: priorities.order,
  };
  const scope = and(eq(issues.organizationId, organizationId), eq(issues.machineId, machineId));
  const open = await db
    .select(columns)
    .from(issues)
    .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
    .innerJoin(priorities, eq(priorities.id, issues.priorityId))
    .where(and(scope, ne(issueStatuses.category, "RESOLVED")))
    .orderBy(desc(priorities.order), desc(issues.createdAt), desc(issues.id))
    .limit(200);
  const closed = await db
    .select(columns)
    .from(issues)
    .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
    .innerJoin(priorities, eq(priorities.id, issues.priorityId))
    .where(and(scope, eq(issueStatuses.category, "RESOLVED")))
    .orderBy(desc(sql`coalesce(${issues.resolvedAt}, ${issues.updatedAt})`), desc(issues.id))
    .limit(opts.recentClosed ?? 5);
  if (validationEnabled())
    await checkMachineIssues(db, organizationId, machineId, opts.recentClosed ?? 5, { open, closed });
  return { open, closed };
}

export async function machineExists(db: DbOrTx, organizationId: string, machineId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: machines.id })
    .from(machines)
    .where(and(eq(machines.id, machineId), eq(machines.organizationId, organizationId)))
    .limit(1);
  return Boolean(row);
}

/** Members who can own machines (owner picker, owner filter). Names only; emails stay on member-admin pages. */
export async function listOwnerOptions(db: DbOrTx, organizationId: string) {
  const rows = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organizationId, organizationId))
    .orderBy(asc(sql`coalesce(${users.name}, ${users.email})`), asc(users.id));
  // Members without a name are shown by the part of their address before the @.
  const result = rows.map((r) => ({ id: r.id, name: r.name || (r.email ? r.email.split("@")[0] : "Member") }));
  if (validationEnabled()) await checkOwnerOptions(db, organizationId, result);
  return result;
}

/** The columns a machine is written with (create and edit); the use case has checked every reference. */
export interface MachineRowInput {
  name: string;
  modelId: string;
  locationId: string;
  ownerId: string | null;
}

/** Inserts a machine with a printable QR code (the token is set by default; the label counts as made now). */
export async function insertMachine(
  db: DbOrTx,
  organizationId: string,
  input: MachineRowInput,
): Promise<{ id: string; qrCodeId: string }> {
  const [row] = await db
    .insert(machines)
    .values({ ...input, organizationId, qrCodeGeneratedAt: new Date() })
    .returning({ id: machines.id, qrCodeId: machines.qrCodeId });
  return row;
}

/** Locks the machine row for the rest of the transaction; false when it is not in the organization. */
export async function lockMachine(tx: DbOrTx, organizationId: string, machineId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: machines.id })
    .from(machines)
    .where(and(eq(machines.id, machineId), eq(machines.organizationId, organizationId)))
    .for("update")
    .limit(1);
  return Boolean(row);
}

export async function updateMachineRow(
  db: DbOrTx,
  organizationId: string,
  machineId: string,
  input: MachineRowInput,
): Promise<boolean> {
  const rows = await db
    .update(machines)
    .set(input)
    .where(and(eq(machines.id, machineId), eq(machines.organizationId, organizationId)))
    .returning({ id: machines.id });
  return rows.length > 0;
}

/** The machine's owner, or undefined when the machine is not in the organization. */
export async function getMachineOwnerId(
  db: DbOrTx,
  organizationId: string,
  machineId: string,
): Promise<string | null | undefined> {
  const [row] = await db
    .select({ ownerId: machines.ownerId })
    .from(machines)
    .where(and(eq(machines.id, machineId), eq(machines.organizationId, organizationId)))
    .limit(1);
  return row ? row.ownerId : undefined;
}

export interface OwnerNotificationSettings {
  ownerNotificationsEnabled: boolean;
  notifyOnNewIssues: boolean;
  notifyOnStatusChanges: boolean;
  notifyOnComments: boolean;
}

export async function updateOwnerNotifications(
  db: DbOrTx,
  organizationId: string,
  machineId: string,
  settings: OwnerNotificationSettings,
): Promise<boolean> {
  const rows = await db
    .update(machines)
    .set(settings)
    .where(and(eq(machines.id, machineId), eq(machines.organizationId, organizationId)))
    .returning({ id: machines.id });
  return rows.length > 0;
}

/** Issues of the machine, open or closed (Issue.machine is Restrict: a machine with any cannot be deleted). */
export async function countMachineIssues(db: DbOrTx, organizationId: string, machineId: string): Promise<number> {
  const [c] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(issues)
    .where(and(eq(issues.machineId, machineId), eq(issues.organizationId, organizationId)));
  return Number(c?.n ?? 0);
}

/** Deletes the machine row (the caller has checked that no issues point at it). */
export async function deleteMachineRow(db: DbOrTx, organizationId: string, machineId: string): Promise<void> {
  await db.delete(machines).where(and(eq(machines.id, machineId), eq(machines.organizationId, organizationId)));
}

export type ReportPickerRow = MachineSummary;

/** Minimal machine list for the public "pick a machine" page, by location then name; optional text filter. */
export async function listMachinesForReport(
  db: DbOrTx,
  organizationId: string,
  opts: { q?: string; limit?: number } = {},
): Promise<ReportPickerRow[]> {
  const conditions: SQL[] = [eq(machines.organizationId, organizationId)];
  const q = opts.q?.trim();
  if (q) conditions.push(machineTextMatch(q));
  return db
    .select(machineSummaryColumns)
    .from(machines)
    .innerJoin(models, eq(models.id, machines.modelId))
    .innerJoin(locations, eq(locations.id, machines.locationId))
    .where(and(...conditions))
    .orderBy(asc(locations.name), asc(machines.name))
    .limit(Math.min(opts.limit ?? 1000, 2000));
}

/** Machine ids that belong to the organization (filters a caller-supplied list). */
export async function filterOrganizationMachineIds(
  db: DbOrTx,
  organizationId: string,
  ids: string[],
): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db
    .select({ id: machines.id })
    .from(machines)
    .where(and(eq(machines.organizationId, organizationId), inArray(machines.id, ids)));
  return rows.map((r) => r.id);
}
