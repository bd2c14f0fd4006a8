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
import { jsonList } from "./json.server";
import { priorityColumns, priorityOrder, type PriorityOption } from "./priorities.server";
import { statusColumns, statusOrder, type StatusOption } from "./statuses.server";

export interface IssueChoices {
  statuses: StatusOption[];
  priorities: PriorityOption[];
  members: MemberOption[];
}

/** The pickers' lists of the organization whose id is `organizationId` (a column of the statement they go into). */
export function choiceLists(organizationId: AnyColumn) {
  return {
    statuses: jsonList(
      statusColumns,
      statusOrder,
      sql`from ${issueStatuses} where ${issueStatuses.organizationId} = ${organizationId}`,
    ),
    priorities: jsonList(
      priorityColumns,
      priorityOrder,
      sql`from ${priorities} where ${priorities.organizationId} = ${organizationId}`,
    ),
    // Names only, never e-mails.
    members: jsonList(
      { id: users.id, name: users.name },
      [users.name, users.id],
      sql`from ${memberships} join ${users} on ${users.id} = ${memberships.userId} where ${memberships.organizationId} = ${organizationId}`,
    ),
  };
}

const lists = choiceLists(organizations.id);

export type Which = { statuses?: boolean; priorities?: boolean; members?: boolean };

// One statement per combination of lists, built once (db/reusable-query.server.ts); a list not asked for is `[]`.
const none = sql`'[]'::json`;
const choicesQueries = new Map(
  [0, 1, 2, 3, 4, 5, 6, 7].map((bits) => [
    bits,
    reusableQuery(`issue_choices_${bits}`, (db, name) =>
      db
        .select({
          statuses: sql<JsonChoices["statuses"]>`${bits & 1 ? lists.statuses : none}`,
          priorities: sql<JsonChoices["priorities"]>`${bits & 2 ? lists.priorities : none}`,
          members: sql<JsonChoices["members"]>`${bits & 4 ? lists.members : none}`,
        })
        .from(organizations)
        .where(eq(organizations.id, sql.placeholder("organizationId")))
        .prepare(name),
    ),
  ]),
);

/** The lists asked for, in display order (statuses and priorities as admins order them, members by name). */
export async function listIssueChoices(db: DbOrTx, organizationId: string, which: Which): Promise<IssueChoices> {
  const bits = (which.statuses ? 1 : 0) | (which.priorities ? 2 : 0) | (which.members ? 4 : 0);
  if (bits === 0) return { statuses: [], priorities: [], members: [] };
  const [row] = await choicesQueries.get(bits)!(db).execute({ organizationId });
  const choices = choicesOf(row);
  if (validationEnabled()) await checkChoices(db, organizationId, which, choices);
  return choices;
}

/** The lists as the statement returned them (choiceLists), members named for display. */
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
