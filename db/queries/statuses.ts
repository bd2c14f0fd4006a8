/**
 * Issue statuses of an organization: the pickers, and administration (create, rename, category, order, default,
 * delete with "move the issues to …"). Every helper takes `organizationId`; ids from another organization find
 * nothing. Writes that check-then-change lock the organization's status rows first, so two admins cannot race past
 * the rules (e.g. both deleting the last two Closed statuses).
 *
 * Moving issues off a deleted status writes one IssueHistory row per moved issue: type SYSTEM, field "status",
 * old/new status names, actor = the admin; resolvedAt follows the target's category (set when it is Closed and was
 * not, cleared when it is not Closed). No notifications are sent for this housekeeping move.
 */
import { and, asc, count, eq, inArray, max, sql } from "drizzle-orm";
import {
  CATEGORY_LABELS,
  defaultStatusProblem,
  moveInOrder,
  statusCategoryChangeProblem,
  statusDeletionProblem,
  type StatusCategory,
} from "../../app/lib/issue-rules";
import type { DbOrTx } from "../client";
import { issueHistory, issueStatuses, issues } from "../schema";
import { recordAudit } from "./audit";

export function pgErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** 23505: a unique index (a name already used in the organization, a second default) refused the row. */
export function isUniqueViolation(error: unknown): boolean {
  return pgErrorCode(error) === "23505";
}

export interface StatusOption {
  id: string;
  name: string;
  category: StatusCategory;
  isDefault: boolean;
  sortOrder: number;
}

/** The organization's statuses in display order (admin's order, then name). */
export async function listStatuses(db: DbOrTx, organizationId: string): Promise<StatusOption[]> {
  return db
    .select({
      id: issueStatuses.id,
      name: issueStatuses.name,
      category: issueStatuses.category,
      isDefault: issueStatuses.isDefault,
      sortOrder: issueStatuses.sortOrder,
    })
    .from(issueStatuses)
    .where(eq(issueStatuses.organizationId, organizationId))
    .orderBy(asc(issueStatuses.sortOrder), asc(issueStatuses.name), asc(issueStatuses.id));
}

/** Statuses with the number of issues using each (admin page), in two queries. */
export async function listStatusesWithUsage(db: DbOrTx, organizationId: string) {
  const [rows, usage] = await Promise.all([
    listStatuses(db, organizationId),
    db
      .select({ statusId: issues.statusId, n: count() })
      .from(issues)
      .where(eq(issues.organizationId, organizationId))
      .groupBy(issues.statusId),
  ]);
  const byId = new Map(usage.map((u) => [u.statusId, Number(u.n)]));
  return rows.map((r) => ({ ...r, issueCount: byId.get(r.id) ?? 0 }));
}

export async function findStatus(db: DbOrTx, organizationId: string, statusId: string) {
  const [row] = await db
    .select({ id: issueStatuses.id, name: issueStatuses.name, category: issueStatuses.category, isDefault: issueStatuses.isDefault })
    .from(issueStatuses)
    .where(and(eq(issueStatuses.id, statusId), eq(issueStatuses.organizationId, organizationId)))
    .limit(1);
  return row ?? null;
}

export type AdminResult = { ok: true; message: string } | { ok: false; status: 400 | 404; field: string; message: string };

const notFoundResult = { ok: false, status: 404, field: "form", message: "That status does not exist." } as const;

async function lockStatuses(tx: DbOrTx, organizationId: string) {
  return tx
    .select({
      id: issueStatuses.id,
      name: issueStatuses.name,
      category: issueStatuses.category,
      isDefault: issueStatuses.isDefault,
      sortOrder: issueStatuses.sortOrder,
    })
    .from(issueStatuses)
    .where(eq(issueStatuses.organizationId, organizationId))
    .orderBy(asc(issueStatuses.sortOrder), asc(issueStatuses.name), asc(issueStatuses.id))
    .for("update");
}

interface Actor {
  organizationId: string;
  actorId: string;
}

export async function createStatus(db: DbOrTx, input: Actor & { name: string; category: StatusCategory }): Promise<AdminResult> {
  try {
    return await db.transaction(async (tx) => {
      const all = await lockStatuses(tx as unknown as DbOrTx, input.organizationId);
      if (all.some((s) => s.name.toLowerCase() === input.name.toLowerCase())) {
        return { ok: false, status: 400, field: "name", message: "A status with that name already exists." } as const;
      }
      const [{ top }] = await tx
        .select({ top: max(issueStatuses.sortOrder) })
        .from(issueStatuses)
        .where(eq(issueStatuses.organizationId, input.organizationId));
      const [row] = await tx
        .insert(issueStatuses)
        .values({
          organizationId: input.organizationId,
          name: input.name,
          category: input.category,
          isDefault: false,
          sortOrder: (top ?? 0) + 1,
        })
        .returning({ id: issueStatuses.id });
      await recordAudit(tx as unknown as DbOrTx, {
        organizationId: input.organizationId,
        actorId: input.actorId,
        action: "status.created",
        targetType: "IssueStatus",
        targetId: row.id,
        meta: { name: input.name, category: input.category },
      });
      return { ok: true, message: `Status “${input.name}” added.` } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, status: 400, field: "name", message: "A status with that name already exists." };
    throw error;
  }
}

/** Renames and/or re-categorises a status. */
export async function updateStatus(
  db: DbOrTx,
  input: Actor & { statusId: string; name: string; category: StatusCategory },
): Promise<AdminResult> {
  try {
    return await db.transaction(async (tx) => {
      const all = await lockStatuses(tx as unknown as DbOrTx, input.organizationId);
      const row = all.find((s) => s.id === input.statusId);
      if (!row) return notFoundResult;
      if (all.some((s) => s.id !== row.id && s.name.toLowerCase() === input.name.toLowerCase())) {
        return { ok: false, status: 400, field: "name", message: "A status with that name already exists." } as const;
      }
      const problem = statusCategoryChangeProblem(all, row.id, input.category);
      if (problem) return { ok: false, status: 400, field: "category", message: problem } as const;
      if (row.name === input.name && row.category === input.category) {
        return { ok: true, message: "Nothing changed." } as const;
      }
      await tx
        .update(issueStatuses)
        .set({ name: input.name, category: input.category })
        .where(and(eq(issueStatuses.id, row.id), eq(issueStatuses.organizationId, input.organizationId)));
      await recordAudit(tx as unknown as DbOrTx, {
        organizationId: input.organizationId,
        actorId: input.actorId,
        action: "status.updated",
        targetType: "IssueStatus",
        targetId: row.id,
        meta: { from: { name: row.name, category: row.category }, to: { name: input.name, category: input.category } },
      });
      return { ok: true, message: `Status “${input.name}” saved.` } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, status: 400, field: "name", message: "A status with that name already exists." };
    throw error;
  }
}

/** Makes one status the default for new issues; the previous default is cleared in the same transaction. */
export async function setDefaultStatus(db: DbOrTx, input: Actor & { statusId: string }): Promise<AdminResult> {
  return db.transaction(async (tx) => {
    const all = await lockStatuses(tx as unknown as DbOrTx, input.organizationId);
    const row = all.find((s) => s.id === input.statusId);
    if (!row) return notFoundResult;
    const problem = defaultStatusProblem(row);
    if (problem) return { ok: false, status: 400, field: "form", message: problem } as const;
    if (row.isDefault) return { ok: true, message: `“${row.name}” is already the default.` } as const;
    // Clear first: the partial unique index allows at most one default per organization at any moment.
    await tx
      .update(issueStatuses)
      .set({ isDefault: false })
      .where(and(eq(issueStatuses.organizationId, input.organizationId), eq(issueStatuses.isDefault, true)));
    await tx
      .update(issueStatuses)
      .set({ isDefault: true })
      .where(and(eq(issueStatuses.id, row.id), eq(issueStatuses.organizationId, input.organizationId)));
    await recordAudit(tx as unknown as DbOrTx, {
      organizationId: input.organizationId,
      actorId: input.actorId,
      action: "status.default_changed",
      targetType: "IssueStatus",
      targetId: row.id,
      meta: { name: row.name },
    });
    return { ok: true, message: `New issues now start as “${row.name}”.` } as const;
  });
}

/** Moves a status one place up or down in the display order (the order is renumbered 1…n). */
export async function moveStatus(db: DbOrTx, input: Actor & { statusId: string; direction: "up" | "down" }): Promise<AdminResult> {
  return db.transaction(async (tx) => {
    const all = await lockStatuses(tx as unknown as DbOrTx, input.organizationId);
    if (!all.some((s) => s.id === input.statusId)) return notFoundResult;
    const order = moveInOrder(
      all.map((s) => s.id),
      input.statusId,
      input.direction,
    );
    await renumber(tx as unknown as DbOrTx, input.organizationId, order, all);
    return { ok: true, message: "Order saved." } as const;
  });
}

async function renumber(tx: DbOrTx, organizationId: string, order: string[], current: { id: string; sortOrder: number }[]) {
  const before = new Map(current.map((s) => [s.id, s.sortOrder]));
  for (const [i, id] of order.entries()) {
    if (before.get(id) === i + 1) continue;
    await tx
      .update(issueStatuses)
      .set({ sortOrder: i + 1 })
      .where(and(eq(issueStatuses.id, id), eq(issueStatuses.organizationId, organizationId)));
  }
}

export type DeleteStatusResult =
  | { ok: true; message: string; moved: number }
  | { ok: false; status: 400 | 404; field: string; message: string; inUse?: number };

/**
 * Deletes a status. Refused for the default and for the last status of a category. When issues use it, `targetId`
 * (another status of the organization) is required: the issues move there and the status is deleted in the same
 * transaction.
 */
export async function deleteStatus(
  db: DbOrTx,
  input: Actor & { statusId: string; targetId?: string; now?: Date },
): Promise<DeleteStatusResult> {
  return db.transaction(async (rawTx) => {
    const tx = rawTx as unknown as DbOrTx;
    const all = await lockStatuses(tx, input.organizationId);
    const row = all.find((s) => s.id === input.statusId);
    if (!row) return notFoundResult;
    const problem = statusDeletionProblem(all, row.id);
    if (problem) return { ok: false, status: 400, field: "form", message: problem } as const;

    const using = await tx
      .select({ id: issues.id })
      .from(issues)
      .where(and(eq(issues.organizationId, input.organizationId), eq(issues.statusId, row.id)))
      .for("update");
    let moved = 0;
    if (using.length > 0) {
      const target = input.targetId ? all.find((s) => s.id === input.targetId) : undefined;
      if (!input.targetId) {
        return {
          ok: false,
          status: 400,
          field: "targetId",
          message: `${using.length} ${using.length === 1 ? "issue uses" : "issues use"} “${row.name}”. Choose a status to move ${using.length === 1 ? "it" : "them"} to.`,
          inUse: using.length,
        } as const;
      }
      if (!target || target.id === row.id) {
        return { ok: false, status: 400, field: "targetId", message: "Choose another status of this organization." } as const;
      }
      const now = input.now ?? new Date();
      const ids = using.map((u) => u.id);
      await tx
        .update(issues)
        .set({
          statusId: target.id,
          resolvedAt: target.category === "RESOLVED" ? sql`coalesce(${issues.resolvedAt}, ${now.toISOString()}::timestamp)` : null,
          updatedAt: now,
        })
        .where(and(eq(issues.organizationId, input.organizationId), inArray(issues.id, ids)));
      await tx.insert(issueHistory).values(
        ids.map((issueId) => ({
          issueId,
          organizationId: input.organizationId,
          actorId: input.actorId,
          type: "SYSTEM" as const,
          field: "status",
          oldValue: row.name,
          newValue: target.name,
          changedAt: now,
        })),
      );
      moved = ids.length;
    }
    await tx.delete(issueStatuses).where(and(eq(issueStatuses.id, row.id), eq(issueStatuses.organizationId, input.organizationId)));
    await recordAudit(tx, {
      organizationId: input.organizationId,
      actorId: input.actorId,
      action: "status.deleted",
      targetType: "IssueStatus",
      targetId: row.id,
      meta: { name: row.name, category: row.category, movedIssues: moved, movedTo: input.targetId ?? null },
    });
    const label = CATEGORY_LABELS[row.category as StatusCategory] ?? row.category;
    return {
      ok: true,
      moved,
      message: moved
        ? `Deleted ${label} status “${row.name}”; ${moved} ${moved === 1 ? "issue was" : "issues were"} moved.`
        : `Deleted ${label} status “${row.name}”.`,
    } as const;
  });
}
