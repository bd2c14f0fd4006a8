/**
 * Comments on issues: the statements of adding, editing, soft-deleting and restoring (app/use-cases/comments.server.ts
 * runs each change in one transaction with its history row), the admin list of deleted comments, and the purge of
 * comments soft-deleted long ago. Comment has no organizationId: helpers join the Issue and check its organization.
 * Soft-deleted comments are hidden everywhere except `listDeletedComments` and the issue page's admin view.
 */
import { and, asc, count, desc, eq, inArray, isNotNull, lte, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "../client.server";
import { comments, issues, users } from "../schema";
import { displayName } from "./issues.server";

/** How long soft-deleted comments are kept before the purge removes them for good. */
export const COMMENT_RETENTION_DAYS = 90;

/** A new comment by `authorId`; returns its id. */
export async function insertComment(
  db: DbOrTx,
  input: { issueId: string; authorId: string; content: string; now: Date },
): Promise<string> {
  const [row] = await db
    .insert(comments)
    .values({
      issueId: input.issueId,
      authorId: input.authorId,
      content: input.content,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .returning({ id: comments.id });
  return row.id;
}

/**
 * The comment (locked) if it belongs to `issueId` in the organization. The writes below take a comment id found
 * here (Comment has no organizationId of its own).
 */
export async function lockComment(tx: DbOrTx, organizationId: string, issueId: string, commentId: string) {
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

export async function setCommentContent(db: DbOrTx, commentId: string, content: string, now: Date) {
  await db.update(comments).set({ content, updatedAt: now }).where(eq(comments.id, commentId));
}

/** Soft-deletes (`deleted` given) or restores (`null`) a comment found by lockComment. */
export async function setCommentDeleted(db: DbOrTx, commentId: string, deleted: { at: Date; by: string } | null) {
  await db
    .update(comments)
    .set(deleted ? { deletedAt: deleted.at, deletedBy: deleted.by } : { deletedAt: null, deletedBy: null })
    .where(eq(comments.id, commentId));
}

const author = alias(users, "deletedCommentAuthor");
const deleter = alias(users, "deletedCommentDeleter");

/** The organization's soft-deleted comments, newest deletion first (admin view). */
export async function listDeletedComments(
  db: DbOrTx,
  organizationId: string,
  opts: { limit?: number; offset?: number } = {},
) {
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
    items: rows
      .slice(0, limit)
      .map((r) => ({ ...r, authorName: displayName(r.authorName), deletedByName: displayName(r.deletedByName) })),
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
    .where(
      and(eq(comments.issueId, issueId), eq(issues.organizationId, organizationId), sql`${comments.deletedAt} is null`),
    );
  return Number(row?.n ?? 0);
}
