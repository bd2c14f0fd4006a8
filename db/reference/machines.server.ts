/**
 * DB_VALIDATE references of the member machine page (/machines/<id>, db/queries/machines.server.ts and
 * models.server.ts): the machine, its open and recently closed issues, the organization's top priority, and the edit
 * form's owner and model pickers.
 */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import type { ModelOption } from "../queries/models.server";
import { crossCheck } from "../validate.server";
import { ISO, num, numOrNull } from "./sql.server";

/** A model the machine's organization may use: the catalogue's or its own. */
const modelOfMachine = sql`(md."organizationId" is null or md."organizationId" = m."organizationId")`;

const detailFields = [
  "id",
  "name",
  "modelId",
  "locationId",
  "ownerId",
  "ownerNotificationsEnabled",
  "notifyOnNewIssues",
  "notifyOnStatusChanges",
  "notifyOnComments",
  "qrCodeId",
  "qrCodeGeneratedAt",
  "createdAt",
  "modelName",
  "manufacturer",
  "year",
  "machineType",
  "opdbId",
  "ipdbId",
  "isCustomModel",
  "locationName",
  "ownerName",
] as const;

function pick(row: Record<string, unknown>) {
  const out = Object.fromEntries(detailFields.map((f) => [f, row[f] ?? null]));
  out.year = numOrNull(out.year);
  return out;
}

export async function checkMachineDetail(
  db: DbOrTx,
  organizationId: string,
  machineId: string,
  result: Record<string, unknown> | null,
) {
  await crossCheck(
    db,
    "machine detail",
    result ? pick(result) : null,
    sql`select m.id, m.name, m."modelId", m."locationId", m."ownerId", m."ownerNotificationsEnabled",
        m."notifyOnNewIssues", m."notifyOnStatusChanges", m."notifyOnComments", m."qrCodeId",
        to_char(m."qrCodeGeneratedAt", ${ISO}) as "qrCodeGeneratedAt", to_char(m."createdAt", ${ISO}) as "createdAt",
        md.name as "modelName", md.manufacturer, md.year, md."machineType", md."opdbId", md."ipdbId",
        md."isCustom" as "isCustomModel", l.name as "locationName", owner.name as "ownerName"
      from "Machine" m
      join "Model" md on md.id = m."modelId" and ${modelOfMachine}
      join "Location" l on l.id = m."locationId" and l."organizationId" = m."organizationId"
      left join "User" owner on owner.id = m."ownerId"
      where m.id = ${machineId} and m."organizationId" = ${organizationId}`,
    ([r]) => (r ? pick(r) : null),
  );
}

interface MachineIssueLike {
  id: string;
  title: string;
  createdAt: Date;
  resolvedAt: Date | null;
  statusName: string;
  category: string;
  priorityName: string;
  priorityOrder: number;
}

/** Every open issue (most severe, then newest first) and the five most recently closed. */
export async function checkMachineIssues(
  db: DbOrTx,
  organizationId: string,
  machineId: string,
  recentClosed: number,
  result: { open: MachineIssueLike[]; closed: MachineIssueLike[] },
) {
  const view = (i: MachineIssueLike) => ({
    id: i.id,
    title: i.title,
    createdAt: i.createdAt,
    resolvedAt: i.resolvedAt,
    statusName: i.statusName,
    category: i.category,
    priorityName: i.priorityName,
    priorityOrder: i.priorityOrder,
  });
  await crossCheck(
    db,
    "machine issues",
    { open: result.open.map(view), closed: result.closed.map(view) },
    sql`with machine_issues as (
        select i.id, i.title, to_char(i."createdAt", ${ISO}) as "createdAt", to_char(i."resolvedAt", ${ISO}) as "resolvedAt",
          s.name as "statusName", s.category::text as category, p.name as "priorityName", p."order" as "priorityOrder",
          s.category = 'RESOLVED' as closed,
          row_number() over (partition by s.category = 'RESOLVED'
            order by case when s.category = 'RESOLVED' then null else p."order" end desc nulls last,
                     case when s.category = 'RESOLVED' then coalesce(i."resolvedAt", i."updatedAt") else i."createdAt" end desc,
                     i.id desc) as n
        from "Issue" i
        join "IssueStatus" s on s.id = i."statusId" and s."organizationId" = i."organizationId"
        join "Priority" p on p.id = i."priorityId" and p."organizationId" = i."organizationId"
        where i."machineId" = ${machineId} and i."organizationId" = ${organizationId}
      )
      select * from machine_issues where (not closed and n <= 200) or (closed and n <= ${recentClosed})
      order by closed, n`,
    (rows) => {
      const view = (r: Record<string, unknown>) => ({
        id: r.id,
        title: r.title,
        createdAt: r.createdAt,
        resolvedAt: r.resolvedAt,
        statusName: r.statusName,
        category: r.category,
        priorityName: r.priorityName,
        priorityOrder: num(r.priorityOrder),
      });
      return { open: rows.filter((r) => !r.closed).map(view), closed: rows.filter((r) => r.closed).map(view) };
    },
  );
}

export async function checkTopPriorityOrder(db: DbOrTx, organizationId: string, result: number | null) {
  await crossCheck(
    db,
    "top priority",
    result,
    sql`select "order" from "Priority" where "organizationId" = ${organizationId} order by "order" desc limit 1`,
    ([r]) => (r ? num(r.order) : null),
  );
}

/** Members by name (or the part of the address before the @), names only. */
export async function checkOwnerOptions(db: DbOrTx, organizationId: string, result: { id: string; name: string }[]) {
  await crossCheck(
    db,
    "owner options",
    result,
    sql`select u.id,
        coalesce(nullif(u.name, ''), case when coalesce(u.email, '') = '' then 'Member' else split_part(u.email, '@', 1) end) as name
      from "User" u
      where exists (select 1 from "Membership" ms where ms."userId" = u.id and ms."organizationId" = ${organizationId})
      order by coalesce(u.name, u.email), u.id`,
    (rows) => rows.map((r) => ({ id: r.id, name: r.name })),
  );
}

/**
 * The model picker of the machine form without a search: the catalogue and the organization's own models (its own
 * first), the first `limit`, and the machine's current model in front when the limit left it out.
 */
export async function checkModelOptions(
  db: DbOrTx,
  organizationId: string,
  opts: { limit: number; includeId?: string },
  result: ModelOption[],
) {
  const includeId = opts.includeId ?? null;
  await crossCheck(
    db,
    "model options",
    result.map((m) => ({ id: m.id, name: m.name, manufacturer: m.manufacturer, year: m.year, isCustom: m.isCustom })),
    sql`with visible as (
        select id, name, manufacturer, year, "isCustom",
          row_number() over (order by "isCustom" desc, name, year, id) as n
        from "Model" where "organizationId" is null or "organizationId" = ${organizationId}
      )
      select * from visible
      where n <= ${opts.limit} or id = ${includeId}
      order by (n > ${opts.limit}) desc, n`,
    (rows) =>
      rows.map((r) => ({
        id: r.id,
        name: r.name,
        manufacturer: r.manufacturer,
        year: numOrNull(r.year),
        isCustom: r.isCustom,
      })),
  );
}
