/**
 * The issue page in one statement: the issue's row with, as JSON columns, its comments and history (the timeline),
 * its photos, whether the reader watches it and the triage pickers' choices. Each statement costs about a third of a
 * millisecond of server CPU whatever it reads; the page took eight
 * (docs/decisions/047-one-statement-per-page-part.md).
 *
 * What the reader may not see is not read: the lists behind a false flag come back empty (`case when $flag`), so one
 * prepared statement serves every reader.
 */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { checkAttachments, checkIssueDetail, checkIssueTimeline } from "../reference/issues.server";
import { reusableQuery } from "../reusable-query.server";
import { attachments, comments, issueHistory, issues, watches, type ActivityType } from "../schema";
import { validationEnabled } from "../validate.server";
import type { AttachmentItem } from "./attachments.server";
import { checkChoices, choiceColumns, choiceFlags, choicesOf, type IssueChoices } from "./issue-choices.server";
import {
  displayName,
  fromIssueDetail,
  historyEntryColumns,
  issueDetailColumns,
  type IssueDetail,
} from "./issues.server";
import { flag, jsonList, listIf, timeOf, type JsonTime } from "./json.server";

export type TimelineItem =
  | {
      kind: "comment";
      id: string;
      at: Date;
      content: string;
      createdAt: Date;
      updatedAt: Date;
      edited: boolean;
      author: { id: string; name: string };
      deletedAt: Date | null;
      deletedBy: string | null;
    }
  | {
      kind: "activity";
      id: string;
      at: Date;
      type: ActivityType;
      field: string;
      oldValue: string | null;
      newValue: string | null;
      actor: { id: string; name: string } | null;
    };

type CommentJson = {
  id: string;
  content: string;
  createdAt: JsonTime;
  updatedAt: JsonTime;
  deletedAt: JsonTime | null;
  authorId: string;
  authorName: string | null;
  deletedByName: string | null;
};
type HistoryJson = {
  id: string;
  type: ActivityType;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  changedAt: JsonTime;
  actorId: string | null;
  actorName: string | null;
};
type AttachmentJson = Omit<AttachmentItem, "createdAt"> & { createdAt: JsonTime };

// Comments (soft-deleted ones only with includeDeleted: the admin view), with their author's and deleter's names.
const commentList = jsonList(
  {
    id: comments.id,
    content: comments.content,
    createdAt: comments.createdAt,
    updatedAt: comments.updatedAt,
    deletedAt: comments.deletedAt,
    authorId: sql`"commentAuthor"."id"`,
    authorName: sql`"commentAuthor"."name"`,
    deletedByName: sql`"commentDeleter"."name"`,
  },
  [comments.createdAt, comments.id],
  sql`from ${comments}
      join "User" "commentAuthor" on "commentAuthor"."id" = ${comments.authorId}
      left join "User" "commentDeleter" on "commentDeleter"."id" = ${comments.deletedBy}
      where ${comments.issueId} = ${issues.id} and (${comments.deletedAt} is null or ${flag("includeDeleted")})`,
);

// History rows; COMMENTED rows are left out: the comment itself is the timeline entry.
const historyList = jsonList(
  {
    ...historyEntryColumns,
    actorId: sql`"historyActor"."id"`,
    actorName: sql`"historyActor"."name"`,
  },
  [issueHistory.changedAt, issueHistory.id],
  sql`from ${issueHistory}
      left join "User" "historyActor" on "historyActor"."id" = ${issueHistory.actorId}
      where ${issueHistory.issueId} = ${issues.id} and ${issueHistory.organizationId} = ${issues.organizationId}
        and ${issueHistory.type} <> 'COMMENTED'`,
);

const attachmentList = jsonList(
  {
    id: attachments.id,
    fileName: attachments.fileName,
    fileType: attachments.fileType,
    createdAt: attachments.createdAt,
  },
  [attachments.createdAt, attachments.id],
  sql`from ${attachments} where ${attachments.issueId} = ${issues.id} and ${attachments.organizationId} = ${issues.organizationId}`,
);

const issuePageQuery = reusableQuery("issue_page", (db, name) =>
  fromIssueDetail(
    db
      .select({
        ...issueDetailColumns,
        comments: sql<CommentJson[]>`${commentList}`,
        history: sql<HistoryJson[]>`${historyList}`,
        attachments: sql<AttachmentJson[]>`${listIf("withAttachments", attachmentList)}`,
        // userId is null for anonymous readers: nobody watches then.
        watching: sql<boolean>`exists (select 1 from ${watches} where ${watches.organizationId} = ${issues.organizationId}
          and ${watches.userId} = ${sql.placeholder("userId")} and ${watches.issueId} = ${issues.id})`,
        ...choiceColumns(issues.organizationId),
      })
      .from(issues)
      .$dynamic(),
  ).prepare(name),
);

export interface IssuePageOptions {
  /** The reader (null: anonymous), for whether they watch the issue. */
  userId: string | null;
  /** Soft-deleted comments too (managers who ask). */
  includeDeleted: boolean;
  /** Photos (attachment:view). */
  attachments: boolean;
  /** The pickers' choices the reader may use. */
  choices: { statuses: boolean; priorities: boolean; members: boolean };
}

export interface IssuePage {
  issue: IssueDetail;
  timeline: TimelineItem[];
  attachments: AttachmentItem[];
  watching: boolean;
  choices: IssueChoices;
}

/** The issue of the organization with everything its page shows; null when the organization has no such issue. */
export async function getIssuePage(
  db: DbOrTx,
  organizationId: string,
  issueId: string,
  opts: IssuePageOptions,
): Promise<IssuePage | null> {
  const [row] = await issuePageQuery(db).execute({
    issueId,
    organizationId,
    userId: opts.userId,
    includeDeleted: opts.includeDeleted,
    withAttachments: opts.attachments,
    ...choiceFlags(opts.choices),
  });
  if (!row) {
    if (validationEnabled()) await checkIssueDetail(db, organizationId, issueId, null);
    return null;
  }
  const { comments: commentRows, history, attachments: attachmentRows, watching, ...rest } = row;
  const { statuses, priorities, members, ...issue } = rest;
  const page: IssuePage = {
    issue,
    timeline: mergeTimeline(commentRows, history),
    attachments: attachmentRows.map((a) => ({ ...a, createdAt: timeOf(a.createdAt) })),
    watching,
    choices: choicesOf({ statuses, priorities, members }),
  };
  if (validationEnabled()) {
    await checkIssueDetail(db, organizationId, issueId, issue);
    await checkIssueTimeline(db, organizationId, issueId, opts.includeDeleted, page.timeline);
    if (opts.attachments) await checkAttachments(db, organizationId, issueId, page.attachments);
    await checkChoices(db, organizationId, opts.choices, page.choices);
  }
  return page;
}

/**
 * Comments and history merged in time order (ties: comments after the activity of the same instant, then by id as
 * JavaScript compares strings).
 */
function mergeTimeline(commentRows: CommentJson[], historyRows: HistoryJson[]): TimelineItem[] {
  const items: TimelineItem[] = [
    ...historyRows.map((h): TimelineItem => ({
      kind: "activity",
      id: h.id,
      at: timeOf(h.changedAt),
      type: h.type,
      field: h.field,
      oldValue: h.oldValue,
      newValue: h.newValue,
      actor: h.actorId ? { id: h.actorId, name: displayName(h.actorName) } : null,
    })),
    ...commentRows.map((c): TimelineItem => {
      const createdAt = timeOf(c.createdAt);
      const updatedAt = timeOf(c.updatedAt);
      const deletedAt = c.deletedAt ? timeOf(c.deletedAt) : null;
      return {
        kind: "comment",
        id: c.id,
        at: createdAt,
        content: c.content,
        createdAt,
        updatedAt,
        edited: updatedAt.getTime() - createdAt.getTime() > 1000 && !deletedAt,
        author: { id: c.authorId, name: displayName(c.authorName) },
        deletedAt,
        deletedBy: deletedAt ? displayName(c.deletedByName) : null,
      };
    }),
  ];
  items.sort((a, b) => {
    const t = a.at.getTime() - b.at.getTime();
    if (t !== 0) return t;
    if (a.kind !== b.kind) return a.kind === "activity" ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return items;
}
