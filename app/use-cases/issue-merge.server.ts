/**
 * Merging a duplicate issue (the source) into another issue of the organization (the target), and splitting it off
 * again. Members with issue:edit; one transaction each, locking both issue rows (by id order).
 *
 * Merge: the source is closed in the organization's "Duplicate" closed status (created once when missing), points at
 * the target (Issue.mergedIntoId), and its "me too" votes and e-mail subscriptions (the reporter's contact included)
 * move to the target, except those the target already has from the same voter or address. What moved is recorded
 * (IssueMerge), so an unmerge — allowed at any time — moves back exactly those rows and puts the source back in its
 * earlier status. Both timelines get a MERGED row naming the other issue. The source's comments and photos stay on
 * the source and are shown from the target's page (loadIssuePage). Closing the target later tells the moved
 * subscribers (app/use-cases/subscriptions.server.ts queueClosedMails). See docs/decisions/039-merging-duplicates.md.
 */
import { z } from "zod";
import { fail } from "../../core/failure";
import { statusActivityType } from "../../core/issue-rules";
import { DUPLICATE_STATUS_NAME, MERGE_HISTORY_FIELDS, MERGE_MESSAGES, mergeProblem } from "../../core/issue-merge";
import {
  countMergedInto,
  ensureStatusNamed,
  findDefaultStatusRow,
  insertMerge,
  lockActiveMerge,
  lockIssuesForMerge,
  markMergeUndone,
  moveSubscribers,
  moveUpvotes,
  setIssueMergeState,
} from "../../db/queries/issue-merge.server";
import { findStatusesByIds, writeIssueHistory } from "../../db/queries/issues.server";
import { withTransaction } from "../../db/transaction.server";
import { fields } from "../lib/fields.server";
import type { DbOrTx } from "../lib/db.server";
import { requireMemberActor, type Actor, type MemberActor } from "./actor";
import { changeBy, eventBy, type ChangeOutcome } from "./issues.server";
import { notifyIssue } from "./notification-mail.server";

export const mergeInput = z.object({ targetIssueId: fields.id });

const NOT_FOUND = "That issue does not exist.";

/** Merges `sourceId` into `targetId` (see the module comment). Refuses self-merges, chains and other organizations. */
export async function mergeIssues(actor: Actor, sourceId: string, targetId: string): Promise<ChangeOutcome> {
  requireMemberActor(actor, "issue:edit");
  const { organizationId } = actor;
  if (sourceId === targetId) throw fail.invalid(MERGE_MESSAGES.self, "targetIssueId");
  return withTransaction(actor.db, async (tx) => {
    const locked = await lockIssuesForMerge(tx, organizationId, [sourceId, targetId]);
    const source = locked.find((i) => i.id === sourceId);
    const target = locked.find((i) => i.id === targetId);
    if (!source) throw fail.notFound(NOT_FOUND);
    if (!target) throw fail.notFound("We could not find that issue here. Pick one from the list.", "targetIssueId");
    const problem = mergeProblem(
      {
        id: source.id,
        mergedIntoId: source.mergedIntoId,
        mergedInCount: await countMergedInto(tx, organizationId, source.id),
      },
      { id: target.id, mergedIntoId: target.mergedIntoId, mergedInCount: 0 },
    );
    if (problem) throw fail.conflict(MERGE_MESSAGES[problem], "targetIssueId");

    const duplicate = await ensureStatusNamed(tx, organizationId, DUPLICATE_STATUS_NAME);
    if (duplicate.category !== "RESOLVED")
      throw fail.conflict(
        `The status “${DUPLICATE_STATUS_NAME}” is not a closed status here. Ask an admin to make it Closed or rename it.`,
      );
    const now = new Date();
    const movedUpvoteIds = await moveUpvotes(tx, organizationId, source.id, target.id);
    const movedSubscriberIds = await moveSubscribers(tx, organizationId, source.id, target.id);
    await insertMerge(tx, {
      organizationId,
      sourceIssueId: source.id,
      targetIssueId: target.id,
      previousStatusId: source.statusId,
      previousResolvedAt: source.resolvedAt,
      movedUpvoteIds,
      movedSubscriberIds,
      mergedById: actor.user.id,
      mergedAt: now,
    });
    await setIssueMergeState(tx, organizationId, source.id, {
      mergedIntoId: target.id,
      statusId: duplicate.id,
      resolvedAt: source.resolvedAt ?? now,
      updatedAt: now,
    });
    await setIssueMergeState(tx, organizationId, target.id, {
      mergedIntoId: null,
      statusId: target.statusId,
      resolvedAt: target.resolvedAt,
      updatedAt: now,
    });
    await recordMergeStep(tx, actor, {
      source,
      target,
      sourceStatus: duplicate,
      fields: [MERGE_HISTORY_FIELDS.mergedInto, MERGE_HISTORY_FIELDS.mergedFrom],
      now,
    });
    return { changed: true, message: `Merged into “${target.title}”.` };
  });
}

/**
 * Splits a merged duplicate off again: the votes and subscriptions that moved go back (those whose voter or address
 * the source has meanwhile stay on the target), and the source returns to its earlier status (the organization's
 * default when that status was removed since).
 */
export async function unmergeIssue(actor: Actor, sourceId: string): Promise<ChangeOutcome> {
  requireMemberActor(actor, "issue:edit");
  const { organizationId } = actor;
  return withTransaction(actor.db, async (tx) => {
    const merge = await lockActiveMerge(tx, organizationId, sourceId);
    if (!merge) {
      const [exists] = await lockIssuesForMerge(tx, organizationId, [sourceId]);
      if (!exists) throw fail.notFound(NOT_FOUND);
      throw fail.conflict("This issue is not merged into another one.");
    }
    const locked = await lockIssuesForMerge(tx, organizationId, [merge.sourceIssueId, merge.targetIssueId]);
    const source = locked.find((i) => i.id === merge.sourceIssueId);
    const target = locked.find((i) => i.id === merge.targetIssueId);
    if (!source || !target) throw fail.notFound(NOT_FOUND);
    const [previous] = merge.previousStatusId
      ? await findStatusesByIds(tx, organizationId, [merge.previousStatusId])
      : [];
    const status = previous ?? (await findDefaultStatusRow(tx, organizationId));
    if (!status) throw fail.conflict("This organization has no default status to reopen the issue in.");
    const now = new Date();
    await moveUpvotes(tx, organizationId, target.id, source.id, merge.movedUpvoteIds);
    await moveSubscribers(tx, organizationId, target.id, source.id, merge.movedSubscriberIds);
    await markMergeUndone(tx, organizationId, merge.id, actor.user.id, now);
    const resolvedAt = status.category === "RESOLVED" ? (merge.previousResolvedAt ?? now) : null;
    await setIssueMergeState(tx, organizationId, source.id, {
      mergedIntoId: null,
      statusId: status.id,
      resolvedAt,
      updatedAt: now,
    });
    await recordMergeStep(tx, actor, {
      source,
      target,
      sourceStatus: status,
      fields: [MERGE_HISTORY_FIELDS.unmergedFrom, MERGE_HISTORY_FIELDS.unmerged],
      now,
    });
    return { changed: true, message: `Split off “${target.title}” again; this issue is “${status.name}”.` };
  });
}

type LockedIssue = Awaited<ReturnType<typeof lockIssuesForMerge>>[number];

/**
 * The history of one merge or unmerge on both timelines: the source's status change (with its notification) when
 * its status changes, and a MERGED row on each issue naming the other.
 */
async function recordMergeStep(
  tx: DbOrTx,
  actor: MemberActor,
  step: {
    source: LockedIssue;
    target: LockedIssue;
    sourceStatus: { id: string; name: string; category: LockedIssue["category"] };
    /** The MERGED rows' fields: on the source, on the target. */
    fields: readonly [string, string];
    now: Date;
  },
): Promise<void> {
  const {
    source,
    target,
    sourceStatus,
    fields: [onSource, onTarget],
    now,
  } = step;
  if (sourceStatus.id !== source.statusId) {
    await writeIssueHistory(tx, {
      ...changeBy(actor, source.id, now),
      type: statusActivityType(source.category, sourceStatus.category),
      field: "status",
      oldValue: source.statusName,
      newValue: sourceStatus.name,
    });
    await notifyIssue(tx, actor, {
      ...eventBy(actor, source.id),
      event: "status",
      from: source.statusName,
      to: sourceStatus.name,
    });
  }
  await writeIssueHistory(tx, {
    ...changeBy(actor, source.id, now),
    type: "MERGED",
    field: onSource,
    oldValue: target.title,
    newValue: target.id,
  });
  await writeIssueHistory(tx, {
    ...changeBy(actor, target.id, now),
    type: "MERGED",
    field: onTarget,
    oldValue: source.title,
    newValue: source.id,
  });
}
