/**
 * Priorities of an organization: pickers, and the table description the administration's statements use
 * (./ordered-options.server.ts). `order` is the severity rank (higher = more severe; the issue list's "priority" sort
 * uses it); `sortOrder` is the display order admins choose. The rules and the writes are in
 * app/use-cases/issue-options.server.ts.
 */
import { and, asc, eq, sql, type Placeholder } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { reusableQuery } from "../reusable-query.server";
import { checkPriorities } from "../reference/options.server";
import { issues, priorities } from "../schema";
import { validationEnabled } from "../validate.server";
import { listOptionsWithUsage, optionRowColumns, type OptionRow, type OptionTable } from "./ordered-options.server";

export interface PriorityOption extends OptionRow {
  order: number;
}

/** A priority as the pickers and the admin page read it. */
export const priorityColumns = { ...optionRowColumns(priorities), order: priorities.order };
/** The pickers' order: the admin's order, then severity and name (also db/queries/issue-choices.server.ts). */
export const priorityOrder = [priorities.sortOrder, priorities.order, priorities.name, priorities.id] as const;

function selectPriorities(db: DbOrTx, organizationId: string | Placeholder) {
  return db
    .select(priorityColumns)
    .from(priorities)
    .where(eq(priorities.organizationId, organizationId))
    .orderBy(...priorityOrder.map((column) => asc(column)));
}

// The priority picker of the issue page and list.
const prioritiesQuery = reusableQuery("priorities", (db, name) =>
  selectPriorities(db, sql.placeholder("organizationId")).prepare(name),
);

export async function listPriorities(db: DbOrTx, organizationId: string): Promise<PriorityOption[]> {
  const rows = await prioritiesQuery(db).execute({ organizationId });
  if (validationEnabled()) await checkPriorities(db, organizationId, rows);
  return rows;
}

/** Priorities as an ordered option list, for the shared statements of ./ordered-options.server.ts. */
export const priorityTable: OptionTable<PriorityOption> = {
  noun: "priority",
  table: priorities,
  issueColumn: issues.priorityId,
  rank: priorities.order,
  list: listPriorities,
  lock: (tx, organizationId) => selectPriorities(tx, organizationId).for("update"),
  moveIssuesTo: (target) => ({ priorityId: target.id }),
};

export async function listPrioritiesWithUsage(db: DbOrTx, organizationId: string) {
  return listOptionsWithUsage(db, priorityTable, organizationId);
}

export async function findPriority(db: DbOrTx, organizationId: string, priorityId: string) {
  const [row] = await db
    .select({ id: priorities.id, name: priorities.name, order: priorities.order, isDefault: priorities.isDefault })
    .from(priorities)
    .where(and(eq(priorities.id, priorityId), eq(priorities.organizationId, organizationId)))
    .limit(1);
  return row ?? null;
}
