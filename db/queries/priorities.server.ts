/**
 * Priorities of an organization: pickers and administration (create, rename + severity rank, display order,
 * default, delete with "move the issues to …"). `order` is the severity rank (higher = more severe; the issue list's
 * "priority" sort uses it); `sortOrder` is the display order admins choose. The shared mechanics (locking, one
 * default, display order, delete-with-move, audit) live in ./ordered-options.ts; this file holds what is particular
 * to priorities: the severity rank, and the rule that keeps at least one priority.
 */
import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { issues, priorities } from "../schema";
import { createOption, listOptionsWithUsage, updateOption, type AdminResult, type OptionActor, type OptionKind } from "./ordered-options.server";

export interface PriorityOption {
  id: string;
  name: string;
  order: number;
  isDefault: boolean;
  sortOrder: number;
}

function selectPriorities(db: DbOrTx, organizationId: string) {
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

export async function listPriorities(db: DbOrTx, organizationId: string): Promise<PriorityOption[]> {
  return selectPriorities(db, organizationId);
}

/** Priorities as an ordered option list: set default, move and delete go through ./ordered-options with this. */
export const priorityOptions: OptionKind<PriorityOption> = {
  noun: "priority",
  targetType: "Priority",
  table: priorities,
  issueColumn: issues.priorityId,
  list: listPriorities,
  lock: (tx, organizationId) => selectPriorities(tx, organizationId).for("update"),
  defaultMessage: (row) => `New issues now get priority “${row.name}”.`,
  /** Never the default, never the last one. */
  deletionProblem: (all, row) => {
    if (row.isDefault) return "This is the default priority for new issues. Choose another default first.";
    if (all.length <= 1) return "Keep at least one priority.";
    return null;
  },
  moveIssuesTo: (target) => ({ priorityId: target.id }),
  describe: (row) => `priority “${row.name}”`,
  auditDetails: () => ({}),
};

export async function listPrioritiesWithUsage(db: DbOrTx, organizationId: string) {
  return listOptionsWithUsage(db, priorityOptions, organizationId);
}

export async function findPriority(db: DbOrTx, organizationId: string, priorityId: string) {
  const [row] = await db
    .select({ id: priorities.id, name: priorities.name, order: priorities.order, isDefault: priorities.isDefault })
    .from(priorities)
    .where(and(eq(priorities.id, priorityId), eq(priorities.organizationId, organizationId)))
    .limit(1);
  return row ?? null;
}

/** Adds a priority; without a severity rank it ranks above the most severe one. */
export async function createPriority(db: DbOrTx, input: OptionActor & { name: string; order?: number }): Promise<AdminResult> {
  return createOption(db, priorityOptions, input, {
    highestOf: priorities.order,
    values: (topOrder) => ({ order: input.order ?? (topOrder ?? 0) + 1 }),
    meta: { name: input.name },
  });
}

export async function updatePriority(
  db: DbOrTx,
  input: OptionActor & { priorityId: string; name: string; order: number },
): Promise<AdminResult> {
  return updateOption(db, priorityOptions, { ...input, id: input.priorityId }, { values: { order: input.order } });
}
