/**
 * The choices of the triage pickers (statuses, priorities, members) in one statement: each list is aggregated into a
 * JSON array by the database, in the pickers' order. Three statements cost about a third of a millisecond of server
 * CPU each on the issue page, more than reading the lists (docs/decisions/046-plain-links-and-forms-and-one-statement-for-choices.md).
 */
import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { checkMemberOptions } from "../reference/issues.server";
import { checkPriorities, checkStatuses } from "../reference/options.server";
import { issueStatuses, memberships, priorities, users } from "../schema";
import { rowsOf, validationEnabled } from "../validate.server";
import { displayName, type MemberOption } from "./issues.server";
import { priorityColumns, priorityOrder, type PriorityOption } from "./priorities.server";
import { statusColumns, statusOrder, type StatusOption } from "./statuses.server";

export interface IssueChoices {
  statuses: StatusOption[];
  priorities: PriorityOption[];
  members: MemberOption[];
}

/** `json_build_object('key', column, …)` for a record of columns, so the JSON has the keys a select would give. */
function jsonObject(columns: Record<string, AnyColumn>): SQL {
  const pairs = Object.entries(columns).map(([key, column]) => sql`${key}::text, ${column}`);
  return sql`json_build_object(${sql.join(pairs, sql`, `)})`;
}

/** One list as a JSON array in the given order, `[]` when it has no rows. */
function jsonList(columns: Record<string, AnyColumn>, order: readonly AnyColumn[], from: SQL): SQL {
  return sql`(select coalesce(json_agg(${jsonObject(columns)} order by ${sql.join([...order], sql`, `)}), '[]'::json) ${from})`;
}

const statusesList = (organizationId: string) =>
  jsonList(
    statusColumns,
    statusOrder,
    sql`from ${issueStatuses} where ${issueStatuses.organizationId} = ${organizationId}`,
  );

const prioritiesList = (organizationId: string) =>
  jsonList(
    priorityColumns,
    priorityOrder,
    sql`from ${priorities} where ${priorities.organizationId} = ${organizationId}`,
  );

// Names only, never e-mails.
const membersList = (organizationId: string) =>
  jsonList(
    { id: users.id, name: users.name },
    [users.name, users.id],
    sql`from ${memberships} join ${users} on ${users.id} = ${memberships.userId} where ${memberships.organizationId} = ${organizationId}`,
  );

/** The lists asked for, in display order (statuses and priorities as admins order them, members by name). */
export async function listIssueChoices(
  db: DbOrTx,
  organizationId: string,
  which: { statuses?: boolean; priorities?: boolean; members?: boolean },
): Promise<IssueChoices> {
  if (!which.statuses && !which.priorities && !which.members) return { statuses: [], priorities: [], members: [] };
  const none = sql`'[]'::json`;
  const result = await db.execute(sql`select
    ${which.statuses ? statusesList(organizationId) : none} as "statuses",
    ${which.priorities ? prioritiesList(organizationId) : none} as "priorities",
    ${which.members ? membersList(organizationId) : none} as "members"`);
  const [row] = rowsOf(result) as {
    statuses: StatusOption[];
    priorities: PriorityOption[];
    members: { id: string; name: string | null }[];
  }[];
  const choices: IssueChoices = {
    statuses: row.statuses,
    priorities: row.priorities,
    members: row.members.map((m) => ({ id: m.id, name: displayName(m.name) })),
  };
  if (validationEnabled()) {
    if (which.statuses) await checkStatuses(db, organizationId, choices.statuses);
    if (which.priorities) await checkPriorities(db, organizationId, choices.priorities);
    if (which.members) await checkMemberOptions(db, organizationId, choices.members);
  }
  return choices;
}
