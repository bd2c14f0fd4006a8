/**
 * The member side's issue reads: the triage list (/issues) and one issue's page (/issues/<id>), each shaped for its
 * page (dates already worded, reporter e-mails only for triagers). The writes are in ./issues.server.ts,
 * ./comments.server.ts and ./attachments.server.ts.
 */
import { fail } from "../../core/failure";
import { ISSUE_LIMITS, ISSUE_SORTS, type IssueSort } from "../../core/issue-rules";
import { listIssueChoices } from "../../db/queries/issue-choices.server";
import { getIssuePage, type TimelineItem } from "../../db/queries/issue-page.server";
import type { StatusOption } from "../../db/queries/statuses.server";
import {
  countIssuesByCategory,
  decodeCursor,
  displayName,
  listIssues,
  type IssueDetail,
  type IssueListFilters,
  type IssueListItem,
  type SortDir,
} from "../../db/queries/issues.server";
import { listLocationOptions } from "../../db/queries/locations.server";
import { dateFormatterFor } from "../lib/format";
import { newIdempotencyKey } from "../lib/idempotency.server";
import { idParam } from "../lib/ids";
import { CATEGORY_PARAM, CATEGORY_TABS, SEARCH_COUNT_CAP } from "../lib/issue-list-words";
import { loadMachinePicker } from "../lib/machine-picker.server";
import { findMergeTarget, listMergeCandidates, listMergedDuplicates } from "../../db/queries/issue-merge.server";
import { activityActor, activityIssueLink, describeActivity } from "../lib/timeline-words";
import { requireCan, requireMemberActor, type Actor, type MemberActor } from "./actor";
import { ISSUE_NOT_FOUND } from "./issues.server";

// ---------------------------------------------------------------------------------------------------------------
// The list

const PAGE_SIZE = 25;

/** The list's query parameters as they came in the URL; unknown or malformed values are ignored. */
export interface IssueListQuery {
  category: string | null;
  status: string[];
  priority: string | null;
  machine: string | null;
  location: string | null;
  /** A member id, "me" or "unassigned". */
  assignee: string | null;
  /** A member id, "me" or "anonymous". */
  reporter: string | null;
  q: string | null;
  sort: string | null;
  dir: string | null;
  after: string | null;
  before: string | null;
}

/** Reads the list's query parameters from a URL: /issues and /issues.csv read the same ones. */
export function readIssueListQuery(searchParams: URLSearchParams): IssueListQuery {
  return {
    category: searchParams.get("category"),
    status: searchParams.getAll("status"),
    priority: searchParams.get("priority"),
    machine: searchParams.get("machine"),
    location: searchParams.get("location"),
    assignee: searchParams.get("assignee"),
    reporter: searchParams.get("reporter"),
    q: searchParams.get("q"),
    sort: searchParams.get("sort"),
    dir: searchParams.get("dir"),
    after: searchParams.get("after"),
    before: searchParams.get("before"),
  };
}

/**
 * The list's query as the query helpers take it: filters, sort and direction, with unknown or malformed values
 * dropped. The one interpretation of the URL, shared by the page (loadIssueList) and the export
 * (./issue-export.server.ts), so a download holds exactly what the page lists.
 */
export function issueListCriteria(actor: MemberActor, query: IssueListQuery) {
  const me = actor.user.id;
  const category = CATEGORY_PARAM.get(query.category ?? "active") ?? "active";
  const statusIds = query.status
    .map(idParam)
    .filter((s): s is string => Boolean(s))
    .slice(0, 20);
  const q = (query.q ?? "").trim().slice(0, ISSUE_LIMITS.search);
  // A search is ranked unless another order was chosen; without one there is nothing to rank by.
  const chosen = (ISSUE_SORTS as readonly string[]).includes(query.sort ?? "") ? (query.sort as IssueSort) : null;
  const sort: IssueSort = q ? (chosen ?? "relevance") : chosen === "relevance" || !chosen ? "created" : chosen;
  const dir: SortDir = query.dir === "asc" ? "asc" : "desc";
  const filters: IssueListFilters = {
    // A chosen status is more specific than the category tab.
    category: statusIds.length ? "all" : category,
    statusIds,
    priorityId: idParam(query.priority),
    machineId: idParam(query.machine),
    locationId: idParam(query.location),
    assigneeId: query.assignee === "me" ? me : query.assignee === "unassigned" ? "unassigned" : idParam(query.assignee),
    reporterId: query.reporter === "me" ? me : query.reporter === "anonymous" ? "anonymous" : idParam(query.reporter),
    q: q || undefined,
    // Reporters' addresses are searched for those the issue page shows them to (loadIssuePage: perms.edit).
    searchAddresses: actor.can("issue:edit"),
  };
  return { category, statusIds, q, sort, dir, filters };
}

/** How the list words who reported an issue: the member's name, a guest's name, or "Anonymous". */
export function reporterLabel(item: Pick<IssueListItem, "reporter" | "submitterName">): string {
  return item.reporter
    ? displayName(item.reporter.name)
    : item.submitterName
      ? `${item.submitterName} (guest)`
      : "Anonymous";
}

/**
 * One page of the triage list (keyset pagination), the per-category counts (a search stops counting at
 * SEARCH_COUNT_CAP), the filter options, and the filters as the form shows them.
 */
export async function loadIssueList(actor: Actor, query: IssueListQuery) {
  requireMemberActor(actor, "issue:view");
  const { db, organizationId } = actor;
  const me = actor.user.id;
  const { category, statusIds, q, sort, dir, filters } = issueListCriteria(actor, query);
  const after = decodeCursor(query.after, sort);
  const before = after ? null : decodeCursor(query.before, sort);
  const cursor = after ? { kind: "after" as const, ...after } : before ? { kind: "before" as const, ...before } : null;

  const [page, { counts, capped }, { statuses, priorities, members }, picker, locations] = await Promise.all([
    listIssues(db, { organizationId, filters, sort, dir, cursor, limit: PAGE_SIZE }),
    countIssuesByCategory(db, organizationId, filters, { cap: filters.q ? SEARCH_COUNT_CAP : undefined }),
    listIssueChoices(db, organizationId, { statuses: true, priorities: true, members: true }),
    loadMachinePicker(db, organizationId, { locationId: filters.locationId, machineId: filters.machineId }),
    listLocationOptions(db, organizationId),
  ]);
  const now = new Date();
  const dates = dateFormatterFor(actor.organization);
  return {
    canCreate: actor.can("issue:create"),
    // Triage in place on each row: the same permissions as the issue page's controls (loadIssuePage `perms`).
    triage: { edit: actor.can("issue:edit"), assign: actor.can("issue:assign"), me },
    laterPage: Boolean(cursor),
    items: page.items.map((i) => ({
      id: i.id,
      title: i.title,
      status: i.status,
      priority: { id: i.priority.id, name: i.priority.name, order: i.priority.order },
      machine: i.machine,
      location: i.location,
      assignee: i.assignee
        ? { id: i.assignee.id, name: displayName(i.assignee.name), isMe: i.assignee.id === me }
        : null,
      reporter: reporterLabel(i),
      createdIso: i.createdAt.toISOString(),
      createdAgo: dates.relative(i.createdAt, now),
      updatedAgo: dates.relative(i.updatedAt, now),
      upvotes: i.upvotes,
      comments: i.comments,
    })),
    nextCursor: page.nextCursor,
    prevCursor: page.prevCursor,
    countsCapped: capped,
    counts: {
      active: counts.NEW + counts.IN_PROGRESS,
      open: counts.NEW,
      "in-progress": counts.IN_PROGRESS,
      closed: counts.RESOLVED,
      all: counts.NEW + counts.IN_PROGRESS + counts.RESOLVED,
    } as Record<string, number>,
    current: {
      q,
      category: CATEGORY_TABS.find((t) => t.filter === category)?.param ?? "active",
      status: statusIds[0] ?? "",
      priority: filters.priorityId ?? "",
      machine: filters.machineId ?? "",
      location: filters.locationId ?? "",
      assignee:
        query.assignee === "me" || query.assignee === "unassigned" ? query.assignee : (filters.assigneeId ?? ""),
      reporter: query.reporter === "me" || query.reporter === "anonymous" ? query.reporter : (filters.reporterId ?? ""),
      sort,
      dir,
    },
    options: {
      statuses: statuses.map(statusChoice),
      priorities,
      machines: picker.machines,
      machinesNeedLocation: picker.needsLocation,
      locations,
      members,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// One issue

type When = { iso: string; ago: string; full: string };

/**
 * One issue's page: what, where, who, where it stands, photos, and ONE timeline merging comments and history.
 * Viewing needs issue:view (guests may hold it and then see the public parts); what a visitor may change is in
 * `perms` (changes are made by members only). Deleted comments are shown to organization managers who ask.
 */
export async function loadIssuePage(
  actor: Actor,
  issueId: string,
  opts: { showDeleted: boolean; mergeChoices?: boolean },
) {
  requireCan(actor, "issue:view");
  const { db, organizationId } = actor;
  const isMember = Boolean(actor.user && actor.membership);
  const canManage = isMember && actor.can("organization:manage");
  const showDeleted = canManage && opts.showDeleted;
  const perms = {
    edit: isMember && actor.can("issue:edit"),
    assign: isMember && actor.can("issue:assign"),
    comment: isMember && actor.can("issue:create"),
    deleteOthers: isMember && actor.can("issue:delete"),
    manage: canManage,
    attach: isMember && actor.can("attachment:create"),
    viewAttachments: actor.can("attachment:view"),
    deleteAttachments: isMember && actor.can("attachment:delete"),
  };
  const page = await getIssuePage(db, organizationId, issueId, {
    userId: isMember && actor.user ? actor.user.id : null,
    includeDeleted: showDeleted,
    attachments: perms.viewAttachments,
    choices: { statuses: perms.edit, priorities: perms.edit, members: perms.assign },
  });
  if (!page) throw fail.notFound(ISSUE_NOT_FOUND);
  const { issue, timeline, attachments } = page;
  const { statuses, priorities, members } = page.choices;
  const merge = await loadMergeParts(actor, issue, perms.edit && opts.mergeChoices === true);
  const now = new Date();
  const dates = dateFormatterFor(actor.organization);
  const when = (d: Date): When => ({ iso: d.toISOString(), ago: dates.relative(d, now), full: dates.dateTime(d) });
  return {
    me: actor.user && actor.membership ? { id: actor.user.id } : null,
    perms,
    // A fresh key per render of the comment form: a double submit adds one comment (app/lib/idempotency.server.ts).
    commentKey: perms.comment ? newIdempotencyKey() : null,
    showDeleted,
    // Members may watch an issue (app/use-cases/watches.server.ts).
    watch: { canWatch: isMember, watching: page.watching },
    issue: {
      id: issue.id,
      title: issue.title,
      description: issue.description,
      consistency: issue.consistency,
      created: when(issue.createdAt),
      updated: when(issue.updatedAt),
      resolved: issue.resolvedAt ? when(issue.resolvedAt) : null,
      status: issue.status,
      priority: issue.priority,
      machine: { id: issue.machine.id, name: issue.machine.name, model: issue.modelName },
      location: issue.location,
      assignee: issue.assignee ? { id: issue.assignee.id, name: displayName(issue.assignee.name) } : null,
      reporter: issue.reporter
        ? { kind: "member" as const, name: displayName(issue.reporter.name) }
        : { kind: "guest" as const, name: issue.submitterName || null },
      // E-mail addresses of anonymous reporters only for members who triage (issue:edit).
      reporterEmail: perms.edit ? issue.reporterEmail : null,
      upvotes: issue.upvotes,
    },
    attachments: attachments.map((a) => ({ id: a.id, fileName: a.fileName, created: when(a.createdAt) })),
    timeline: timeline.map((t) => timelineEntry(t, when, issue.submitterName)),
    statuses: statuses.map(statusChoice),
    priorities: priorities.map((p) => ({ id: p.id, name: p.name })),
    members,
    merge: {
      into: merge.into,
      candidates: merge.candidates,
      duplicates: merge.duplicates.map((dup) => ({
        id: dup.id,
        title: dup.title,
        comments: dup.comments.map((c) => ({ id: c.id, content: c.content, author: c.author, at: when(c.createdAt) })),
        photos: perms.viewAttachments ? dup.photos : [],
      })),
    },
  };
}

/**
 * Merge parts of the issue page: where this issue is merged into, the duplicates merged into it (their comments and
 * photos stay theirs and are shown here), and for triagers the issues it could be merged into.
 */
async function loadMergeParts(
  actor: Actor,
  issue: Pick<IssueDetail, "id" | "mergedIntoId" | "hasDuplicates">,
  withCandidates: boolean,
) {
  const { db, organizationId } = actor;
  // Most issues are neither merged nor merge targets: the detail row says so, and then nothing more is read.
  const [into, duplicates] = await Promise.all([
    issue.mergedIntoId ? findMergeTarget(db, organizationId, issue.id) : null,
    issue.hasDuplicates ? listMergedDuplicates(db, organizationId, issue.id) : [],
  ]);
  // Null: not asked for (the form is closed); the page then offers to open it.
  const candidates =
    withCandidates && !into && duplicates.length === 0 ? await listMergeCandidates(db, organizationId, issue.id) : null;
  return {
    into: into ? { id: into.id, title: into.title } : null,
    duplicates,
    candidates:
      candidates?.map((c) => ({ id: c.id, title: c.title, statusName: c.statusName, category: c.category })) ?? null,
  };
}

/** What a status picker shows: the page's data carries no more (it is encoded for the browser). */
const statusChoice = ({ id, name, category }: StatusOption) => ({ id, name, category });

function timelineEntry(t: TimelineItem, when: (d: Date) => When, guestName: string | null) {
  if (t.kind === "comment") {
    return {
      kind: "comment" as const,
      id: t.id,
      at: when(t.at),
      content: t.content,
      edited: t.edited,
      author: t.author,
      deleted: t.deletedAt ? { at: when(t.deletedAt), by: t.deletedBy } : null,
    };
  }
  return {
    kind: "activity" as const,
    id: t.id,
    at: when(t.at),
    actor: activityActor(t, guestName),
    text: describeActivity(t),
    link: activityIssueLink(t),
  };
}
