/**
 * Merging duplicates: the statements of app/use-cases/issue-merge.server.ts (which runs them in one transaction).
 * Every helper takes `organizationId` and puts it in the WHERE. Moves answer the ids of the rows they moved, which
 * the merge records (IssueMerge) so that an unmerge moves back exactly those.
 */
import { and, asc, count, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "../client.server";
import { reusableQuery } from "../reusable-query.server";
import { attachments, comments, issueMerges, issueStatuses, issueSubscribers, issues, upvotes, users } from "../schema";
import { displayName } from "./issues.server";

/**
 * Locks the issues (by id order, so two merges never wait on each other in a circle) and answers them with their
 * status; others are missing. The lock is taken on Issue alone: a join in the locking query would be re-checked
 * against the row a concurrent merge just changed (its new status) and drop it as if it did not exist.
 */
export async function lockIssuesForMerge(tx: DbOrTx, organizationId: string, ids: string[]) {
  const locked = await tx
    .select({
      id: issues.id,
      title: issues.title,
      statusId: issues.statusId,
      resolvedAt: issues.resolvedAt,
      mergedIntoId: issues.mergedIntoId,
    })
    .from(issues)
    .where(and(eq(issues.organizationId, organizationId), inArray(issues.id, ids)))
    .orderBy(asc(issues.id))
    .for("update");
  if (locked.length === 0) return [];
  const statuses = await tx
    .select({ id: issueStatuses.id, name: issueStatuses.name, category: issueStatuses.category })
    .from(issueStatuses)
    .where(
      and(
        eq(issueStatuses.organizationId, organizationId),
        inArray(
          issueStatuses.id,
          locked.map((i) => i.statusId),
        ),
      ),
    );
  return locked.flatMap((i) => {
    const status = statuses.find((s) => s.id === i.statusId);
    return status ? [{ ...i, category: status.category, statusName: status.name }] : [];
  });
}

/** How many duplicates are merged into the issue right now. */
export async function countMergedInto(db: DbOrTx, organizationId: string, issueId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(issues)
    .where(and(eq(issues.organizationId, organizationId), eq(issues.mergedIntoId, issueId)));
  return Number(row?.n ?? 0);
}

/**
 * The organization's closed status for duplicates, created when missing. Safe when two merges create it at once:
 * the insert does nothing on the (name, organization) unique index and both then read the one row.
 */
export async function ensureStatusNamed(tx: DbOrTx, organizationId: string, name: string) {
  await tx
    .insert(issueStatuses)
    .values({
      name,
      category: "RESOLVED",
      organizationId,
      isDefault: false,
      sortOrder: sql`(select coalesce(max(${issueStatuses.sortOrder}), 0) + 1 from ${issueStatuses} where ${issueStatuses.organizationId} = ${organizationId})`,
    })
    .onConflictDoNothing({ target: [issueStatuses.name, issueStatuses.organizationId] });
  const [row] = await tx
    .select({ id: issueStatuses.id, name: issueStatuses.name, category: issueStatuses.category })
    .from(issueStatuses)
    .where(and(eq(issueStatuses.organizationId, organizationId), eq(issueStatuses.name, name)))
    .limit(1);
  return row;
}

/** The organization's default status (an unmerge falls back to it when the duplicate's old status was removed). */
export async function findDefaultStatusRow(db: DbOrTx, organizationId: string) {
  const [row] = await db
    .select({ id: issueStatuses.id, name: issueStatuses.name, category: issueStatuses.category })
    .from(issueStatuses)
    .where(and(eq(issueStatuses.organizationId, organizationId), eq(issueStatuses.isDefault, true)))
    .limit(1);
  return row ?? null;
}

/** Sets the merge pointer and status fields of one issue of the organization. */
export async function setIssueMergeState(
  tx: DbOrTx,
  organizationId: string,
  issueId: string,
  set: { mergedIntoId: string | null; statusId: string; resolvedAt: Date | null; updatedAt: Date },
) {
  await tx
    .update(issues)
    .set(set)
    .where(and(eq(issues.id, issueId), eq(issues.organizationId, organizationId)));
}

const other = alias(upvotes, "otherUpvote");

/** The issue `issueId` of the organization, as a subquery (moves only touch rows of the organization's issues). */
function issueOf(tx: DbOrTx, organizationId: string, issueId: string) {
  return tx
    .select({ id: issues.id })
    .from(issues)
    .where(and(eq(issues.id, issueId), eq(issues.organizationId, organizationId)));
}

/**
 * Moves votes from one issue to another, except those whose voter already backs the destination (they stay where
 * they are, so nobody counts twice). `only` limits the move to those rows (an unmerge). Answers the moved ids.
 */
export async function moveUpvotes(
  tx: DbOrTx,
  organizationId: string,
  fromId: string,
  toId: string,
  only?: string[],
): Promise<string[]> {
  if (only && only.length === 0) return [];
  const rows = await tx
    .update(upvotes)
    .set({ issueId: toId })
    .where(
      and(
        inArray(upvotes.issueId, issueOf(tx, organizationId, fromId)),
        sql`exists (${issueOf(tx, organizationId, toId)})`,
        only ? inArray(upvotes.id, only) : undefined,
        sql`not exists (select 1 from ${upvotes} as ${sql.identifier("otherUpvote")} where ${other.issueId} = ${toId} and (${other.userId} = ${upvotes.userId} or ${other.voterKey} = ${upvotes.voterKey}))`,
      ),
    )
    .returning({ id: upvotes.id });
  return rows.map((r) => r.id);
}

const otherSub = alias(issueSubscribers, "otherSubscriber");

/** Moves e-mail subscriptions likewise: an address the destination already has stays where it is. */
export async function moveSubscribers(
  tx: DbOrTx,
  organizationId: string,
  fromId: string,
  toId: string,
  only?: string[],
): Promise<string[]> {
  if (only && only.length === 0) return [];
  const rows = await tx
    .update(issueSubscribers)
    .set({ issueId: toId })
    .where(
      and(
        eq(issueSubscribers.organizationId, organizationId),
        eq(issueSubscribers.issueId, fromId),
        sql`exists (${issueOf(tx, organizationId, toId)})`,
        only ? inArray(issueSubscribers.id, only) : undefined,
        sql`not exists (select 1 from ${issueSubscribers} as ${sql.identifier("otherSubscriber")} where ${otherSub.issueId} = ${toId} and ${otherSub.email} = ${issueSubscribers.email})`,
      ),
    )
    .returning({ id: issueSubscribers.id });
  return rows.map((r) => r.id);
}

export async function insertMerge(tx: DbOrTx, row: typeof issueMerges.$inferInsert) {
  const [merge] = await tx.insert(issueMerges).values(row).returning({ id: issueMerges.id });
  return merge;
}

/** The merge in force of a duplicate, locked until the transaction ends; null when it is not merged. */
export async function lockActiveMerge(tx: DbOrTx, organizationId: string, sourceIssueId: string) {
  const [row] = await tx
    .select()
    .from(issueMerges)
    .where(
      and(
        eq(issueMerges.organizationId, organizationId),
        eq(issueMerges.sourceIssueId, sourceIssueId),
        isNull(issueMerges.undoneAt),
      ),
    )
    .for("update");
  return row ?? null;
}

export async function markMergeUndone(tx: DbOrTx, organizationId: string, mergeId: string, by: string, now: Date) {
  await tx
    .update(issueMerges)
    .set({ undoneAt: now, undoneById: by })
    .where(and(eq(issueMerges.organizationId, organizationId), eq(issueMerges.id, mergeId)));
}

/** Where a merged duplicate went: the target's id and title (null when the issue is not merged). */
export async function findMergeTarget(db: DbOrTx, organizationId: string, issueId: string) {
  const target = alias(issues, "mergeTarget");
  const [row] = await db
    .select({ id: target.id, title: target.title, followToken: target.followToken, mergedAt: issueMerges.mergedAt })
    .from(issues)
    .innerJoin(target, and(eq(target.id, issues.mergedIntoId), eq(target.organizationId, organizationId)))
    .leftJoin(
      issueMerges,
      and(
        eq(issueMerges.sourceIssueId, issues.id),
        eq(issueMerges.organizationId, organizationId),
        isNull(issueMerges.undoneAt),
      ),
    )
    .where(and(eq(issues.id, issueId), eq(issues.organizationId, organizationId)))
    .limit(1);
  return row ?? null;
}

const mergedAuthor = alias(users, "mergedCommentAuthor");

/**
 * What is merged into an issue, for its page: each duplicate with its (not deleted) comments and its photos, in
 * three queries whatever the number of duplicates.
 */
export async function listMergedDuplicates(db: DbOrTx, organizationId: string, targetId: string) {
  const sources = await db
    .select({ id: issues.id, title: issues.title, createdAt: issues.createdAt })
    .from(issues)
    .where(and(eq(issues.organizationId, organizationId), eq(issues.mergedIntoId, targetId)))
    .orderBy(asc(issues.createdAt), asc(issues.id))
    .limit(50);
  if (sources.length === 0) return [];
  const ids = sources.map((s) => s.id);
  const [commentRows, photoRows] = await Promise.all([
    db
      .select({
        id: comments.id,
        issueId: comments.issueId,
        content: comments.content,
        createdAt: comments.createdAt,
        authorName: mergedAuthor.name,
      })
      .from(comments)
      .innerJoin(issues, eq(issues.id, comments.issueId))
      .innerJoin(mergedAuthor, eq(mergedAuthor.id, comments.authorId))
      .where(and(eq(issues.organizationId, organizationId), inArray(comments.issueId, ids), isNull(comments.deletedAt)))
      .orderBy(asc(comments.createdAt), asc(comments.id)),
    db
      .select({ id: attachments.id, issueId: attachments.issueId, fileName: attachments.fileName })
      .from(attachments)
      .where(and(eq(attachments.organizationId, organizationId), inArray(attachments.issueId, ids)))
      .orderBy(asc(attachments.createdAt), asc(attachments.id)),
  ]);
  return sources.map((s) => ({
    ...s,
    comments: commentRows
      .filter((c) => c.issueId === s.id)
      .map((c) => ({ id: c.id, content: c.content, createdAt: c.createdAt, author: displayName(c.authorName) })),
    photos: photoRows.filter((p) => p.issueId === s.id).map((p) => ({ id: p.id, fileName: p.fileName })),
  }));
}

const mergeSelf = alias(issues, "mergeSelf");

// On the page of every issue a triager opens.
const mergeCandidatesQuery = reusableQuery("merge_candidates", (db, name) =>
  db
    .select({ id: issues.id, title: issues.title, statusName: issueStatuses.name, category: issueStatuses.category })
    .from(issues)
    .innerJoin(
      mergeSelf,
      and(
        eq(mergeSelf.id, sql.placeholder("issueId")),
        eq(mergeSelf.organizationId, sql.placeholder("organizationId")),
      ),
    )
    .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
    .where(
      and(
        eq(issues.organizationId, sql.placeholder("organizationId")),
        eq(issues.machineId, mergeSelf.machineId),
        ne(issues.id, sql.placeholder("issueId")),
        isNull(issues.mergedIntoId),
      ),
    )
    .orderBy(sql`${issueStatuses.category} = 'RESOLVED'`, desc(issues.createdAt), asc(issues.id))
    .limit(50)
    .prepare(name),
);

/** Issues a duplicate may be merged into: others of its machine that are not merged themselves, open ones first. */
export async function listMergeCandidates(db: DbOrTx, organizationId: string, issueId: string) {
  return mergeCandidatesQuery(db).execute({ issueId, organizationId });
}
