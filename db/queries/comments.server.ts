/**
 * Comments on issues: add, edit own, soft delete, restore (admins), the admin list of deleted comments, and the
 * purge of comments soft-deleted long ago. Comment has no organizationId: every helper joins the Issue and checks
 * its organization. Each change writes its IssueHistory row in the same transaction (see core/issue-rules.ts).
 * Soft-deleted comments are hidden everywhere except `listDeletedComments` and the issue page's admin view.
 */
import { and, asc, count, desc, eq, inArray, isNotNull, lte, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { canDeleteComment, canEditComment, validateCommentContent } from "../../core/issue-rules";
import type { DbOrTx } from "../client.server";
import { withTransaction } from "../transaction.server";
import { comments, issues, users } from "../schema";
import { displayName, lockIssue, writeIssueHistory, type Actor, type ChangeResult } from "./issues.server";
import { notifyIssueEvent } from "./notifications.server";

/** How long soft-deleted comments are kept before the purge removes them for good. */
export const COMMENT_RETENTION_DAYS = 90;

const commentNotFound = { ok: false, status: 404, field: "form", message: "That comment does not exist." } as const;

/** Adds a comment by a member; COMMENTED history (new value = comment id); assignee/reporter/owner notifications. */
export async function addComment(
  db: DbOrTx,
  input: { organizationId: string; issueId: string; content: string; actor: Actor; now?: Date },
): Promise<ChangeResult & { commentId?: string }> {
  const valid = validateCommentContent(input.content);
  if (!valid.ok) return { ok: false, status: 400, field: "content", message: valid.error };
  return withTransaction(db, async (tx) => {
    const issue = await lockIssue(tx, input.organizationId, input.issueId);
    if (!issue) return { ok: false, status: 404, field: "form", message: "That issue does not exist." } as const;
    const now = input.now ?? new Date();
    const [row] = await tx
      .insert(comments)
      .values({ issueId: issue.id, authorId: input.actor.id, content: valid.content, createdAt: now, updatedAt: now })
      .returning({ id: comments.id });
    await tx.update(issues).set({ updatedAt: now }).where(and(eq(issues.id, issue.id), eq(issues.organizationId, input.organizationId)));
    await writeIssueHistory(tx, {
      organizationId: input.organizationId,
      issueId: issue.id,
      actorId: input.actor.id,
      type: "COMMENTED",
      field: "comment",
      newValue: row.id,
      changedAt: now,
    });
    await notifyIssueEvent(tx, {
      organizationId: input.organizationId,
      issueId: issue.id,
      actorId: input.actor.id,
      actorName: input.actor.name,
      event: "commented",
      commentId: row.id,
    });
    return { ok: true, changed: true, message: "Comment added.", commentId: row.id } as const;
  });
}

/** The comment (locked) if it belongs to `issueId` in the organization. */
async function lockComment(tx: DbOrTx, organizationId: string, issueId: string, commentId: string) {
  const [row] = await tx
    .select({
      id: comments.id,
      issueId: comments.issueId,
      authorId: comments.authorId,
      content: comments.content,
      deletedAt: comments.deletedAt,
    })
    .from(comments)
    .innerJoin(issues, eq(issues.id, comments.issueId))
    .where(and(eq(comments.id, commentId), eq(comments.issueId, issueId), eq(issues.organizationId, organizationId)))
    .for("update", { of: comments });
  return row ?? null;
}

/** The author edits their own, not deleted comment (the route checks issue:edit and passes `canEdit`). */
export async function editComment(
  db: DbOrTx,
  input: { organizationId: string; issueId: string; commentId: string; content: string; actor: Actor; canEdit: boolean; now?: Date },
): Promise<ChangeResult> {
  const valid = validateCommentContent(input.content);
  if (!valid.ok) return { ok: false, status: 400, field: "content", message: valid.error };
  return withTransaction(db, async (tx) => {
    const c = await lockComment(tx, input.organizationId, input.issueId, input.commentId);
    if (!c || c.deletedAt) return commentNotFound;
    if (!canEditComment({ actorId: input.actor.id, authorId: c.authorId, deleted: false, canEdit: input.canEdit })) {
      return { ok: false, status: 403, field: "form", message: "You can only edit your own comments." } as const;
    }
    if (c.content === valid.content) return { ok: true, changed: false, message: "Nothing changed." } as const;
    const now = input.now ?? new Date();
    await tx.update(comments).set({ content: valid.content, updatedAt: now }).where(eq(comments.id, c.id));
    await writeIssueHistory(tx, {
      organizationId: input.organizationId,
      issueId: c.issueId,
      actorId: input.actor.id,
      type: "SYSTEM",
      field: "comment",
      oldValue: c.id,
      newValue: "edited",
      changedAt: now,
    });
    return { ok: true, changed: true, message: "Comment updated." } as const;
  });
}

/** Soft delete by the author, or by anyone holding issue:delete (`canDeleteOthers`); COMMENT_DELETED history. */
export async function deleteComment(
  db: DbOrTx,
  input: { organizationId: string; issueId: string; commentId: string; actor: Actor; canDeleteOthers: boolean; now?: Date },
): Promise<ChangeResult> {
  return withTransaction(db, async (tx) => {
    const c = await lockComment(tx, input.organizationId, input.issueId, input.commentId);
    if (!c || c.deletedAt) return commentNotFound;
    if (!canDeleteComment({ actorId: input.actor.id, authorId: c.authorId, deleted: false, canDeleteOthers: input.canDeleteOthers })) {
      return { ok: false, status: 403, field: "form", message: "You can only delete your own comments." } as const;
    }
    const now = input.now ?? new Date();
    await tx.update(comments).set({ deletedAt: now, deletedBy: input.actor.id }).where(eq(comments.id, c.id));
    await writeIssueHistory(tx, {
      organizationId: input.organizationId,
      issueId: c.issueId,
      actorId: input.actor.id,
      type: "COMMENT_DELETED",
      field: "comment",
      oldValue: c.id,
      changedAt: now,
    });
    return { ok: true, changed: true, message: "Comment deleted." } as const;
  });
}

/** Restores a soft-deleted comment (organization:manage, checked by the route); SYSTEM history "restored". */
export async function restoreComment(
  db: DbOrTx,
  input: { organizationId: string; issueId: string; commentId: string; actor: Actor; now?: Date },
): Promise<ChangeResult> {
  return withTransaction(db, async (tx) => {
    const c = await lockComment(tx, input.organizationId, input.issueId, input.commentId);
    if (!c || !c.deletedAt) return commentNotFound;
    const now = input.now ?? new Date();
    await tx.update(comments).set({ deletedAt: null, deletedBy: null }).where(eq(comments.id, c.id));
    await writeIssueHistory(tx, {
      organizationId: input.organizationId,
      issueId: c.issueId,
      actorId: input.actor.id,
      type: "SYSTEM",
      field: "comment",
      oldValue: c.id,
      newValue: "restored",
      changedAt: now,
    });
    return { ok: true, changed: true, message: "Comment restored." } as const;
  });
}

const author = alias(users, "deletedCommentAuthor");
const deleter = alias(users, "deletedCommentDeleter");

/** The organization's soft-deleted comments, newest deletion first (admin view). */
export async function listDeletedComments(db: DbOrTx, organizationId: string, opts: { limit?: number; offset?: number } = {}) {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const rows = await db
    .select({
      id: comments.id,
      content: comments.content,
      createdAt: comments.createdAt,
      deletedAt: comments.deletedAt,
      authorName: author.name,
      deletedByName: deleter.name,
      issue: { id: issues.id, title: issues.title },
    })
    .from(comments)
    .innerJoin(issues, eq(issues.id, comments.issueId))
    .innerJoin(author, eq(author.id, comments.authorId))
    .leftJoin(deleter, eq(deleter.id, comments.deletedBy))
    .where(and(eq(issues.organizationId, organizationId), isNotNull(comments.deletedAt)))
    .orderBy(desc(comments.deletedAt), asc(comments.id))
    .limit(limit + 1)
    .offset(Math.max(opts.offset ?? 0, 0));
  return {
    items: rows.slice(0, limit).map((r) => ({ ...r, authorName: displayName(r.authorName), deletedByName: displayName(r.deletedByName) })),
    hasMore: rows.length > limit,
  };
}

function cutoff(olderThanDays: number, now: Date): Date {
  return new Date(now.getTime() - olderThanDays * 24 * 60 * 60 * 1000);
}

/** How many soft-deleted comments the purge would remove now (optionally in one organization). */
export async function countPurgeableComments(
  db: DbOrTx,
  opts: { olderThanDays?: number; now?: Date; organizationId?: string } = {},
): Promise<number> {
  const before = cutoff(opts.olderThanDays ?? COMMENT_RETENTION_DAYS, opts.now ?? new Date());
  const [row] = await db
    .select({ n: count() })
    .from(comments)
    .innerJoin(issues, eq(issues.id, comments.issueId))
    .where(
      and(
        isNotNull(comments.deletedAt),
        lte(comments.deletedAt, before),
        opts.organizationId ? eq(issues.organizationId, opts.organizationId) : undefined,
      ),
    );
  return Number(row?.n ?? 0);
}

/**
 * Hard-deletes comments that were soft-deleted at least `olderThanDays` days before `now` (default 90 days, now),
 * in every organization or only in `organizationId`. Returns how many were removed. Their COMMENT_DELETED history
 * rows stay (they hold only the comment id). Run by `npm run db:purge-comments`.
 */
export async function purgeDeletedComments(
  db: DbOrTx,
  opts: { olderThanDays?: number; now?: Date; organizationId?: string } = {},
): Promise<number> {
  const days = opts.olderThanDays ?? COMMENT_RETENTION_DAYS;
  if (!Number.isFinite(days) || days < 0) throw new Error("olderThanDays must be a non-negative number");
  const before = cutoff(days, opts.now ?? new Date());
  const conditions = [isNotNull(comments.deletedAt), lte(comments.deletedAt, before)];
  if (opts.organizationId) {
    conditions.push(
      inArray(
        comments.issueId,
        db.select({ id: issues.id }).from(issues).where(eq(issues.organizationId, opts.organizationId)),
      ),
    );
  }
  const rows = await db
    .delete(comments)
    .where(and(...conditions))
    .returning({ id: comments.id });
  return rows.length;
}

/** Count of a user's visible comments on an issue (tests and small UI hints). */
export async function countVisibleComments(db: DbOrTx, organizationId: string, issueId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(comments)
    .innerJoin(issues, eq(issues.id, comments.issueId))
    .where(and(eq(comments.issueId, issueId), eq(issues.organizationId, organizationId), sql`${comments.deletedAt} is null`));
  return Number(row?.n ?? 0);
}
