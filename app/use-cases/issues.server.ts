/**
 * Issues, the member side and the one way to create an issue (the QR report, a member's report, future ingestion).
 */
import { Failure, fail } from "../../core/failure";
import { machineExists } from "../../db/queries/machines.server";
import {
  findDefaultStatus,
  findIssuePriority,
  insertCreatedHistory,
  insertIssue,
  insertIssueAttachments,
  type NewIssueAttachment,
} from "../../db/queries/issue-create.server";
import { notifyIssueCreated } from "../../db/queries/notifications.server";
import type { DbOrTx } from "../lib/db.server";
import { withTransaction } from "../../db/transaction.server";
import { requireCan, type Actor } from "./actor";

export type { NewIssueAttachment };

export type IssueReporter =
  /** A signed-in reporter (becomes Issue.createdById and the history actor); must be the actor's own user. */
  | { userId: string }
  /** An anonymous reporter: optional display name and email, never shown publicly. */
  | { userId?: undefined; name?: string | null; email?: string | null };

export interface ReportIssueInput {
  machineId: string;
  title: string;
  description?: string | null;
  reporter: IssueReporter;
  /** Honoured for actors who may edit issues (triagers); everyone else gets the organization's default. */
  priorityId?: string | null;
  consistency?: string | null;
  /** Files already stored (app/lib/uploads.server.ts saveImageUpload). */
  attachments?: NewIssueAttachment[];
}

/**
 * Creates an issue in the organization's default status and the default (or chosen) priority, with its CREATED
 * history row, its attachments and the machine owner's notification (§3.13), in one transaction (a savepoint when
 * `actor.db` is already a transaction). A machine or priority of another organization is not found; an organization
 * without statuses or priorities cannot take reports (conflict).
 */
export async function reportIssue(actor: Actor, input: ReportIssueInput): Promise<{ id: string; followToken: string }> {
  return withTransaction(actor.db, (tx) => writeNewIssue(tx, actor, input));
}

async function writeNewIssue(tx: DbOrTx, actor: Actor, input: ReportIssueInput): Promise<{ id: string; followToken: string }> {
  requireCan(actor, "issue:create");
  if (input.attachments?.length) requireCan(actor, "attachment:create");
  const userId = input.reporter.userId ?? null;
  if (userId && userId !== actor.user?.id) throw fail.forbidden();
  const { organizationId } = actor;
  if (!(await machineExists(tx, organizationId, input.machineId))) throw fail.notFound("That machine was not found.", "machineId");
  const status = await findDefaultStatus(tx, organizationId);
  if (!status) throw fail.conflict("This organization has no issue statuses yet.");
  const chosen = actor.can("issue:edit") ? (input.priorityId ?? null) : null;
  const priority = await findIssuePriority(tx, organizationId, chosen);
  if (!priority) {
    throw chosen ? fail.notFound("Choose a priority from the list.", "priorityId") : fail.conflict("This organization has no priorities yet.");
  }
  const anonymous = userId ? null : (input.reporter as { name?: string | null; email?: string | null });
  const issue = await insertIssue(tx, {
    organizationId,
    machineId: input.machineId,
    title: input.title,
    description: input.description || null,
    consistency: input.consistency || null,
    statusId: status.id,
    priorityId: priority.id,
    createdById: userId,
    submitterName: anonymous?.name || null,
    reporterEmail: anonymous?.email || null,
  });
  await insertCreatedHistory(tx, { organizationId, issueId: issue.id, actorId: userId });
  if (input.attachments?.length) {
    await insertIssueAttachments(tx, { organizationId, issueId: issue.id, actorId: userId, files: input.attachments });
  }
  // The shared rules decide who hears of it: never the actor, only current members, per the owner's toggles.
  await notifyIssueCreated(tx, { organizationId, issueId: issue.id, actorId: userId });
  return issue;
}

/** A Failure, re-thrown for a form whose choices come from a list: an unknown choice is invalid input (400). */
export function asInvalidChoice(error: unknown): unknown {
  if (error instanceof Failure && error.code === "not_found") return new Failure("invalid", error.message, { fields: error.fields });
  return error;
}
