/**
 * Priorities of an organization: pickers and administration (create, rename + severity rank, display order,
 * default, delete with "move the issues to …"). `order` is the severity rank (higher = more severe; the issue list's
 * "priority" sort uses it); `sortOrder` is the display order admins choose.
 *
 * Moving issues off a deleted priority writes one IssueHistory row per moved issue: type SYSTEM, field "priority",
 * old/new names, actor = the admin. No notifications are sent for this housekeeping move.
 */
import { and, asc, count, eq, inArray, max } from "drizzle-orm";
import { moveInOrder } from "../../app/lib/issue-rules";
import type { DbOrTx } from "../client";
import { issueHistory, issues, priorities } from "../schema";
import { recordAudit } from "./audit";
import { isUniqueViolation, type AdminResult } from "./statuses";

export interface PriorityOption {
  id: string;
  name: string;
  order: number;
  isDefault: boolean;
  sortOrder: number;
}

export async function listPriorities(db: DbOrTx, organizationId: string): Promise<PriorityOption[]> {
  return db
    .select({
      id: priorities.id,
      name: priorities.name,
      order: priorities.order,
      isDefault: priorities.isDefault,
      sortOrder: priorities.sortOrder,
    })
    .from(priorities)
    .where(eq(priorities.organizationId, organizationId))
    .orderBy(asc(priorities.sortOrder), asc(priorities.order), asc(priorities.name), asc(priorities.id));
}

export async function listPrioritiesWithUsage(db: DbOrTx, organizationId: string) {
  const [rows, usage] = await Promise.all([
    listPriorities(db, organizationId),
    db
      .select({ priorityId: issues.priorityId, n: count() })
      .from(issues)
      .where(eq(issues.organizationId, organizationId))
      .groupBy(issues.priorityId),
  ]);
  const byId = new Map(usage.map((u) => [u.priorityId, Number(u.n)]));
  return rows.map((r) => ({ ...r, issueCount: byId.get(r.id) ?? 0 }));
}

export async function findPriority(db: DbOrTx, organizationId: string, priorityId: string) {
  const [row] = await db
    .select({ id: priorities.id, name: priorities.name, order: priorities.order, isDefault: priorities.isDefault })
    .from(priorities)
    .where(and(eq(priorities.id, priorityId), eq(priorities.organizationId, organizationId)))
    .limit(1);
  return row ?? null;
}

const notFoundResult = { ok: false, status: 404, field: "form", message: "That priority does not exist." } as const;
const duplicateName = { ok: false, status: 400, field: "name", message: "A priority with that name already exists." } as const;

async function lockPriorities(tx: DbOrTx, organizationId: string) {
  return tx
    .select({
      id: priorities.id,
      name: priorities.name,
      order: priorities.order,
      isDefault: priorities.isDefault,
      sortOrder: priorities.sortOrder,
    })
    .from(priorities)
    .where(eq(priorities.organizationId, organizationId))
    .orderBy(asc(priorities.sortOrder), asc(priorities.order), asc(priorities.name), asc(priorities.id))
    .for("update");
}

interface Actor {
  organizationId: string;
  actorId: string;
}

/** Adds a priority; without a severity rank it ranks above the most severe one. */
export async function createPriority(db: DbOrTx, input: Actor & { name: string; order?: number }): Promise<AdminResult> {
  try {
    return await db.transaction(async (rawTx) => {
      const tx = rawTx as unknown as DbOrTx;
      const all = await lockPriorities(tx, input.organizationId);
      if (all.some((p) => p.name.toLowerCase() === input.name.toLowerCase())) return duplicateName;
      const [{ topSort, topOrder }] = await tx
        .select({ topSort: max(priorities.sortOrder), topOrder: max(priorities.order) })
        .from(priorities)
        .where(eq(priorities.organizationId, input.organizationId));
      const [row] = await tx
        .insert(priorities)
        .values({
          organizationId: input.organizationId,
          name: input.name,
          order: input.order ?? (topOrder ?? 0) + 1,
          isDefault: false,
          sortOrder: (topSort ?? 0) + 1,
        })
        .returning({ id: priorities.id });
      await recordAudit(tx, {
        organizationId: input.organizationId,
        actorId: input.actorId,
        action: "priority.created",
        targetType: "Priority",
        targetId: row.id,
        meta: { name: input.name },
      });
      return { ok: true, message: `Priority “${input.name}” added.` } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return duplicateName;
    throw error;
  }
}

export async function updatePriority(
  db: DbOrTx,
  input: Actor & { priorityId: string; name: string; order: number },
): Promise<AdminResult> {
  try {
    return await db.transaction(async (rawTx) => {
      const tx = rawTx as unknown as DbOrTx;
      const all = await lockPriorities(tx, input.organizationId);
      const row = all.find((p) => p.id === input.priorityId);
      if (!row) return notFoundResult;
      if (all.some((p) => p.id !== row.id && p.name.toLowerCase() === input.name.toLowerCase())) return duplicateName;
      if (row.name === input.name && row.order === input.order) return { ok: true, message: "Nothing changed." } as const;
      await tx
        .update(priorities)
        .set({ name: input.name, order: input.order })
        .where(and(eq(priorities.id, row.id), eq(priorities.organizationId, input.organizationId)));
      await recordAudit(tx, {
        organizationId: input.organizationId,
        actorId: input.actorId,
        action: "priority.updated",
        targetType: "Priority",
        targetId: row.id,
        meta: { from: { name: row.name, order: row.order }, to: { name: input.name, order: input.order } },
      });
      return { ok: true, message: `Priority “${input.name}” saved.` } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return duplicateName;
    throw error;
  }
}

export async function setDefaultPriority(db: DbOrTx, input: Actor & { priorityId: string }): Promise<AdminResult> {
  return db.transaction(async (rawTx) => {
    const tx = rawTx as unknown as DbOrTx;
    const all = await lockPriorities(tx, input.organizationId);
    const row = all.find((p) => p.id === input.priorityId);
    if (!row) return notFoundResult;
    if (row.isDefault) return { ok: true, message: `“${row.name}” is already the default.` } as const;
    await tx
      .update(priorities)
      .set({ isDefault: false })
      .where(and(eq(priorities.organizationId, input.organizationId), eq(priorities.isDefault, true)));
    await tx
      .update(priorities)
      .set({ isDefault: true })
      .where(and(eq(priorities.id, row.id), eq(priorities.organizationId, input.organizationId)));
    await recordAudit(tx, {
      organizationId: input.organizationId,
      actorId: input.actorId,
      action: "priority.default_changed",
      targetType: "Priority",
      targetId: row.id,
      meta: { name: row.name },
    });
    return { ok: true, message: `New issues now get priority “${row.name}”.` } as const;
  });
}

export async function movePriority(db: DbOrTx, input: Actor & { priorityId: string; direction: "up" | "down" }): Promise<AdminResult> {
  return db.transaction(async (rawTx) => {
    const tx = rawTx as unknown as DbOrTx;
    const all = await lockPriorities(tx, input.organizationId);
    if (!all.some((p) => p.id === input.priorityId)) return notFoundResult;
    const order = moveInOrder(
      all.map((p) => p.id),
      input.priorityId,
      input.direction,
    );
    const before = new Map(all.map((p) => [p.id, p.sortOrder]));
    for (const [i, id] of order.entries()) {
      if (before.get(id) === i + 1) continue;
      await tx
        .update(priorities)
        .set({ sortOrder: i + 1 })
        .where(and(eq(priorities.id, id), eq(priorities.organizationId, input.organizationId)));
    }
    return { ok: true, message: "Order saved." } as const;
  });
}

export type DeletePriorityResult =
  | { ok: true; message: string; moved: number }
  | { ok: false; status: 400 | 404; field: string; message: string; inUse?: number };

/** Deletes a priority: never the default or the last one; issues using it move to `targetId` in the same transaction. */
export async function deletePriority(
  db: DbOrTx,
  input: Actor & { priorityId: string; targetId?: string; now?: Date },
): Promise<DeletePriorityResult> {
  return db.transaction(async (rawTx) => {
    const tx = rawTx as unknown as DbOrTx;
    const all = await lockPriorities(tx, input.organizationId);
    const row = all.find((p) => p.id === input.priorityId);
    if (!row) return notFoundResult;
    if (row.isDefault) {
      return { ok: false, status: 400, field: "form", message: "This is the default priority for new issues. Choose another default first." } as const;
    }
    if (all.length <= 1) return { ok: false, status: 400, field: "form", message: "Keep at least one priority." } as const;
    const using = await tx
      .select({ id: issues.id })
      .from(issues)
      .where(and(eq(issues.organizationId, input.organizationId), eq(issues.priorityId, row.id)))
      .for("update");
    let moved = 0;
    if (using.length > 0) {
      if (!input.targetId) {
        return {
          ok: false,
          status: 400,
          field: "targetId",
          message: `${using.length} ${using.length === 1 ? "issue uses" : "issues use"} “${row.name}”. Choose a priority to move ${using.length === 1 ? "it" : "them"} to.`,
          inUse: using.length,
        } as const;
      }
      const target = all.find((p) => p.id === input.targetId);
      if (!target || target.id === row.id) {
        return { ok: false, status: 400, field: "targetId", message: "Choose another priority of this organization." } as const;
      }
      const now = input.now ?? new Date();
      const ids = using.map((u) => u.id);
      await tx
        .update(issues)
        .set({ priorityId: target.id, updatedAt: now })
        .where(and(eq(issues.organizationId, input.organizationId), inArray(issues.id, ids)));
      await tx.insert(issueHistory).values(
        ids.map((issueId) => ({
          issueId,
          organizationId: input.organizationId,
          actorId: input.actorId,
          type: "SYSTEM" as const,
          field: "priority",
          oldValue: row.name,
          newValue: target.name,
          changedAt: now,
        })),
      );
      moved = ids.length;
    }
    await tx.delete(priorities).where(and(eq(priorities.id, row.id), eq(priorities.organizationId, input.organizationId)));
    await recordAudit(tx, {
      organizationId: input.organizationId,
      actorId: input.actorId,
      action: "priority.deleted",
      targetType: "Priority",
      targetId: row.id,
      meta: { name: row.name, movedIssues: moved, movedTo: input.targetId ?? null },
    });
    return {
      ok: true,
      moved,
      message: moved
        ? `Deleted priority “${row.name}”; ${moved} ${moved === 1 ? "issue was" : "issues were"} moved.`
        : `Deleted priority “${row.name}”.`,
    } as const;
  });
}
