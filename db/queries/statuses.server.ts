/**
 * Issue statuses of an organization: the pickers, and administration (create, rename, category, order, default,
 * delete with "move the issues to …"). The shared mechanics (locking, one default, display order, delete-with-move,
 * audit) live in ./ordered-options.ts; this file holds what is particular to statuses: the category, and the rules
 * that keep an Open, an In progress and a Closed status (app/lib/issue-rules.ts).
 *
 * Moving issues off a deleted status: resolvedAt follows the target's category (set when it is Closed and was not,
 * cleared when it is not Closed).
 */
import { and, asc, eq, sql } from "drizzle-orm";
import {
  CATEGORY_LABELS,
  defaultStatusProblem,
  statusCategoryChangeProblem,
  statusDeletionProblem,
  type StatusCategory,
} from "../../core/issue-rules";
import type { DbOrTx } from "../client.server";
import { issueStatuses, issues } from "../schema";
import { createOption, listOptionsWithUsage, updateOption, type AdminResult, type OptionActor, type OptionKind } from "./ordered-options.server";

export interface StatusOption {
  id: string;
  name: string;
  category: StatusCategory;
  isDefault: boolean;
  sortOrder: number;
}

function selectStatuses(db: DbOrTx, organizationId: string) {
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

/** The organization's statuses in display order (admin's order, then name). */
export async function listStatuses(db: DbOrTx, organizationId: string): Promise<StatusOption[]> {
  return selectStatuses(db, organizationId);
}

const categoryLabel = (category: string) => CATEGORY_LABELS[category as StatusCategory] ?? category;

/** Statuses as an ordered option list: set default, move and delete go through ./ordered-options with this. */
export const statusOptions: OptionKind<StatusOption> = {
  noun: "status",
  targetType: "IssueStatus",
  table: issueStatuses,
  issueColumn: issues.statusId,
  list: listStatuses,
  lock: (tx, organizationId) => selectStatuses(tx, organizationId).for("update"),
  defaultProblem: defaultStatusProblem,
  defaultMessage: (row) => `New issues now start as “${row.name}”.`,
  deletionProblem: (all, row) => statusDeletionProblem(all, row.id),
  moveIssuesTo: (target, now) => ({
    statusId: target.id,
    resolvedAt: target.category === "RESOLVED" ? sql`coalesce(${issues.resolvedAt}, ${now.toISOString()}::timestamp)` : null,
  }),
  describe: (row) => `${categoryLabel(row.category)} status “${row.name}”`,
  auditDetails: (row) => ({ category: row.category }),
};

/** Statuses with the number of issues using each (admin page), in two queries. */
export async function listStatusesWithUsage(db: DbOrTx, organizationId: string) {
  return listOptionsWithUsage(db, statusOptions, organizationId);
}

export async function findStatus(db: DbOrTx, organizationId: string, statusId: string) {
  const [row] = await db
    .select({ id: issueStatuses.id, name: issueStatuses.name, category: issueStatuses.category, isDefault: issueStatuses.isDefault })
    .from(issueStatuses)
    .where(and(eq(issueStatuses.id, statusId), eq(issueStatuses.organizationId, organizationId)))
    .limit(1);
  return row ?? null;
}

export async function createStatus(db: DbOrTx, input: OptionActor & { name: string; category: StatusCategory }): Promise<AdminResult> {
  return createOption(db, statusOptions, input, {
    values: () => ({ category: input.category }),
    meta: { name: input.name, category: input.category },
  });
}

/** Renames and/or re-categorises a status (the default stays Open; no category may become empty). */
export async function updateStatus(
  db: DbOrTx,
  input: OptionActor & { statusId: string; name: string; category: StatusCategory },
): Promise<AdminResult> {
  return updateOption(db, statusOptions, { ...input, id: input.statusId }, {
    values: { category: input.category },
    problem: (all, row) => {
      const message = statusCategoryChangeProblem(all, row.id, input.category);
      return message ? { field: "category", message } : null;
    },
  });
}
