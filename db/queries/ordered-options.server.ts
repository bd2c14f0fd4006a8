/**
 * Ordered, per-organization option lists with exactly one default: the statements that issue statuses
 * (./statuses.server.ts) and priorities (./priorities.server.ts) share. Each describes its table once as an
 * `OptionTable` (the table, the issue column that points at it, how to list and lock its rows, what moving issues to
 * another option changes); the helpers below are one statement each and never open a transaction: the writes of
 * app/use-cases/issue-options.server.ts run them inside one, after locking the organization's option rows.
 *
 * Every helper takes the organization id and puts it in the WHERE: ids from another organization find nothing.
 */
import { and, count, eq, inArray, max } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { DbOrTx } from "../client.server";
import { issueHistory, issues, type issueStatuses, type priorities } from "../schema";

/** What every option row has; a kind's rows add their own columns (a status category, a priority rank). */
export interface OptionRow {
  id: string;
  name: string;
  isDefault: boolean;
  sortOrder: number;
}

/** The `OptionRow` columns of an option table, for a kind's select (which adds its own columns). */
export function optionRowColumns(table: typeof issueStatuses | typeof priorities) {
  return { id: table.id, name: table.name, isDefault: table.isDefault, sortOrder: table.sortOrder };
}

export interface OptionTable<Row extends OptionRow> {
  /** One option as people say it, lower case; also the IssueHistory field of a move. */
  noun: "status" | "priority";
  table: typeof issueStatuses | typeof priorities;
  /** The issue column that points at an option of this kind. */
  issueColumn: typeof issues.statusId | typeof issues.priorityId;
  /** A severity rank column, when the kind has one (a new priority ranks above the highest). */
  rank?: typeof priorities.order;
  /** The organization's options in display order. */
  list(db: DbOrTx, organizationId: string): Promise<Row[]>;
  /** The same rows, locked FOR UPDATE (inside the transaction of a write). */
  lock(tx: DbOrTx, organizationId: string): Promise<Row[]>;
  /** What else changes on the issues moved to `target` when their option is deleted (updatedAt is set anyway). */
  moveIssuesTo(target: Row, now: Date): PgUpdateSetSource<typeof issues>;
}

/** The option `id` of the organization (every write names both). */
function optionWhere(kind: OptionTable<OptionRow>, organizationId: string, id: string) {
  return and(eq(kind.table.id, id), eq(kind.table.organizationId, organizationId));
}

/** The options with the number of issues using each (admin pages), in two queries. */
export async function listOptionsWithUsage<Row extends OptionRow>(
  db: DbOrTx,
  kind: OptionTable<Row>,
  organizationId: string,
) {
  const [rows, usage] = await Promise.all([
    kind.list(db, organizationId),
    db
      .select({ optionId: kind.issueColumn, n: count() })
      .from(issues)
      .where(eq(issues.organizationId, organizationId))
      .groupBy(kind.issueColumn),
  ]);
  const counts = new Map(usage.map((u) => [u.optionId, Number(u.n)]));
  return rows.map((r) => ({ ...r, issueCount: counts.get(r.id) ?? 0 }));
}

/** The highest display position, and the highest rank when the kind has one. */
export async function optionMaxima(
  db: DbOrTx,
  kind: OptionTable<OptionRow>,
  organizationId: string,
): Promise<{ topSort: number | null; highestRank: number | null }> {
  const { table, rank } = kind;
  const [row] = (await db
    .select(rank ? { topSort: max(table.sortOrder), highest: max(rank) } : { topSort: max(table.sortOrder) })
    .from(table)
    .where(eq(table.organizationId, organizationId))) as { topSort: number | null; highest?: number | null }[];
  return { topSort: row?.topSort ?? null, highestRank: row?.highest ?? null };
}

/** Inserts an option (never as the default); `values` are the kind's own columns. Returns its id. */
export async function insertOption(
  db: DbOrTx,
  kind: OptionTable<OptionRow>,
  organizationId: string,
  row: { name: string; sortOrder: number; values: Record<string, unknown> },
): Promise<string> {
  const { table } = kind;
  const [inserted] = await db
    .insert(table)
    .values({
      organizationId,
      name: row.name,
      ...row.values,
      isDefault: false,
      sortOrder: row.sortOrder,
    } as typeof table.$inferInsert)
    .returning({ id: table.id });
  return inserted.id;
}

/** Sets the name and the kind's own columns of one option. */
export async function updateOptionRow(
  db: DbOrTx,
  kind: OptionTable<OptionRow>,
  organizationId: string,
  id: string,
  values: { name: string } & Record<string, unknown>,
): Promise<void> {
  await db
    .update(kind.table)
    .set(values)
    .where(optionWhere(kind, organizationId, id));
}

/** Clears the organization's default (before setting a new one: the partial unique index allows one at any moment). */
export async function clearDefaultOption(
  db: DbOrTx,
  kind: OptionTable<OptionRow>,
  organizationId: string,
): Promise<void> {
  await db
    .update(kind.table)
    .set({ isDefault: false })
    .where(and(eq(kind.table.organizationId, organizationId), eq(kind.table.isDefault, true)));
}

export async function markDefaultOption(
  db: DbOrTx,
  kind: OptionTable<OptionRow>,
  organizationId: string,
  id: string,
): Promise<void> {
  await db
    .update(kind.table)
    .set({ isDefault: true })
    .where(optionWhere(kind, organizationId, id));
}

export async function setOptionSortOrder(
  db: DbOrTx,
  kind: OptionTable<OptionRow>,
  organizationId: string,
  id: string,
  sortOrder: number,
): Promise<void> {
  await db
    .update(kind.table)
    .set({ sortOrder })
    .where(optionWhere(kind, organizationId, id));
}

/** The issues that use option `id`, locked FOR UPDATE (a delete moves them). */
export async function lockIssuesUsingOption(
  db: DbOrTx,
  kind: OptionTable<OptionRow>,
  organizationId: string,
  id: string,
): Promise<string[]> {
  const rows = await db
    .select({ id: issues.id })
    .from(issues)
    .where(and(eq(issues.organizationId, organizationId), eq(kind.issueColumn, id)))
    .for("update");
  return rows.map((r) => r.id);
}

/** Points the issues at `target` (and whatever else the kind changes with it). */
export async function moveIssuesToOption<Row extends OptionRow>(
  db: DbOrTx,
  kind: OptionTable<Row>,
  organizationId: string,
  issueIds: readonly string[],
  target: Row,
  now: Date,
): Promise<void> {
  await db
    .update(issues)
    .set({ ...kind.moveIssuesTo(target, now), updatedAt: now })
    .where(and(eq(issues.organizationId, organizationId), inArray(issues.id, [...issueIds])));
}

/** One SYSTEM IssueHistory row per moved issue (field = the kind's noun, old/new = option names). */
export async function recordOptionMoves(
  db: DbOrTx,
  kind: OptionTable<OptionRow>,
  move: { organizationId: string; actorId: string; issueIds: readonly string[]; from: string; to: string; now: Date },
): Promise<void> {
  if (!move.issueIds.length) return;
  await db.insert(issueHistory).values(
    move.issueIds.map((issueId) => ({
      issueId,
      organizationId: move.organizationId,
      actorId: move.actorId,
      type: "SYSTEM" as const,
      field: kind.noun,
      oldValue: move.from,
      newValue: move.to,
      changedAt: move.now,
    })),
  );
}

export async function deleteOptionRow(
  db: DbOrTx,
  kind: OptionTable<OptionRow>,
  organizationId: string,
  id: string,
): Promise<void> {
  await db.delete(kind.table).where(optionWhere(kind, organizationId, id));
}
