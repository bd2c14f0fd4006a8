/**
 * DB_VALIDATE references of the issue pages (db/queries/issues.server.ts, attachments): the list with every filter,
 * sort and page, its category counts, the machine picker, the member picker, one issue and its timeline.
 * Hand-written SQL (see ./sql.server.ts); each check compares ids and the fields the page shows, in the page's order.
 */
import { sql, type SQL } from "drizzle-orm";
import type { StatusCategory } from "../../core/issue-rules";
import type { DbOrTx } from "../client.server";
import type { AttachmentItem } from "../queries/attachments.server";
import type {
  IssueDetail,
  IssueListFilters,
  IssueListItem,
  ListIssuesInput,
  MemberOption,
} from "../queries/issues.server";
import type { TimelineItem } from "../queries/issue-page.server";
import { crossCheck } from "../validate.server";
import { ISO, list, memberName, num } from "./sql.server";

// ---------------------------------------------------------------------------------------------------------------
// The list

/** Conditions of the list's filters on `i` (Issue), `s` (IssueStatus), `m` (Machine). */
function filterSql(organizationId: string, f: IssueListFilters, withStatus: boolean): SQL {
  const parts: SQL[] = [sql`i."organizationId" = ${organizationId}`];
  if (withStatus) {
    if (f.statusIds?.length) parts.push(sql`i."statusId" in ${list(f.statusIds)}`);
    const category = f.category ?? "active";
    if (category === "active") parts.push(sql`s.category in ('NEW', 'IN_PROGRESS')`);
    else if (category !== "all") parts.push(sql`s.category::text = ${category}`);
  }
  if (f.priorityId) parts.push(sql`i."priorityId" = ${f.priorityId}`);
  if (f.machineId) parts.push(sql`m.id = ${f.machineId}`);
  if (f.locationId) parts.push(sql`m."locationId" = ${f.locationId}`);
  if (f.assigneeId === "unassigned") parts.push(sql`i."assignedToId" is null`);
  else if (f.assigneeId) parts.push(sql`i."assignedToId" = ${f.assigneeId}`);
  if (f.reporterId === "anonymous") parts.push(sql`i."createdById" is null`);
  else if (f.reporterId) parts.push(sql`i."createdById" = ${f.reporterId}`);
  const q = f.q?.trim();
  if (q) parts.push(searchSql(organizationId, q, f.searchAddresses === true));
  return sql.join(parts, sql` and `);
}

/**
 * The forgiving search on `i` (docs/decisions/038-trigram-search-and-duplicate-guard.md), written out plainly: the
 * full-text match; unless the search uses its syntax, also the title's word similarity, the machine's or model's
 * name, a member reporter's name or e-mail, a guest reporter's name or address (names: containing the search;
 * e-mail addresses only with `addresses`).
 */
function searchSql(organizationId: string, q: string, addresses: boolean): SQL {
  // `a <% b` is word_similarity(a, b) >= pg_trgm.word_similarity_threshold, 0.6 unless configured (we do not).
  const TRGM_WORD = sql.raw("0.6::float8");
  const fullText = sql`to_tsvector('english', i.title || ' ' || coalesce(i.description, '')) @@ websearch_to_tsquery('english', ${q})`;
  if (/["]|(^|\s)-\S|\sor\s/i.test(q)) return fullText;
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const similar = sql`word_similarity(${q}, i.title) >= ${TRGM_WORD}`;
  if (q.length < 3) return sql`(${fullText} or ${similar})`;
  return sql`(${fullText}
    or ${similar}
    or exists (select 1 from "Machine" sm left join "Model" smo on smo.id = sm."modelId"
      where sm.id = i."machineId" and sm."organizationId" = ${organizationId}
        and (sm.name ilike ${like} or smo.name ilike ${like}))
    or exists (select 1 from "User" su join "Membership" sms on sms."userId" = su.id
      where su.id = i."createdById" and sms."organizationId" = ${organizationId}
        and (su.name ilike ${like} ${addresses ? sql`or su.email ilike ${like}` : sql``}))
    or ${addresses ? sql`coalesce(i."submitterName", '') || ' ' || coalesce(i."reporterEmail", '')` : sql`coalesce(i."submitterName", '')`} ilike ${like})`;
}

/** The joins every list row needs, each held to the issue's organization. */
const listJoins = sql`
  join "IssueStatus" s on s.id = i."statusId" and s."organizationId" = i."organizationId"
  join "Priority" p on p.id = i."priorityId" and p."organizationId" = i."organizationId"
  join "Machine" m on m.id = i."machineId" and m."organizationId" = i."organizationId"
  join "Location" l on l.id = m."locationId" and l."organizationId" = i."organizationId"`;

function listItemView(i: IssueListItem) {
  return {
    id: i.id,
    title: i.title,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    status: { id: i.status.id, name: i.status.name, category: i.status.category },
    priority: { id: i.priority.id, name: i.priority.name, order: i.priority.order },
    machine: { id: i.machine.id, name: i.machine.name },
    location: { id: i.location.id, name: i.location.name },
    assignee: i.assignee?.id ? { id: i.assignee.id, name: i.assignee.name } : null,
    reporter: i.reporter?.id ? { id: i.reporter.id, name: i.reporter.name } : null,
    submitterName: i.submitterName,
    upvotes: i.upvotes,
    comments: i.comments,
  };
}

function listItemFromRow(r: Record<string, unknown>) {
  return {
    id: r.id,
    title: r.title,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    status: { id: r.statusId, name: r.statusName, category: r.statusCategory },
    priority: { id: r.priorityId, name: r.priorityName, order: num(r.priorityOrder) },
    machine: { id: r.machineId, name: r.machineName },
    location: { id: r.locationId, name: r.locationName },
    assignee: r.assigneeId ? { id: r.assigneeId, name: r.assigneeName } : null,
    reporter: r.reporterId ? { id: r.reporterId, name: r.reporterName } : null,
    submitterName: r.submitterName,
    upvotes: num(r.upvotes),
    comments: num(r.comments),
  };
}

/**
 * One page of the list: the matching issues with their sort key `k`, the rows after (or, for `before`, preceding)
 * the cursor read in the direction of travel, then put in the page's order.
 */
function issueListSql(input: ListIssuesInput, limit: number): SQL {
  const q = input.filters.q?.trim() ?? "";
  const key =
    input.sort === "relevance"
      ? sql`(least(floor(ts_rank(to_tsvector('english', i.title || ' ' || coalesce(i.description, '')), websearch_to_tsquery('english', ${q})) * 1000), 20000) * 100000
          + floor(word_similarity(${q}, i.title) * 99999))::int`
      : input.sort === "updated"
        ? sql`i."updatedAt"`
        : input.sort === "priority"
          ? sql`p."order"`
          : input.sort === "upvotes"
            ? sql`coalesce(v.n, 0)`
            : sql`i."createdAt"`;
  const cursor = input.cursor ?? null;
  const pageAsc = input.dir === "asc";
  const readAsc = cursor?.kind === "before" ? !pageAsc : pageAsc;
  const readDir = sql.raw(readAsc ? "asc" : "desc");
  const pageDir = sql.raw(pageAsc ? "asc" : "desc");
  let after = sql`true`;
  if (cursor) {
    const value =
      input.sort === "created" || input.sort === "updated"
        ? sql`(${String(cursor.value)}::timestamptz at time zone 'UTC')`
        : sql`${Number(cursor.value)}::int`;
    const beyond = sql.raw(readAsc ? ">" : "<");
    after = sql`(k ${beyond} ${value} or (k = ${value} and id ${beyond} ${cursor.id}))`;
  }
  return sql`
    with matching as (
      select i.id, i.title, to_char(i."createdAt", ${ISO}) as "createdAt", to_char(i."updatedAt", ${ISO}) as "updatedAt",
        s.id as "statusId", s.name as "statusName", s.category::text as "statusCategory",
        p.id as "priorityId", p.name as "priorityName", p."order" as "priorityOrder",
        m.id as "machineId", m.name as "machineName", l.id as "locationId", l.name as "locationName",
        a.id as "assigneeId", a.name as "assigneeName", r.id as "reporterId", r.name as "reporterName",
        i."submitterName", coalesce(v.n, 0) as upvotes, coalesce(c.n, 0) as comments, ${key} as k
      from "Issue" i
      ${listJoins}
      left join "User" a on a.id = i."assignedToId"
      left join "User" r on r.id = i."createdById"
      left join (select "issueId", count(*) as n from "Upvote" group by "issueId") v on v."issueId" = i.id
      left join (select "issueId", count(*) as n from "Comment" where "deletedAt" is null group by "issueId") c
        on c."issueId" = i.id
      where ${filterSql(input.organizationId, input.filters, true)}
    ),
    page as (select * from matching where ${after} order by k ${readDir}, id ${readDir} limit ${limit})
    select * from page order by k ${pageDir}, id ${pageDir}`;
}

export async function checkIssueList(db: DbOrTx, input: ListIssuesInput, limit: number, items: IssueListItem[]) {
  await crossCheck(db, "issue list", items.map(listItemView), issueListSql(input, limit), (rows) =>
    rows.map(listItemFromRow),
  );
}

/** The tabs' counts; with a cap only whether it was passed (the counts of a capped search are not shown). */
export async function checkIssueCounts(
  db: DbOrTx,
  organizationId: string,
  filters: IssueListFilters,
  cap: number | undefined,
  result: { counts: Record<StatusCategory, number>; capped: boolean },
) {
  await crossCheck(
    db,
    "issue list counts",
    { capped: result.capped, counts: result.capped ? null : result.counts },
    sql`select
        count(*) filter (where s.category = 'NEW') as "NEW",
        count(*) filter (where s.category = 'IN_PROGRESS') as "IN_PROGRESS",
        count(*) filter (where s.category = 'RESOLVED') as "RESOLVED"
      from "Issue" i ${listJoins}
      where ${filterSql(organizationId, filters, false)}`,
    ([r]) => {
      const counts = { NEW: num(r.NEW), IN_PROGRESS: num(r.IN_PROGRESS), RESOLVED: num(r.RESOLVED) };
      const capped = cap !== undefined && counts.NEW + counts.IN_PROGRESS + counts.RESOLVED > cap;
      return { capped, counts: capped ? null : counts };
    },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Pickers

export async function checkMemberOptions(db: DbOrTx, organizationId: string, result: MemberOption[]) {
  await crossCheck(
    db,
    "member options",
    result,
    sql`select u.id, u.name from "User" u
      where exists (select 1 from "Membership" ms where ms."userId" = u.id and ms."organizationId" = ${organizationId})
      order by u.name, u.id`,
    (rows) => rows.map((r) => ({ id: r.id, name: memberName(r.name) })),
  );
}

export async function checkIssueMachineOptions(
  db: DbOrTx,
  organizationId: string,
  opts: { locationId?: string; machineId?: string; limit?: number },
  result: { id: string; name: string; locationId: string; locationName: string }[],
) {
  await crossCheck(
    db,
    "machine picker",
    result.map((r) => ({ id: r.id, name: r.name, locationId: r.locationId, locationName: r.locationName })),
    sql`select m.id, m.name, l.id as "locationId", l.name as "locationName"
      from "Machine" m join "Location" l on l.id = m."locationId" and l."organizationId" = m."organizationId"
      where m."organizationId" = ${organizationId}
        ${opts.locationId ? sql`and m."locationId" = ${opts.locationId}` : sql``}
        ${opts.machineId ? sql`and m.id = ${opts.machineId}` : sql``}
      order by l.name, m.name, m.id
      ${opts.limit ? sql`limit ${opts.limit}` : sql``}`,
    (rows) => rows.map((r) => ({ id: r.id, name: r.name, locationId: r.locationId, locationName: r.locationName })),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// One issue

function detailView(d: IssueDetail | null) {
  if (!d) return null;
  return {
    id: d.id,
    title: d.title,
    description: d.description,
    consistency: d.consistency,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    resolvedAt: d.resolvedAt,
    reporterEmail: d.reporterEmail,
    submitterName: d.submitterName,
    status: { id: d.status.id, name: d.status.name, category: d.status.category },
    priority: { id: d.priority.id, name: d.priority.name, order: d.priority.order },
    machine: { id: d.machine.id, name: d.machine.name, ownerId: d.machine.ownerId },
    modelName: d.modelName,
    location: { id: d.location.id, name: d.location.name },
    assignee: d.assignee?.id ? { id: d.assignee.id, name: d.assignee.name } : null,
    reporter: d.reporter?.id ? { id: d.reporter.id, name: d.reporter.name } : null,
    upvotes: d.upvotes,
    mergedIntoId: d.mergedIntoId,
    hasDuplicates: d.hasDuplicates,
  };
}

export async function checkIssueDetail(
  db: DbOrTx,
  organizationId: string,
  issueId: string,
  result: IssueDetail | null,
) {
  await crossCheck(
    db,
    "issue detail",
    detailView(result),
    sql`select i.id, i.title, i.description, i.consistency, to_char(i."createdAt", ${ISO}) as "createdAt",
        to_char(i."updatedAt", ${ISO}) as "updatedAt", to_char(i."resolvedAt", ${ISO}) as "resolvedAt",
        i."reporterEmail", i."submitterName",
        s.id as "statusId", s.name as "statusName", s.category::text as "statusCategory",
        p.id as "priorityId", p.name as "priorityName", p."order" as "priorityOrder",
        m.id as "machineId", m.name as "machineName", m."ownerId", md.name as "modelName",
        l.id as "locationId", l.name as "locationName",
        a.id as "assigneeId", a.name as "assigneeName", r.id as "reporterId", r.name as "reporterName",
        (select count(*) from "Upvote" u where u."issueId" = i.id) as upvotes, i."mergedIntoId",
        (select count(*) from "Issue" dup where dup."mergedIntoId" = i.id and dup."organizationId" = i."organizationId") > 0
          as "hasDuplicates"
      from "Issue" i
      ${listJoins}
      left join "Model" md on md.id = m."modelId" and (md."organizationId" is null or md."organizationId" = m."organizationId")
      left join "User" a on a.id = i."assignedToId"
      left join "User" r on r.id = i."createdById"
      where i.id = ${issueId} and i."organizationId" = ${organizationId}`,
    ([r]) =>
      r
        ? {
            id: r.id,
            title: r.title,
            description: r.description,
            consistency: r.consistency,
            createdAt: r.createdAt,
            updatedAt: r.updatedAt,
            resolvedAt: r.resolvedAt,
            reporterEmail: r.reporterEmail,
            submitterName: r.submitterName,
            status: { id: r.statusId, name: r.statusName, category: r.statusCategory },
            priority: { id: r.priorityId, name: r.priorityName, order: num(r.priorityOrder) },
            machine: { id: r.machineId, name: r.machineName, ownerId: r.ownerId },
            modelName: r.modelName,
            location: { id: r.locationId, name: r.locationName },
            assignee: r.assigneeId ? { id: r.assigneeId, name: r.assigneeName } : null,
            reporter: r.reporterId ? { id: r.reporterId, name: r.reporterName } : null,
            upvotes: num(r.upvotes),
            mergedIntoId: r.mergedIntoId,
            hasDuplicates: r.hasDuplicates,
          }
        : null,
  );
}

function timelineView(t: TimelineItem) {
  if (t.kind === "comment") {
    return {
      kind: t.kind,
      id: t.id,
      at: t.at,
      content: t.content,
      edited: t.edited,
      author: t.author,
      deletedAt: t.deletedAt,
      deletedBy: t.deletedBy,
    };
  }
  return {
    kind: t.kind,
    id: t.id,
    at: t.at,
    type: t.type,
    field: t.field,
    oldValue: t.oldValue,
    newValue: t.newValue,
    actor: t.actor,
  };
}

/**
 * Comments and history in one union, ordered as the page merges them: by time, the activity before the comment of
 * the same instant, then by id as JavaScript compares strings (code units: the "C" collation).
 */
export async function checkIssueTimeline(
  db: DbOrTx,
  organizationId: string,
  issueId: string,
  includeDeleted: boolean,
  result: TimelineItem[],
) {
  await crossCheck(
    db,
    "issue timeline",
    result.map(timelineView),
    sql`select * from (
        select 'activity' as kind, h.id, h."changedAt" as t, to_char(h."changedAt", ${ISO}) as at, null::text as content, null::boolean as edited,
          null::text as "authorId", null::text as "authorName", null::text as "deletedAt", null::text as "deletedByName",
          h.type::text as type, h.field, h."oldValue", h."newValue", h."actorId", actor.name as "actorName"
        from "IssueHistory" h left join "User" actor on actor.id = h."actorId"
        where h."issueId" = ${issueId} and h."organizationId" = ${organizationId} and h.type::text <> 'COMMENTED'
        union all
        select 'comment', c.id, c."createdAt", to_char(c."createdAt", ${ISO}), c.content,
          c."deletedAt" is null and c."updatedAt" - c."createdAt" > interval '1 second',
          author.id, author.name, to_char(c."deletedAt", ${ISO}), deleter.name,
          null, null, null, null, null, null
        from "Comment" c
        join "Issue" i on i.id = c."issueId" and i."organizationId" = ${organizationId}
        join "User" author on author.id = c."authorId"
        left join "User" deleter on deleter.id = c."deletedBy"
        where c."issueId" = ${issueId} ${includeDeleted ? sql`` : sql`and c."deletedAt" is null`}
      ) entries
      order by t, case kind when 'activity' then 0 else 1 end, id collate "C"`,
    (rows) =>
      rows.map((r) => {
        const at = r.at;
        if (r.kind === "comment") {
          return {
            kind: "comment",
            id: r.id,
            at,
            content: r.content,
            edited: Boolean(r.edited),
            author: { id: r.authorId, name: memberName(r.authorName) },
            deletedAt: r.deletedAt,
            deletedBy: r.deletedAt ? memberName(r.deletedByName) : null,
          };
        }
        return {
          kind: "activity",
          id: r.id,
          at,
          type: r.type,
          field: r.field,
          oldValue: r.oldValue,
          newValue: r.newValue,
          actor: r.actorId ? { id: r.actorId, name: memberName(r.actorName) } : null,
        };
      }),
  );
}

export async function checkAttachments(db: DbOrTx, organizationId: string, issueId: string, result: AttachmentItem[]) {
  await crossCheck(
    db,
    "attachments",
    result.map((a) => ({ id: a.id, fileName: a.fileName, fileType: a.fileType, createdAt: a.createdAt })),
    sql`select a.id, a."fileName", a."fileType", to_char(a."createdAt", ${ISO}) as "createdAt"
      from "Attachment" a join "Issue" i on i.id = a."issueId" and i."organizationId" = a."organizationId"
      where a."issueId" = ${issueId} and a."organizationId" = ${organizationId}
      order by a."createdAt", a.id`,
    (rows) => rows.map((r) => ({ id: r.id, fileName: r.fileName, fileType: r.fileType, createdAt: r.createdAt })),
  );
}
