/**
 * Ordered, per-organization option lists with exactly one default: the mechanics that issue statuses
 * (db/queries/statuses.ts) and priorities (db/queries/priorities.ts) share. Each domain describes itself once as an
 * `OptionKind` (its table, the issue column that points at it, its own rules and words); the helpers below do the
 * rest the same way for both:
 *
 * - every write runs in one transaction that first locks the organization's option rows (`kind.lock`, FOR UPDATE),
 *   so two admins cannot race past the rules (e.g. both deleting the last two options of a kind);
 * - names are unique per organization, case-insensitively; a unique violation from a concurrent insert is answered
 *   like a duplicate name;
 * - "make default" clears the old default before setting the new one (the partial unique index allows at most one
 *   default per organization at any moment);
 * - the display order (`sortOrder`) is renumbered 1…n when an option moves;
 * - deleting an option that issues use needs another option (`targetId`) of the organization: the issues move there,
 *   one SYSTEM IssueHistory row each (field = the kind's noun, old/new = option names, actor = the admin), and the
 *   option is deleted, all in the same transaction. No notifications are sent for this housekeeping move;
 * - every change writes an AuditLog row (`<noun>.created`, `.updated`, `.default_changed`, `.deleted`) in the same
 *   transaction.
 *
 * Every helper takes the organization id and puts it in the WHERE: ids from another organization find nothing.
 */
import { and, count, eq, inArray, max } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import { moveInOrder } from "../../core/issue-rules";
import type { DbOrTx } from "../client.server";
import { withTransaction } from "../transaction.server";
import { isUniqueViolation } from "../pg-errors.server";
import { issueHistory, issues, type issueStatuses, type priorities } from "../schema";
import { recordAudit } from "./audit.server";

/** What every option row has; a kind's rows add their own columns (a status category, a priority rank). */
export interface OptionRow {
  id: string;
  name: string;
  isDefault: boolean;
  sortOrder: number;
}

export interface OptionActor {
  organizationId: string;
  actorId: string;
}

/** A refusal: 404 when the option is not in the organization, 400 with the offending form field otherwise. */
export type AdminRefusal = { ok: false; status: 400 | 404; field: string; message: string };
export type AdminResult = { ok: true; message: string } | AdminRefusal;
export type DeleteOptionResult = { ok: true; message: string; moved: number } | (AdminRefusal & { inUse?: number });

export interface OptionKind<Row extends OptionRow> {
  /** One option as people say it, lower case; also the audit action prefix and the IssueHistory field. */
  noun: "status" | "priority";
  /** AuditLog.targetType. */
  targetType: "IssueStatus" | "Priority";
  table: typeof issueStatuses | typeof priorities;
  /** The issue column that points at an option of this kind. */
  issueColumn: typeof issues.statusId | typeof issues.priorityId;
  /** The organization's options in display order. */
  list(db: DbOrTx, organizationId: string): Promise<Row[]>;
  /** The same rows, locked FOR UPDATE (called inside the transaction of a write). */
  lock(tx: DbOrTx, organizationId: string): Promise<Row[]>;
  /** Why `row` cannot become the default, or null. */
  defaultProblem?(row: Row): string | null;
  /** The success message of "make default". */
  defaultMessage(row: Row): string;
  /** Why `row` cannot be deleted (the default, the last one of its kind…), or null. */
  deletionProblem(all: readonly Row[], row: Row): string | null;
  /** What else changes on the issues moved to `target` when their option is deleted (updatedAt is set anyway). */
  moveIssuesTo(target: Row, now: Date): PgUpdateSetSource<typeof issues>;
  /** The deleted option in the success message: `priority “Low”`, `Closed status “Fixed”`. */
  describe(row: Row): string;
  /** Domain columns the deletion's audit row keeps besides the name. */
  auditDetails(row: Row): Record<string, unknown>;
}

const capitalized = (noun: string) => noun.charAt(0).toUpperCase() + noun.slice(1);
const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function notFoundResult(kind: { noun: string }): AdminRefusal {
  return { ok: false, status: 404, field: "form", message: `That ${kind.noun} does not exist.` };
}

function duplicateName(kind: { noun: string }): AdminRefusal {
  return { ok: false, status: 400, field: "name", message: `A ${kind.noun} with that name already exists.` };
}

/** A write that inserts or renames: a unique violation (a concurrent request took the name) reads as a duplicate. */
async function namesGuarded(kind: { noun: string }, run: () => Promise<AdminResult>): Promise<AdminResult> {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error)) return duplicateName(kind);
    throw error;
  }
}

/** The option `id` of the organization (every write names both). */
function optionWhere(table: OptionKind<OptionRow>["table"], id: string, organizationId: string) {
  return and(eq(table.id, id), eq(table.organizationId, organizationId));
}

/** The AuditLog row `<noun>.<event>` of a change, in its transaction. */
function auditOption(
  tx: DbOrTx,
  kind: OptionKind<OptionRow>,
  input: OptionActor,
  event: "created" | "updated" | "default_changed" | "deleted",
  targetId: string,
  meta: Record<string, unknown>,
) {
  return recordAudit(tx, {
    organizationId: input.organizationId,
    actorId: input.actorId,
    action: `${kind.noun}.${event}`,
    targetType: kind.targetType,
    targetId,
    meta,
  });
}

/** An option's row in the organization, by id. */
function byId<Row extends OptionRow>(all: readonly Row[], id: string): Row | undefined {
  return all.find((o) => o.id === id);
}

/** The options with the number of issues using each (admin pages), in two queries. */
export async function listOptionsWithUsage<Row extends OptionRow>(db: DbOrTx, kind: OptionKind<Row>, organizationId: string) {
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

/**
 * Adds an option at the end of the display order, never as the default. `values` are the kind's own columns; it gets
 * the current maximum of `highestOf` (read together with the highest display position) when the kind needs one.
 */
export async function createOption<Row extends OptionRow>(
  db: DbOrTx,
  kind: OptionKind<Row>,
  input: OptionActor & { name: string },
  how: {
    values: (highest: number | null) => Record<string, unknown>;
    highestOf?: typeof priorities.order;
    meta: Record<string, unknown>;
  },
): Promise<AdminResult> {
  const { table } = kind;
  return namesGuarded(kind, () =>
    withTransaction(db, async (tx) => {
      const all = await kind.lock(tx, input.organizationId);
      if (all.some((o) => sameName(o.name, input.name))) return duplicateName(kind);
      const [{ topSort, highest }] = (await tx
        .select(how.highestOf ? { topSort: max(table.sortOrder), highest: max(how.highestOf) } : { topSort: max(table.sortOrder) })
        .from(table)
        .where(eq(table.organizationId, input.organizationId))) as { topSort: number | null; highest?: number | null }[];
      const [row] = await tx
        .insert(table)
        .values({
          organizationId: input.organizationId,
          name: input.name,
          ...how.values(highest ?? null),
          isDefault: false,
          sortOrder: (topSort ?? 0) + 1,
        } as typeof table.$inferInsert)
        .returning({ id: table.id });
      await auditOption(tx, kind, input, "created", row.id, how.meta);
      return { ok: true, message: `${capitalized(kind.noun)} “${input.name}” added.` } as const;
    }),
  );
}

/**
 * Renames an option and sets the kind's own columns (`values`). `problem` is the kind's rule about that change,
 * checked after the name; the audit row keeps the changed columns before and after.
 */
export async function updateOption<Row extends OptionRow, Values extends Partial<Row>>(
  db: DbOrTx,
  kind: OptionKind<Row>,
  input: OptionActor & { id: string; name: string },
  change: { values: Values; problem?: (all: readonly Row[], row: Row) => { field: string; message: string } | null },
): Promise<AdminResult> {
  const { table } = kind;
  return namesGuarded(kind, () =>
    withTransaction(db, async (tx) => {
      const all = await kind.lock(tx, input.organizationId);
      const row = byId(all, input.id);
      if (!row) return notFoundResult(kind);
      if (all.some((o) => o.id !== row.id && sameName(o.name, input.name))) return duplicateName(kind);
      const problem = change.problem?.(all, row);
      if (problem) return { ok: false, status: 400, ...problem } as const;
      const keys = Object.keys(change.values) as (keyof Values & keyof Row)[];
      if (row.name === input.name && keys.every((k) => (row[k] as unknown) === change.values[k])) {
        return { ok: true, message: "Nothing changed." } as const;
      }
      await tx
        .update(table)
        .set({ name: input.name, ...change.values })
        .where(optionWhere(table, row.id, input.organizationId));
      const before = Object.fromEntries(keys.map((k) => [k, row[k]]));
      await auditOption(tx, kind, input, "updated", row.id, { from: { name: row.name, ...before }, to: { name: input.name, ...change.values } });
      return { ok: true, message: `${capitalized(kind.noun)} “${input.name}” saved.` } as const;
    }),
  );
}

/** Makes one option the default for new issues; the previous default is cleared in the same transaction. */
export async function setDefaultOption<Row extends OptionRow>(
  db: DbOrTx,
  kind: OptionKind<Row>,
  input: OptionActor & { id: string },
): Promise<AdminResult> {
  const { table } = kind;
  return withTransaction(db, async (tx) => {
    const all = await kind.lock(tx, input.organizationId);
    const row = byId(all, input.id);
    if (!row) return notFoundResult(kind);
    const problem = kind.defaultProblem?.(row);
    if (problem) return { ok: false, status: 400, field: "form", message: problem } as const;
    if (row.isDefault) return { ok: true, message: `“${row.name}” is already the default.` } as const;
    // Clear first: the partial unique index allows at most one default per organization at any moment.
    await tx
      .update(table)
      .set({ isDefault: false })
      .where(and(eq(table.organizationId, input.organizationId), eq(table.isDefault, true)));
    await tx
      .update(table)
      .set({ isDefault: true })
      .where(optionWhere(table, row.id, input.organizationId));
    await auditOption(tx, kind, input, "default_changed", row.id, { name: row.name });
    return { ok: true, message: kind.defaultMessage(row) } as const;
  });
}

/** Moves an option one place up or down in the display order (the order is renumbered 1…n). */
export async function moveOption<Row extends OptionRow>(
  db: DbOrTx,
  kind: OptionKind<Row>,
  input: OptionActor & { id: string; direction: "up" | "down" },
): Promise<AdminResult> {
  const { table } = kind;
  return withTransaction(db, async (tx) => {
    const all = await kind.lock(tx, input.organizationId);
    if (!byId(all, input.id)) return notFoundResult(kind);
    const order = moveInOrder(
      all.map((o) => o.id),
      input.id,
      input.direction,
    );
    const before = new Map(all.map((o) => [o.id, o.sortOrder]));
    for (const [i, id] of order.entries()) {
      if (before.get(id) === i + 1) continue;
      await tx
        .update(table)
        .set({ sortOrder: i + 1 })
        .where(optionWhere(table, id, input.organizationId));
    }
    return { ok: true, message: "Order saved." } as const;
  });
}

/**
 * Deletes an option unless the kind refuses (`deletionProblem`). When issues use it, `targetId` (another option of
 * the organization) is required: the issues move there and the option is deleted in the same transaction.
 */
export async function deleteOption<Row extends OptionRow>(
  db: DbOrTx,
  kind: OptionKind<Row>,
  input: OptionActor & { id: string; targetId?: string; now?: Date },
): Promise<DeleteOptionResult> {
  const { table } = kind;
  return withTransaction(db, async (tx) => {
    const all = await kind.lock(tx, input.organizationId);
    const row = byId(all, input.id);
    if (!row) return notFoundResult(kind);
    const problem = kind.deletionProblem(all, row);
    if (problem) return { ok: false, status: 400, field: "form", message: problem } as const;

    const using = await tx
      .select({ id: issues.id })
      .from(issues)
      .where(and(eq(issues.organizationId, input.organizationId), eq(kind.issueColumn, row.id)))
      .for("update");
    let moved = 0;
    if (using.length > 0) {
      const n = using.length;
      if (!input.targetId) {
        return {
          ok: false,
          status: 400,
          field: "targetId",
          message: `${n} ${n === 1 ? "issue uses" : "issues use"} “${row.name}”. Choose a ${kind.noun} to move ${n === 1 ? "it" : "them"} to.`,
          inUse: n,
        } as const;
      }
      const target = byId(all, input.targetId);
      if (!target || target.id === row.id) {
        return { ok: false, status: 400, field: "targetId", message: `Choose another ${kind.noun} of this organization.` } as const;
      }
      const now = input.now ?? new Date();
      const ids = using.map((u) => u.id);
      await tx
        .update(issues)
        .set({ ...kind.moveIssuesTo(target, now), updatedAt: now })
        .where(and(eq(issues.organizationId, input.organizationId), inArray(issues.id, ids)));
      await tx.insert(issueHistory).values(
        ids.map((issueId) => ({
          issueId,
          organizationId: input.organizationId,
          actorId: input.actorId,
          type: "SYSTEM" as const,
          field: kind.noun,
          oldValue: row.name,
          newValue: target.name,
          changedAt: now,
        })),
      );
      moved = ids.length;
    }
    await tx.delete(table).where(optionWhere(table, row.id, input.organizationId));
    await auditOption(tx, kind, input, "deleted", row.id, { name: row.name, ...kind.auditDetails(row), movedIssues: moved, movedTo: input.targetId ?? null });
    return {
      ok: true,
      moved,
      message: moved
        ? `Deleted ${kind.describe(row)}; ${moved} ${moved === 1 ? "issue was" : "issues were"} moved.`
        : `Deleted ${kind.describe(row)}.`,
    } as const;
  });
}
