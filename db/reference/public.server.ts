/**
 * DB_VALIDATE references of the public machine page (/m/<id>, db/queries/public.server.ts and upvotes.server.ts):
 * the machine, its open issues with their "me too" counts, the recently fixed ones, and which of them the visitor
 * has already voted for.
 */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import type { PublicOpenIssue } from "../queries/public.server";
import type { Voter } from "../queries/upvotes.server";
import { crossCheck } from "../validate.server";
import { ISO, list, num, numOrNull } from "./sql.server";

interface PublicMachinePageLike {
  machine: {
    id: string;
    name: string;
    modelName: string;
    manufacturer: string | null;
    year: number | null;
    locationId: string;
    locationName: string;
    city: string | null;
    presence: string;
  };
  openIssues: PublicOpenIssue[];
  recentlyFixed: { id: string; title: string; resolvedAt: Date | null }[];
  topPriorityOrder: number | null;
}

/**
 * One statement: the machine row, with its open issues (most severe, then newest; at most 100), the issues closed
 * since `since` (newest three) and the organization's top priority as JSON beside it.
 */
export async function checkPublicMachinePage(
  db: DbOrTx,
  organizationId: string,
  machineId: string,
  since: Date,
  result: PublicMachinePageLike | null,
) {
  await crossCheck(
    db,
    "public machine page",
    result && {
      machine: result.machine,
      openIssues: result.openIssues.map((i) => ({
        id: i.id,
        title: i.title,
        category: i.category,
        statusName: i.statusName,
        priorityOrder: i.priorityOrder,
        createdAt: i.createdAt,
        upvoteCount: i.upvoteCount,
      })),
      recentlyFixed: result.recentlyFixed.map((i) => ({ id: i.id, title: i.title, resolvedAt: i.resolvedAt })),
      topPriorityOrder: result.topPriorityOrder,
    },
    sql`select m.id, m.name, md.name as "modelName", md.manufacturer, md.year, l.id as "locationId",
        l.name as "locationName", l.city, m.presence,
        coalesce((
          select json_agg(o order by o."priorityOrder" desc, o.created desc, o.id desc) from (
            select i.id, i.title, s.category, s.name as "statusName", p."order" as "priorityOrder",
              i."createdAt" as created, to_char(i."createdAt", ${ISO}) as "createdAt",
              (select count(*) from "Upvote" u where u."issueId" = i.id) as "upvoteCount"
            from "Issue" i
            join "IssueStatus" s on s.id = i."statusId" and s."organizationId" = i."organizationId"
            join "Priority" p on p.id = i."priorityId" and p."organizationId" = i."organizationId"
            where i."machineId" = m.id and i."organizationId" = m."organizationId" and s.category <> 'RESOLVED'
            order by p."order" desc, i."createdAt" desc, i.id desc
            limit 100
          ) o
        ), '[]'::json) as "openIssues",
        coalesce((
          select json_agg(f order by f.resolved desc, f.id desc) from (
            select i.id, i.title, i."resolvedAt" as resolved, to_char(i."resolvedAt", ${ISO}) as "resolvedAt"
            from "Issue" i
            join "IssueStatus" s on s.id = i."statusId" and s."organizationId" = i."organizationId"
            where i."machineId" = m.id and i."organizationId" = m."organizationId" and s.category = 'RESOLVED'
              and i."resolvedAt" >= (${since.toISOString()}::timestamptz at time zone 'UTC')
            order by i."resolvedAt" desc, i.id desc
            limit 3
          ) f
        ), '[]'::json) as "recentlyFixed",
        (select max(p."order") from "Priority" p where p."organizationId" = m."organizationId") as "topPriorityOrder"
      from "Machine" m
      join "Model" md on md.id = m."modelId" and (md."organizationId" is null or md."organizationId" = m."organizationId")
      join "Location" l on l.id = m."locationId" and l."organizationId" = m."organizationId"
      where m.id = ${machineId} and m."organizationId" = ${organizationId}`,
    ([r]) =>
      r
        ? {
            machine: {
              id: r.id,
              name: r.name,
              modelName: r.modelName,
              manufacturer: r.manufacturer,
              year: numOrNull(r.year),
              locationId: r.locationId,
              locationName: r.locationName,
              city: r.city,
              presence: r.presence,
            },
            openIssues: jsonRows(r.openIssues).map((i) => ({
              id: i.id,
              title: i.title,
              category: i.category,
              statusName: i.statusName,
              priorityOrder: num(i.priorityOrder),
              createdAt: i.createdAt,
              upvoteCount: num(i.upvoteCount),
            })),
            recentlyFixed: jsonRows(r.recentlyFixed).map((i) => ({
              id: i.id,
              title: i.title,
              resolvedAt: i.resolvedAt,
            })),
            topPriorityOrder: numOrNull(r.topPriorityOrder),
          }
        : null,
  );
}

function jsonRows(value: unknown): Record<string, unknown>[] {
  return (typeof value === "string" ? JSON.parse(value) : value) as Record<string, unknown>[];
}

/** Which of these issues of the organization the voter has voted for (a set: the page only asks "has voted?"). */
export async function checkVotedIssueIds(
  db: DbOrTx,
  organizationId: string,
  issueIds: string[],
  voter: Voter,
  result: string[],
) {
  const byVoter = "userId" in voter ? sql`u."userId" = ${voter.userId}` : sql`u."voterKey" = ${voter.voterKey}`;
  await crossCheck(
    db,
    "voted issues",
    [...result].sort(),
    sql`select u."issueId" from "Upvote" u
      where u."issueId" in ${list(issueIds)} and ${byVoter}
        and exists (select 1 from "Issue" i where i.id = u."issueId" and i."organizationId" = ${organizationId})`,
    (rows) => rows.map((r) => String(r.issueId)).sort(),
  );
}
