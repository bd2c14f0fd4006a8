/**
 * Issues: the filtered/searched/sorted list with keyset pagination, category counts, the detail page, the merged
 * timeline, and the triage changes (status, priority, assignee, title/description).
 *
 * Rules:
 * - Every helper takes `organizationId` and puts it in the WHERE; ids from another organization find nothing.
 * - The triage changes are statement-level pieces (lock the row, look up the organization's options, update, append
 *   history); app/use-cases/issues.server.ts runs each change in one transaction and applies core/issue-rules.ts.
 * - Search forgives (docs/decisions/038-trigram-search-and-duplicate-guard.md): an issue matches by full-text search
 *   with the exact expression of the GIN index "Issue_search_idx" (db/schema/issues.ts ISSUE_SEARCH_DOCUMENT,
 *   `websearch_to_tsquery('english', q)`), or by pg_trgm word similarity to its title ("Issue_title_trgm_idx": typos),
 *   or by its machine's or model's name, its reporter's name or e-mail (members of the organization), or an anonymous
 *   reporter's name or address ("Issue_submitter_trgm_idx"). Every arm is an index condition on Issue, so the
 *   planner ORs bitmaps instead of reading the organization's issues. Sorted by relevance: full-text rank, then
 *   title similarity.
 */
import { and, asc, count, desc, eq, inArray, isNull, ne, sql, type SQL } from "drizzle-orm";
import { alias, type PgSelect } from "drizzle-orm/pg-core";
import { type IssueSort, type StatusCategory } from "../../core/issue-rules";
import type { DbOrTx } from "../client.server";
import { reusableQuery } from "../reusable-query.server";
import {
  comments,
  issueHistory,
  issues,
  issueStatuses,
  locations,
  machines,
  memberships,
  models,
  priorities,
  upvotes,
  users,
  type ActivityType,
} from "../schema";
import { containsPattern } from "./search.server";
import {
  checkIssueCounts,
  checkIssueDetail,
  checkIssueList,
  checkIssueMachineOptions,
} from "../reference/issues.server";
import { validationEnabled } from "../validate.server";

const assigneeUser = alias(users, "assignee");
const reporterUser = alias(users, "reporter");

/** The joins an issue row of the list needs besides its status and priority: machine, location, assignee, reporter. */
function withIssueContext<T extends PgSelect>(query: T) {
  return query
    .innerJoin(machines, eq(machines.id, issues.machineId))
    .innerJoin(locations, eq(locations.id, machines.locationId))
    .leftJoin(assigneeUser, eq(assigneeUser.id, issues.assignedToId))
    .leftJoin(reporterUser, eq(reporterUser.id, issues.createdById));
}

/** The search document, written against the Issue columns: the same expression as the GIN index. */
export const issueSearchDocument = sql`to_tsvector('english', ${issues.title} || ' ' || coalesce(${issues.description}, ''))`;

/** What an anonymous reporter left, as the expression of "Issue_submitter_trgm_idx". */
const issueSubmitterDocument = sql`(coalesce(${issues.submitterName}, '') || ' ' || coalesce(${issues.reporterEmail}, ''))`;

/** The organization's machines and members whose names (or e-mails) contain a search, looked up before the list. */
export interface SearchNames {
  machineIds: string[];
  userIds: string[];
}

/** Names, e-mails and a guest's address are searched from this many characters on (the trigram index needs three). */
export const NAME_SEARCH_MIN_LENGTH = 3;

/**
 * Looks up the names a search may mean (one statement, the organization's small tables), so that the list's own
 * statement carries them as arrays whose size the planner knows: for a rare name it then reads the few matching
 * issues by index instead of walking the whole list in order. Null when the search does not look for names.
 * Members' e-mail addresses only with `addresses` (IssueListFilters.searchAddresses).
 */
export async function findSearchNames(
  db: DbOrTx,
  organizationId: string,
  q: string,
  addresses = false,
): Promise<SearchNames | null> {
  const text = q.trim();
  if (text.length < NAME_SEARCH_MIN_LENGTH || usesSearchSyntax(text)) return null;
  const like = containsPattern(text);
  const person = addresses ? sql`(u.name ilike ${like} or u.email ilike ${like})` : sql`u.name ilike ${like}`;
  // Written with aliases: two tables here have "id", "name" and "organizationId".
  const result = await db.execute(sql`select
      array(select m.id from "Machine" m left join "Model" mo on mo.id = m."modelId"
        where m."organizationId" = ${organizationId} and (m.name ilike ${like} or mo.name ilike ${like})) as "machineIds",
      array(select ms."userId" from "Membership" ms join "User" u on u.id = ms."userId"
        where ms."organizationId" = ${organizationId} and ${person}) as "userIds"`);
  const [row] = ((result as { rows?: unknown[] }).rows ?? (result as unknown as unknown[])) as {
    machineIds: string[] | null;
    userIds: string[] | null;
  }[];
  return { machineIds: row?.machineIds ?? [], userIds: row?.userIds ?? [] };
}

/**
 * The forgiving search (see the top of this file): full-text (quoted phrases, OR, -exclusions; never a syntax
 * error), or the title's word similarity (`q <% title`, pg_trgm.word_similarity_threshold: 0.6), or, with `names`
 * (findSearchNames), the machine's or its model's name, or the reporter (a member's name or e-mail, a guest's name
 * or address) containing `q`. Names are matched by containing, not by similarity: "Machine 12" is as similar to
 * "Machine 345" as "fliper" to "flipper". A guest's address only with `addresses` (names found with the same flag).
 */
export function issueSearchCondition(
  organizationId: string,
  q: string,
  names: SearchNames | null = null,
  addresses = false,
): SQL {
  const fullText = sql`${issueSearchDocument} @@ websearch_to_tsquery('english', ${q})`;
  // Search syntax ("phrase", -word, or) asks for exactly that: no similar words, names or people then.
  if (usesSearchSyntax(q)) return fullText;
  const arms: SQL[] = [fullText, sql`${q} <% ${issues.title}`];
  if (names) {
    if (names.machineIds.length) arms.push(inArray(issues.machineId, names.machineIds));
    if (names.userIds.length) arms.push(inArray(issues.createdById, names.userIds));
    const like = containsPattern(q);
    // Without addresses the guest's name alone must match; the first test keeps the arm on the trigram index.
    arms.push(
      addresses
        ? sql`${issueSubmitterDocument} ilike ${like}`
        : sql`(${issueSubmitterDocument} ilike ${like} and coalesce(${issues.submitterName}, '') ilike ${like})`,
    );
  }
  return sql`(${sql.join(arms, sql` or `)})`;
}

/** True when the search uses websearch_to_tsquery's syntax: quotes, a word excluded with "-", or "or". */
export function usesSearchSyntax(q: string): boolean {
  return /["]|(^|\s)-\S|\sor\s/i.test(q);
}

/**
 * The relevance order of a search as one integer (a keyset cursor holds it): the full-text rank in thousandths,
 * then the title's word similarity in hundred-thousandths.
 */
export function issueRelevance(q: string): SQL<number> {
  return sql<number>`(least(floor(ts_rank(${issueSearchDocument}, websearch_to_tsquery('english', ${q})) * 1000), 20000) * 100000
    + floor(word_similarity(${q}, ${issues.title}) * 99999))::int`;
}

const upvoteCount = sql<number>`(select count(*)::int from ${upvotes} where ${upvotes.issueId} = ${issues.id})`;
const commentCount = sql<number>`(select count(*)::int from ${comments} where ${comments.issueId} = ${issues.id} and ${comments.deletedAt} is null)`;

// -------------------------------------------------------------------------------------------------------------------
// List

/** "active" = Open + In progress (the default view), "all" = every category. */
export type CategoryFilter = "active" | "all" | StatusCategory;
export { ISSUE_SORTS, type IssueSort } from "../../core/issue-rules";
export type SortDir = "asc" | "desc";

export interface IssueListFilters {
  /** One or more status ids (OR). */
  statusIds?: string[];
  category?: CategoryFilter;
  priorityId?: string;
  machineId?: string;
  locationId?: string;
  /** A user id, or "unassigned". */
  assigneeId?: string;
  /** A user id, or "anonymous" (reports without an account). */
  reporterId?: string;
  q?: string;
  /**
   * The search also looks in reporters' e-mail addresses (a member's, a guest's): only for those who may see them
   * (app/use-cases/issue-pages.server.ts issueListCriteria), or a search would tell whose address reported what.
   */
  searchAddresses?: boolean;
}

export interface IssueCursor {
  kind: "after" | "before";
  /** ISO timestamp for created/updated, integer for priority/upvotes. */
  value: string | number;
  id: string;
}

export interface IssueListItem {
  id: string;
  title: string;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  status: { id: string; name: string; category: StatusCategory };
  priority: { id: string; name: string; order: number };
  machine: { id: string; name: string };
  location: { id: string; name: string };
  assignee: { id: string; name: string | null } | null;
  reporter: { id: string; name: string | null } | null;
  submitterName: string | null;
  upvotes: number;
  comments: number;
  /** The sort key of a search sorted by relevance (issueRelevance). */
  relevance?: number;
}

function filterConditions(
  organizationId: string,
  f: IssueListFilters,
  withStatus: boolean,
  names: SearchNames | null = null,
): SQL[] {
  const where: (SQL | undefined)[] = [eq(issues.organizationId, organizationId)];
  if (withStatus) {
    if (f.statusIds?.length) where.push(inArray(issues.statusId, f.statusIds));
    const c = f.category ?? "active";
    if (c === "active") where.push(ne(issueStatuses.category, "RESOLVED"));
    else if (c !== "all") where.push(eq(issueStatuses.category, c));
  }
  if (f.priorityId) where.push(eq(issues.priorityId, f.priorityId));
  if (f.machineId) where.push(eq(issues.machineId, f.machineId));
  if (f.locationId) where.push(eq(machines.locationId, f.locationId));
  if (f.assigneeId === "unassigned") where.push(isNull(issues.assignedToId));
  else if (f.assigneeId) where.push(eq(issues.assignedToId, f.assigneeId));
  if (f.reporterId === "anonymous") where.push(isNull(issues.createdById));
  else if (f.reporterId) where.push(eq(issues.createdById, f.reporterId));
  if (f.q?.trim()) where.push(issueSearchCondition(organizationId, f.q.trim(), names, f.searchAddresses));
  return where.filter((w): w is SQL => Boolean(w));
}

function sortKey(sort: IssueSort, q: string | undefined): SQL | typeof issues.createdAt | typeof priorities.order {
  switch (sort) {
    case "relevance":
      return q?.trim() ? issueRelevance(q.trim()) : issues.createdAt;
    case "updated":
      return issues.updatedAt;
    case "priority":
      return priorities.order;
    case "upvotes":
      return upvoteCount;
    default:
      return issues.createdAt;
  }
}

function cursorValue(sort: IssueSort, item: IssueListItem): string | number {
  switch (sort) {
    case "relevance":
      return item.relevance ?? 0;
    case "updated":
      return item.updatedAt.toISOString();
    case "priority":
      return item.priority.order;
    case "upvotes":
      return item.upvotes;
    default:
      return item.createdAt.toISOString();
  }
}

export function encodeCursor(value: string | number, id: string): string {
  return Buffer.from(JSON.stringify([value, id]), "utf8").toString("base64url");
}

/** Parses a cursor token for a sort; null when malformed (the page then starts from the beginning). */
export function decodeCursor(
  token: string | null | undefined,
  sort: IssueSort,
): { value: string | number; id: string } | null {
  if (!token || token.length > 200) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [value, id] = parsed as unknown[];
    if (typeof id !== "string" || !id || id.length > 64) return null;
    if (sort === "created" || sort === "updated") {
      if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(value)) return null;
      if (Number.isNaN(Date.parse(value))) return null;
      return { value, id };
    }
    if (typeof value !== "number" || !Number.isSafeInteger(value)) return null;
    return { value, id };
  } catch {
    return null;
  }
}

/** The most rows one call of listIssues returns (the page shows 25; the CSV export reads this many at a time). */
export const ISSUE_PAGE_MAX = 500;

export interface ListIssuesInput {
  organizationId: string;
  filters: IssueListFilters;
  sort: IssueSort;
  dir: SortDir;
  cursor?: IssueCursor | null;
  limit?: number;
}

export interface IssuePage {
  items: IssueListItem[];
  /** Token for `?after=` (next page), null on the last page. */
  nextCursor: string | null;
  /** Token for `?before=` (previous page), null on the first page. */
  prevCursor: string | null;
}

/**
 * What an issue's row shows both in the list and on its page (listColumns, issueDetailColumns): both statements join
 * the status, priority, location, assignee and reporter the same way.
 */
const issueRowColumns = {
  id: issues.id,
  title: issues.title,
  createdAt: issues.createdAt,
  updatedAt: issues.updatedAt,
  resolvedAt: issues.resolvedAt,
  submitterName: issues.submitterName,
  status: { id: issueStatuses.id, name: issueStatuses.name, category: issueStatuses.category },
  priority: { id: priorities.id, name: priorities.name, order: priorities.order },
  location: { id: locations.id, name: locations.name },
  assignee: { id: assigneeUser.id, name: assigneeUser.name },
  reporter: { id: reporterUser.id, name: reporterUser.name },
  upvotes: upvoteCount,
};

const listColumns = {
  ...issueRowColumns,
  machine: { id: machines.id, name: machines.name },
  comments: commentCount,
};

/**
 * One page of issues in one SQL statement (joins for status, priority, machine, location, assignee, reporter;
 * correlated counts of upvotes and visible comments). Keyset pagination on (sort key, id): stable under inserts,
 * no duplicates or gaps between pages.
 */
export async function listIssues(db: DbOrTx, input: ListIssuesInput): Promise<IssuePage> {
  const limit = Math.min(Math.max(input.limit ?? 25, 1), ISSUE_PAGE_MAX);
  const q = input.filters.q?.trim();
  // Without a search there is nothing to rank: "relevance" is then the creation order (cursors included).
  const sort: IssueSort = input.sort === "relevance" && !q ? "created" : input.sort;
  const key = sortKey(sort, q);
  const names = q ? await findSearchNames(db, input.organizationId, q, input.filters.searchAddresses) : null;
  const where = filterConditions(input.organizationId, input.filters, true, names);
  const cursor = input.cursor ?? null;
  // Reading backwards ("before") flips the order; the rows are reversed again below.
  const ascending = (input.dir === "asc") !== (cursor?.kind === "before");
  const direction = ascending ? asc : desc;
  if (cursor) {
    const value =
      sort === "created" || sort === "updated" ? sql`${cursor.value}::timestamp` : sql`${cursor.value}::int`;
    where.push(sql`(${key}, ${issues.id}) ${sql.raw(ascending ? ">" : "<")} (${value}, ${cursor.id})`);
  }
  // Ranked: the key goes out with each row, for the cursor.
  const columns = sort === "relevance" ? { ...listColumns, relevance: sql<number>`${key}` } : listColumns;
  const rows =
    sort === "priority"
      ? await priorityOrderedPage(db, input, where, ascending, limit + 1)
      : await withIssueContext(
          db
            .select(columns)
            .from(issues)
            .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
            .innerJoin(priorities, eq(priorities.id, issues.priorityId))
            .$dynamic(),
        )
          .where(and(...where))
          .orderBy(direction(key), direction(issues.id))
          .limit(limit + 1);

  const more = rows.length > limit;
  let items = rows.slice(0, limit) as IssueListItem[];
  if (cursor?.kind === "before") items = items.reverse();
  const first = items[0];
  const last = items[items.length - 1];
  const token = (item: IssueListItem | undefined) => (item ? encodeCursor(cursorValue(sort, item), item.id) : null);
  let hasNext: boolean;
  let hasPrev: boolean;
  if (!cursor) {
    hasNext = more;
    hasPrev = false;
  } else if (cursor.kind === "after") {
    hasNext = more;
    hasPrev = true;
  } else {
    hasNext = true;
    hasPrev = more;
  }
  if (validationEnabled()) await checkIssueList(db, { ...input, sort }, limit, items);
  return { items, nextCursor: hasNext ? token(last) : null, prevCursor: hasPrev ? token(first) : null };
}

/**
 * The list sorted by priority. The sort key is a column of Priority, so no index on Issue gives that order, and
 * sorting the joined rows read every issue of the organization (a sequential scan at volume). Instead the
 * organization's few priorities are the outer rows, and for each one a lateral subquery takes the first `rows`
 * matching issues in id order from "Issue_organizationId_priorityId_id_idx"; the outer sort then orders at most
 * priorities × `rows` rows. `where` (filters and cursor) is evaluated inside the subquery, where "Priority" is the
 * outer row. Same rows and order as the single join would give.
 */
async function priorityOrderedPage(db: DbOrTx, input: ListIssuesInput, where: SQL[], ascending: boolean, rows: number) {
  const direction = ascending ? asc : desc;
  const inner = db
    .select({ id: issues.id })
    .from(issues)
    .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
    .$dynamic();
  if (input.filters.locationId) inner.innerJoin(machines, eq(machines.id, issues.machineId));
  const page = inner
    .where(and(...where, eq(issues.priorityId, priorities.id)))
    .orderBy(direction(issues.id))
    .limit(rows)
    .as("page");
  const outer: SQL[] = [eq(priorities.organizationId, input.organizationId)];
  // The cursor's priority and those after it only: an earlier priority's subquery would scan all of its issues
  // to find none past the cursor.
  const cursor = input.cursor;
  if (cursor) outer.push(sql`${priorities.order} ${sql.raw(ascending ? ">=" : "<=")} ${cursor.value}::int`);
  return withIssueContext(
    db
      .select(listColumns)
      .from(priorities)
      .innerJoinLateral(page, sql`true`)
      .innerJoin(issues, eq(issues.id, page.id))
      .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
      .$dynamic(),
  )
    .where(and(...outer))
    .orderBy(direction(priorities.order), direction(issues.id))
    .limit(rows);
}

/**
 * Issues per status category under the list's filters (ignoring the status/category filter), for its tabs. With a search, counting every match of a broad word in a large
 * organization costs more than the page itself (tens of thousands of rows, bench/ANALYSIS.md), so `cap` stops
 * counting after that many matches and `capped` says so. `Machine` is joined only for the location filter.
 */
export async function countIssuesByCategory(
  db: DbOrTx,
  organizationId: string,
  filters: IssueListFilters,
  opts: { cap?: number } = {},
): Promise<{ counts: Record<StatusCategory, number>; capped: boolean }> {
  const matching = db
    .select({ category: issueStatuses.category })
    .from(issues)
    .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
    .$dynamic();
  if (filters.locationId) matching.innerJoin(machines, eq(machines.id, issues.machineId));
  const q = filters.q?.trim();
  const names = q ? await findSearchNames(db, organizationId, q, filters.searchAddresses) : null;
  matching.where(and(...filterConditions(organizationId, filters, false, names)));
  if (opts.cap) matching.limit(opts.cap + 1);
  const sample = matching.as("matching");
  const rows = await db.select({ category: sample.category, n: count() }).from(sample).groupBy(sample.category);
  const counts: Record<StatusCategory, number> = { NEW: 0, IN_PROGRESS: 0, RESOLVED: 0 };
  for (const r of rows) counts[r.category] = Number(r.n);
  const total = counts.NEW + counts.IN_PROGRESS + counts.RESOLVED;
  const result = { counts, capped: opts.cap !== undefined && total > opts.cap };
  if (validationEnabled()) await checkIssueCounts(db, organizationId, filters, opts.cap, result);
  return result;
}

export interface MemberOption {
  id: string;
  name: string;
}

/**
 * Machines (with their location) for pickers, ordered by location and name. `locationId` narrows to one location,
 * `machineId` to one machine (to keep a chosen machine in a shortened picker), `limit` caps the rows (large
 * organizations: the issue list asks for one more than it shows to know whether the list is complete).
 */
export async function listMachineOptions(
  db: DbOrTx,
  organizationId: string,
  opts: { locationId?: string; machineId?: string; limit?: number } = {},
) {
  const query = db
    .select({ id: machines.id, name: machines.name, locationId: machines.locationId, locationName: locations.name })
    .from(machines)
    .innerJoin(locations, eq(locations.id, machines.locationId))
    .where(
      and(
        eq(machines.organizationId, organizationId),
        opts.locationId ? eq(machines.locationId, opts.locationId) : undefined,
        opts.machineId ? eq(machines.id, opts.machineId) : undefined,
      ),
    )
    .orderBy(asc(locations.name), asc(machines.name), asc(machines.id));
  const rows = await (opts.limit ? query.limit(opts.limit) : query);
  if (validationEnabled()) await checkIssueMachineOptions(db, organizationId, opts, rows);
  return rows;
}

export function displayName(name: string | null | undefined): string {
  return name?.trim() || "Unnamed member";
}

// -------------------------------------------------------------------------------------------------------------------
// Detail & timeline

/** What a history row says, for the timelines (the issue page's, the public follow page's). */
export const historyEntryColumns = {
  id: issueHistory.id,
  type: issueHistory.type,
  field: issueHistory.field,
  oldValue: issueHistory.oldValue,
  newValue: issueHistory.newValue,
  changedAt: issueHistory.changedAt,
};

/** The columns of an issue's page row (getIssueDetail, and the issue page's statement in ./issue-page.server.ts). */
export const issueDetailColumns = {
  ...issueRowColumns,
  description: issues.description,
  consistency: issues.consistency,
  reporterEmail: issues.reporterEmail,
  machine: { id: machines.id, name: machines.name, ownerId: machines.ownerId },
  modelName: models.name,
  // The page looks up merges only when there are any (app/use-cases/issue-pages.server.ts loadMergeParts).
  mergedIntoId: issues.mergedIntoId,
  hasDuplicates: sql<boolean>`exists (select 1 from "Issue" "duplicate" where "duplicate"."mergedIntoId" = ${issues.id} and "duplicate"."organizationId" = ${issues.organizationId})`,
};

/** The joins of issueDetailColumns, and the one issue of the organization (placeholders issueId, organizationId). */
export function fromIssueDetail<T extends PgSelect>(query: T) {
  return query
    .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
    .innerJoin(priorities, eq(priorities.id, issues.priorityId))
    .innerJoin(machines, eq(machines.id, issues.machineId))
    .innerJoin(locations, eq(locations.id, machines.locationId))
    .leftJoin(models, eq(models.id, machines.modelId))
    .leftJoin(assigneeUser, eq(assigneeUser.id, issues.assignedToId))
    .leftJoin(reporterUser, eq(reporterUser.id, issues.createdById))
    .where(and(eq(issues.id, sql.placeholder("issueId")), eq(issues.organizationId, sql.placeholder("organizationId"))))
    .limit(1);
}

// An issue's row where a use case needs it whole (adding a photo, watching).
const issueDetailQuery = reusableQuery("issue_detail", (db, name) =>
  fromIssueDetail(db.select(issueDetailColumns).from(issues).$dynamic()).prepare(name),
);

export async function getIssueDetail(db: DbOrTx, organizationId: string, issueId: string) {
  const [row] = await issueDetailQuery(db).execute({ issueId, organizationId });
  if (validationEnabled()) await checkIssueDetail(db, organizationId, issueId, row ?? null);
  return row ?? null;
}

export type IssueDetail = NonNullable<Awaited<ReturnType<typeof getIssueDetail>>>;

// -------------------------------------------------------------------------------------------------------------------
// Changes: one statement each; app/use-cases/issues.server.ts runs them in one transaction per change.

/** Locks the issue row (only the Issue row) for the rest of the transaction; null when not in the organization. */
export async function lockIssue(tx: DbOrTx, organizationId: string, issueId: string) {
  const [row] = await tx
    .select({
      id: issues.id,
      title: issues.title,
      description: issues.description,
      statusId: issues.statusId,
      priorityId: issues.priorityId,
      assignedToId: issues.assignedToId,
      resolvedAt: issues.resolvedAt,
      organizationId: issues.organizationId,
    })
    .from(issues)
    .where(and(eq(issues.id, issueId), eq(issues.organizationId, organizationId)))
    .for("update");
  return row ?? null;
}

/** Statuses of the organization among `ids` (others are simply missing). */
export async function findStatusesByIds(db: DbOrTx, organizationId: string, ids: string[]) {
  return db
    .select({
      id: issueStatuses.id,
      name: issueStatuses.name,
      category: issueStatuses.category,
      organizationId: issueStatuses.organizationId,
    })
    .from(issueStatuses)
    .where(and(eq(issueStatuses.organizationId, organizationId), inArray(issueStatuses.id, ids)));
}

/** Priorities of the organization among `ids` (others are simply missing). */
export async function findPrioritiesByIds(db: DbOrTx, organizationId: string, ids: string[]) {
  return db
    .select({ id: priorities.id, name: priorities.name })
    .from(priorities)
    .where(and(eq(priorities.organizationId, organizationId), inArray(priorities.id, ids)));
}

/** People by id with their membership of this organization (null when they are not a member here). */
export async function findPeopleWithMembership(db: DbOrTx, organizationId: string, userIds: string[]) {
  if (userIds.length === 0) return [];
  return db
    .select({
      userId: users.id,
      name: users.name,
      membershipUserId: memberships.userId,
      membershipOrganizationId: memberships.organizationId,
    })
    .from(users)
    .leftJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.organizationId, organizationId)))
    .where(inArray(users.id, userIds));
}

/** Sets fields of one issue of the organization. */
export async function updateIssueRow(
  db: DbOrTx,
  organizationId: string,
  issueId: string,
  set: Partial<
    Pick<
      typeof issues.$inferInsert,
      "statusId" | "resolvedAt" | "priorityId" | "assignedToId" | "title" | "description"
    >
  > & {
    updatedAt: Date;
  },
) {
  await db
    .update(issues)
    .set(set)
    .where(and(eq(issues.id, issueId), eq(issues.organizationId, organizationId)));
}

/** Appends one IssueHistory row (call inside the transaction of the change). */
export async function writeIssueHistory(
  tx: DbOrTx,
  row: {
    organizationId: string;
    issueId: string;
    actorId: string | null;
    type: ActivityType;
    field: string;
    oldValue?: string | null;
    newValue?: string | null;
    changedAt?: Date;
  },
) {
  await tx.insert(issueHistory).values({
    organizationId: row.organizationId,
    issueId: row.issueId,
    actorId: row.actorId,
    type: row.type,
    field: row.field,
    oldValue: row.oldValue ?? null,
    newValue: row.newValue ?? null,
    changedAt: row.changedAt ?? new Date(),
  });
}
