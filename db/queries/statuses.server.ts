/**
 * Issue statuses of an organization: the pickers, and the table description the administration's statements use
 * (./ordered-options.server.ts). The rules (an Open, an In progress and a Closed status always exist; the default is
 * Open) and the writes are in app/use-cases/issue-options.server.ts.
 */
import { and, asc, eq, sql, type Placeholder } from "drizzle-orm";
import type { StatusCategory } from "../../core/issue-rules";
import type { DbOrTx } from "../client.server";
import { reusableQuery } from "../reusable-query.server";
import { checkStatuses } from "../reference/options.server";
import { issueStatuses, issues } from "../schema";
import { validationEnabled } from "../validate.server";
import { listOptionsWithUsage, optionRowColumns, type OptionRow, type OptionTable } from "./ordered-options.server";

export interface StatusOption extends OptionRow {
  category: StatusCategory;
}

/** A status as the pickers and the admin page read it. */
export const statusColumns = { ...optionRowColumns(issueStatuses), category: issueStatuses.category };
/** The pickers' order: the admin's order, then name (also db/queries/issue-choices.server.ts). */
export const statusOrder = [issueStatuses.sortOrder, issueStatuses.name, issueStatuses.id] as const;

function selectStatuses(db: DbOrTx, organizationId: string | Placeholder) {
  return db
    .select(statusColumns)
    .from(issueStatuses)
    .where(eq(issueStatuses.organizationId, organizationId))
    .orderBy(...statusOrder.map((column) => asc(column)));
}

// The status picker of the issue page and list.
const statusesQuery = reusableQuery("statuses", (db, name) =>
  selectStatuses(db, sql.placeholder("organizationId")).prepare(name),
);

/** The organization's statuses in display order (admin's order, then name). */
export async function listStatuses(db: DbOrTx, organizationId: string): Promise<StatusOption[]> {
  const rows = await statusesQuery(db).execute({ organizationId });
  if (validationEnabled()) await checkStatuses(db, organizationId, rows);
  return rows;
}

/** Statuses as an ordered option list, for the shared statements of ./ordered-options.server.ts. */
export const statusTable: OptionTable<StatusOption> = {
  noun: "status",
  table: issueStatuses,
  issueColumn: issues.statusId,
  list: listStatuses,
  lock: (tx, organizationId) => selectStatuses(tx, organizationId).for("update"),
  // resolvedAt follows the target's category: set when it is Closed and was not, cleared when it is not Closed.
  moveIssuesTo: (target, now) => ({
    statusId: target.id,
    resolvedAt:
      target.category === "RESOLVED" ? sql`coalesce(${issues.resolvedAt}, ${now.toISOString()}::timestamp)` : null,
  }),
};

/** Statuses with the number of issues using each (admin page), in two queries. */
export async function listStatusesWithUsage(db: DbOrTx, organizationId: string) {
  return listOptionsWithUsage(db, statusTable, organizationId);
}

export async function findStatus(db: DbOrTx, organizationId: string, statusId: string) {
  const [row] = await db
    .select({
      id: issueStatuses.id,
      name: issueStatuses.name,
      category: issueStatuses.category,
      isDefault: issueStatuses.isDefault,
    })
    .from(issueStatuses)
    .where(and(eq(issueStatuses.id, statusId), eq(issueStatuses.organizationId, organizationId)))
    .limit(1);
  return row ?? null;
}
