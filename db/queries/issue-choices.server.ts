/**
 * The choices of the triage pickers (statuses, priorities, members) in one statement: each list is aggregated into a
 * JSON array by the database, in the pickers' order. Three statements cost about a third of a millisecond of server
 * CPU each on the issue page, more than reading the lists (docs/decisions/046-plain-links-and-forms-and-one-statement-for-choices.md).
 */
import { eq, sql, type AnyColumn } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { checkMemberOptions } from "../reference/issues.server";
import { checkPriorities, checkStatuses } from "../reference/options.server";
import { reusableQuery } from "../reusable-query.server";
import { issueStatuses, memberships, organizations, priorities, users } from "../schema";
import { validationEnabled } from "../validate.server";
import { displayName, type MemberOption } from "./issues.server";
import { jsonList, listIf } from "./json.server";
import { priorityColumns, priorityOrder, type PriorityOption } from "./priorities.server";
import { statusColumns, statusOrder, type StatusOption } from "./statuses.server";

export interface IssueChoices {
  statuses: StatusOption[];
  priorities: PriorityOption[];
  members: MemberOption[];
}

export type Which = { statuses?: boolean; priorities?: boolean; members?: boolean };

/**
 * The pickers' lists of the organization whose id is `organizationId` (a column of the statement they go into), as
 * columns; each is read only when its parameter (choiceFlags) says so, else it is `[]`.
 */
export function choiceColumns(organizationId: AnyColumn) {
  return {
    statuses: sql<JsonChoices["statuses"]>`${listIf(
      "withStatuses",
      jsonList(
        statusColumns,
        statusOrder,
        sql`from ${issueStatuses} where ${issueStatuses.organizationId} = ${organizationId}`,
      ),
    )}`,
    priorities: sql<JsonChoices["priorities"]>`${listIf(
      "withPriorities",
      jsonList(
        priorityColumns,
        priorityOrder,
        sql`from ${priorities} where ${priorities.organizationId} = ${organizationId}`,
      ),
    )}`,
    // Names only, never e-mails.
    members: sql<JsonChoices["members"]>`${listIf(
      "withMembers",
      jsonList(
        { id: users.id, name: users.name },
        [users.name, users.id],
        sql`from ${memberships} join ${users} on ${users.id} = ${memberships.userId} where ${memberships.organizationId} = ${organizationId}`,
      ),
    )}`,
  };
}

/** The parameters of choiceColumns for the lists asked for. */
export function choiceFlags(which: Which) {
  return {
    withStatuses: Boolean(which.statuses),
    withPriorities: Boolean(which.priorities),
    withMembers: Boolean(which.members),
  };
}

// The pickers' lists on their own (the issue list, the new-issue form); the issue page reads them with the issue.
const choicesQuery = reusableQuery("issue_choices", (db, name) =>
  db
    .select(choiceColumns(organizations.id))
    .from(organizations)
    .where(eq(organizations.id, sql.placeholder("organizationId")))
    .prepare(name),
);

/** The lists asked for, in display order (statuses and priorities as admins order them, members by name). */
export async function listIssueChoices(db: DbOrTx, organizationId: string, which: Which): Promise<IssueChoices> {
  if (!which.statuses && !which.priorities && !which.members) return { statuses: [], priorities: [], members: [] };
  const [row] = await choicesQuery(db).execute({ organizationId, ...choiceFlags(which) });
  const choices = choicesOf(row);
  if (validationEnabled()) await checkChoices(db, organizationId, which, choices);
  return choices;
}

/** The lists as the statement returned them (choiceColumns), members named for display. */
export function choicesOf(row: Partial<JsonChoices> | undefined): IssueChoices {
  return {
    statuses: row?.statuses ?? [],
    priorities: row?.priorities ?? [],
    members: (row?.members ?? []).map((m) => ({ id: m.id, name: displayName(m.name) })),
  };
}

export type JsonChoices = {
  statuses: StatusOption[];
  priorities: PriorityOption[];
  members: { id: string; name: string | null }[];
};

/** DB_VALIDATE: each list asked for matches a plain reading of its table. */
export async function checkChoices(db: DbOrTx, organizationId: string, which: Which, choices: IssueChoices) {
  if (which.statuses) await checkStatuses(db, organizationId, choices.statuses);
  if (which.priorities) await checkPriorities(db, organizationId, choices.priorities);
  if (which.members) await checkMemberOptions(db, organizationId, choices.members);
}
