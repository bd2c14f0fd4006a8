/**
 * Comments on an issue: add (members with issue:create; at most once per form submit), edit one's own (issue:edit),
 * soft-delete (the author, or issue:delete holders), restore (organization:manage). Each change runs in one
 * transaction with its IssueHistory row; adding one also notifies the assignee, the reporter and the owner.
 */
import { z } from "zod";
import { fail } from "../../core/failure";
import { ISSUE_LIMITS, canDeleteComment, canEditComment, validateCommentContent } from "../../core/issue-rules";
import { insertComment, lockComment, setCommentContent, setCommentDeleted } from "../../db/queries/comments.server";
import { runOnce } from "./run-once.server";
import { updateIssueRow, writeIssueHistory } from "../../db/queries/issues.server";
import { withTransaction } from "../../db/transaction.server";
import { notifyIssue } from "./notification-mail.server";
import type { DbOrTx } from "../lib/db.server";
import { fields } from "../lib/fields.server";
import { STALE_FORM_MESSAGE, readIdempotencyKey } from "../lib/idempotency.server";
import { requireMemberActor, type Actor, type MemberActor } from "./actor";
import { changeBy, eventBy, lockedIssue } from "./issues.server";

const content = z
  .string()
  .trim()
  .min(1, "Write a comment")
  .max(ISSUE_LIMITS.comment, "Keep comments under 1,000 characters");

export const commentInput = z.object({
  content,
  /** The form's idempotency key (app/lib/idempotency.server.ts). */
  idempotencyKey: z.unknown().optional(),
});
export const commentEditInput = z.object({ commentId: fields.id, content });
export const commentRefInput = z.object({ commentId: fields.id });

const COMMENT_NOT_FOUND = "That comment does not exist.";

/**
 * Adds a comment by the actor: COMMENTED history (new value = comment id) and the notifications. A repeat of the
 * submit (same idempotency key) gets the first answer and adds nothing.
 */
export async function addComment(
  actor: Actor,
  issueId: string,
  input: z.infer<typeof commentInput>,
): Promise<{ message: string; commentId: string }> {
  requireMemberActor(actor, "issue:create");
  const key = readIdempotencyKey(input.idempotencyKey);
  if (!key.ok) throw fail.invalid(STALE_FORM_MESSAGE, "content");
  const valid = validateCommentContent(input.content);
  if (!valid.ok) throw fail.invalid(valid.error, "content");
  const claim = key.key
    ? { organizationId: actor.organizationId, scope: `comment:${issueId}:${actor.user.id}`, key: key.key }
    : null;
  const { result } = await runOnce(actor.db, claim, (tx) => writeComment(tx, actor, issueId, valid.content));
  return result;
}

async function writeComment(tx: DbOrTx, actor: MemberActor, issueId: string, text: string) {
  const { organizationId } = actor;
  const issue = await lockedIssue(tx, actor, issueId);
  const now = new Date();
  const commentId = await insertComment(tx, { issueId: issue.id, authorId: actor.user.id, content: text, now });
  await updateIssueRow(tx, organizationId, issue.id, { updatedAt: now });
  await writeIssueHistory(tx, {
    ...changeBy(actor, issue.id, now),
    type: "COMMENTED",
    field: "comment",
    newValue: commentId,
  });
  await notifyIssue(tx, actor, {
    ...eventBy(actor, issue.id),
    event: "commented",
    commentId,
  });
  return { message: "Comment added.", commentId };
}

/** The history row of a change to comment `c`: field "comment", the old value is the comment's id. */
async function writeCommentHistory(
  tx: DbOrTx,
  actor: MemberActor,
  c: { id: string; issueId: string },
  now: Date,
  type: "SYSTEM" | "COMMENT_DELETED",
  newValue?: string,
) {
  await writeIssueHistory(tx, { ...changeBy(actor, c.issueId, now), type, field: "comment", oldValue: c.id, newValue });
}

/** The author edits their own, not deleted comment (needs issue:edit). */
export async function editComment(
  actor: Actor,
  issueId: string,
  input: z.infer<typeof commentEditInput>,
): Promise<string> {
  requireMemberActor(actor, "issue:edit");
  const valid = validateCommentContent(input.content);
  if (!valid.ok) throw fail.invalid(valid.error, "content");
  const { organizationId } = actor;
  return withTransaction(actor.db, async (tx) => {
    const c = await lockComment(tx, organizationId, issueId, input.commentId);
    if (!c || c.deletedAt) throw fail.notFound(COMMENT_NOT_FOUND);
    if (
      !canEditComment({
        actorId: actor.user.id,
        authorId: c.authorId,
        deleted: false,
        canEdit: actor.can("issue:edit"),
      })
    ) {
      throw fail.forbidden("You can only edit your own comments.");
    }
    if (c.content === valid.content) return "Nothing changed.";
    const now = new Date();
    await setCommentContent(tx, c.id, valid.content, now);
    await writeCommentHistory(tx, actor, c, now, "SYSTEM", "edited");
    return "Comment updated.";
  });
}

/** Soft delete by the author, or by anyone holding issue:delete; COMMENT_DELETED history. */
export async function deleteComment(actor: Actor, issueId: string, commentId: string): Promise<string> {
  requireMemberActor(actor);
  const { organizationId } = actor;
  return withTransaction(actor.db, async (tx) => {
    const c = await lockComment(tx, organizationId, issueId, commentId);
    if (!c || c.deletedAt) throw fail.notFound(COMMENT_NOT_FOUND);
    if (
      !canDeleteComment({
        actorId: actor.user.id,
        authorId: c.authorId,
        deleted: false,
        canDeleteOthers: actor.can("issue:delete"),
      })
    ) {
      throw fail.forbidden("You can only delete your own comments.");
    }
    const now = new Date();
    await setCommentDeleted(tx, c.id, { at: now, by: actor.user.id });
    await writeCommentHistory(tx, actor, c, now, "COMMENT_DELETED");
    return "Comment deleted.";
  });
}

/** Restores a soft-deleted comment (organization:manage); SYSTEM history "restored". */
export async function restoreComment(actor: Actor, issueId: string, commentId: string): Promise<string> {
  requireMemberActor(actor, "organization:manage");
  const { organizationId } = actor;
  return withTransaction(actor.db, async (tx) => {
    const c = await lockComment(tx, organizationId, issueId, commentId);
    if (!c || !c.deletedAt) throw fail.notFound(COMMENT_NOT_FOUND);
    const now = new Date();
    await setCommentDeleted(tx, c.id, null);
    await writeCommentHistory(tx, actor, c, now, "SYSTEM", "restored");
    return "Comment restored.";
  });
}
