/**
 * Issues: the one way to create an issue (the QR report, a member's report, future ingestion), the member's
 * new-issue page, and the triage changes (status, priority, assignee, title and description). Every write checks the
 * actor's permission, runs in one transaction that locks the issue row, checks every foreign id against the
 * organization, writes the change with its IssueHistory row(s) and the notifications, and throws Failure when it
 * cannot be done. The issue list and issue page reads are in ./issue-pages.server.ts.
 */
import { z } from "zod";
import { Failure, fail } from "../../core/failure";
import {
  assignmentEffects,
  ASSIGNMENT_MESSAGES,
  isStatusCategory,
  nextResolvedAt,
  validateAssignment,
  validateStatusChange,
} from "../../core/issue-rules";
import { runOnce } from "./run-once.server";
import {
  findDefaultStatus,
  findIssuePriority,
  insertCreatedHistory,
  insertIssue,
  insertIssueAttachments,
  type NewIssueAttachment,
} from "../../db/queries/issue-create.server";
import {
  displayName,
  findPeopleWithMembership,
  findPrioritiesByIds,
  findStatusesByIds,
  lockIssue,
  updateIssueRow,
  writeIssueHistory,
} from "../../db/queries/issues.server";
import { listLocationOptions } from "../../db/queries/locations.server";
import { machineExists } from "../../db/queries/machines.server";
import { listIssueChoices } from "../../db/queries/issue-choices.server";
import { withTransaction } from "../../db/transaction.server";
import { queueClosedMails } from "./subscriptions.server";
import { notifyIssue } from "./notification-mail.server";
import type { DbOrTx } from "../lib/db.server";
import { fields } from "../lib/fields.server";
import { STALE_FORM_MESSAGE, newIdempotencyKey, readIdempotencyKey } from "../lib/idempotency.server";
import { isPlausibleId } from "../lib/ids";
import { loadMachinePicker } from "../lib/machine-picker.server";
import { requireCan, requireMemberActor, type Actor, type MemberActor } from "./actor";

export type { NewIssueAttachment };

export const ISSUE_NOT_FOUND = "We could not find that issue.";

// ---------------------------------------------------------------------------------------------------------------
// Input

export const newIssueInput = z.object({
  machineId: z.string({ error: "Pick a machine" }).trim().min(1, "Pick a machine").max(64, "Pick a machine"),
  title: fields.title,
  description: fields.description,
  priorityId: fields.optionalId,
  assignToMe: z.literal("on").optional(),
  /** The form's idempotency key (app/lib/idempotency.server.ts), checked by createMemberIssue. */
  idempotencyKey: z.unknown().optional(),
});
export type NewIssueInput = z.infer<typeof newIssueInput>;

export const statusInput = z.object({ statusId: fields.id });
export const priorityInput = z.object({ priorityId: fields.id });
/** A member id, "me", or "" / "unassign" for nobody. */
export const assignInput = z.object({ assigneeId: z.string().trim().max(64) });
export const detailsInput = z.object({ title: fields.title, description: fields.description });

// ---------------------------------------------------------------------------------------------------------------
// Creating an issue

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

async function writeNewIssue(
  tx: DbOrTx,
  actor: Actor,
  input: ReportIssueInput,
): Promise<{ id: string; followToken: string }> {
  requireCan(actor, "issue:create");
  if (input.attachments?.length) requireCan(actor, "attachment:create");
  const userId = input.reporter.userId ?? null;
  if (userId && userId !== actor.user?.id) throw fail.forbidden();
  const { organizationId } = actor;
  if (!(await machineExists(tx, organizationId, input.machineId)))
    throw fail.notFound("That machine was not found.", "machineId");
  const status = await findDefaultStatus(tx, organizationId);
  if (!status) throw fail.conflict("This organization has no issue statuses yet.");
  const chosen = actor.can("issue:edit") ? (input.priorityId ?? null) : null;
  const priority = await findIssuePriority(tx, organizationId, chosen);
  if (!priority) {
    throw chosen
      ? fail.notFound("Choose a priority from the list.", "priorityId")
      : fail.conflict("This organization has no priorities yet.");
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
  await notifyIssue(tx, actor, { issueId: issue.id, actorId: userId, event: "created" });
  return issue;
}

/** /issues/new: the machine picker (large organizations pick a location first), and the triage extras. */
export async function loadNewIssuePage(actor: Actor, wanted: { locationId?: string; machineId?: string }) {
  requireMemberActor(actor, "issue:create");
  const { db, organizationId } = actor;
  const [picker, { priorities }] = await Promise.all([
    loadMachinePicker(db, organizationId, wanted),
    listIssueChoices(db, organizationId, { priorities: actor.can("issue:edit") }),
  ]);
  const locations = picker.needsLocation || wanted.locationId ? await listLocationOptions(db, organizationId) : [];
  return {
    machines: picker.machines,
    needsLocation: picker.needsLocation,
    locations,
    locationId: wanted.locationId ?? "",
    priorities: priorities.map((p) => ({ id: p.id, name: p.name, isDefault: p.isDefault })),
    canAssign: actor.can("issue:assign"),
    machineId: wanted.machineId && picker.machines.some((m) => m.id === wanted.machineId) ? wanted.machineId : "",
    // A fresh key per render: a double submit creates one issue.
    idempotencyKey: newIdempotencyKey(),
  };
}

/**
 * A member reports an issue with their account as reporter; triagers may set the priority (issue:edit) and take it
 * (issue:assign), in the same transaction. A repeat of the submit (same idempotency key) gets the first issue's
 * address and creates nothing. Returns the new issue's page.
 */
export async function createMemberIssue(actor: Actor, input: NewIssueInput): Promise<string> {
  requireMemberActor(actor, "issue:create");
  const key = readIdempotencyKey(input.idempotencyKey);
  if (!key.ok) throw fail.invalid(STALE_FORM_MESSAGE);
  const me = actor.user;
  const claim = key.key ? { organizationId: actor.organizationId, scope: `issue-new:${me.id}`, key: key.key } : null;
  try {
    const { result } = await runOnce(actor.db, claim, async (tx) => {
      const created = await writeNewIssue(tx, actor, {
        machineId: input.machineId,
        title: input.title,
        description: input.description ?? null,
        reporter: { userId: me.id },
        priorityId: input.priorityId ?? null,
      });
      if (input.assignToMe && actor.can("issue:assign")) await writeAssignment(tx, actor, created.id, me.id);
      return { location: `/issues/${created.id}` };
    });
    return result.location;
  } catch (error) {
    // The machine and priority are choices from the form's lists: one that is not found here is invalid input.
    if (error instanceof Failure && error.code === "not_found")
      throw new Failure("invalid", error.message, { fields: error.fields });
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Triage

export interface ChangeOutcome {
  changed: boolean;
  message: string;
}

/** The issue row, locked for the rest of the transaction; not found when it is not in the actor's organization. */
export async function lockedIssue(tx: DbOrTx, actor: Actor, issueId: string) {
  const issue = await lockIssue(tx, actor.organizationId, issueId);
  if (!issue) throw fail.notFound("That issue does not exist.");
  return issue;
}

/** The part of an IssueHistory row that every change by a member shares: where, who and when. */
export function changeBy(actor: MemberActor, issueId: string, now: Date) {
  return { organizationId: actor.organizationId, issueId, actorId: actor.user.id, changedAt: now };
}

/** The part of an issue notification that every change by a member shares: where and who. */
export function eventBy(actor: MemberActor, issueId: string) {
  return { organizationId: actor.organizationId, issueId, actorId: actor.user.id, actorName: actor.user.name };
}

/**
 * Moves an issue to another status of the organization (resolvedAt, history, owner/reporter notifications; closing
 * it e-mails the reporter and "me too" subscribers once, app/use-cases/subscriptions.server.ts).
 */
export async function changeIssueStatus(actor: Actor, issueId: string, statusId: string): Promise<ChangeOutcome> {
  requireMemberActor(actor, "issue:edit");
  const { organizationId } = actor;
  return withTransaction(actor.db, async (tx) => {
    const issue = await lockedIssue(tx, actor, issueId);
    const statusRows = await findStatusesByIds(tx, organizationId, [issue.statusId, statusId]);
    const current = statusRows.find((s) => s.id === issue.statusId);
    const target = statusRows.find((s) => s.id === statusId) ?? null;
    if (!target) throw fail.notFound("That status does not exist.", "statusId");
    if (!current || !isStatusCategory(current.category)) throw new Error("issue status missing");
    const check = validateStatusChange({
      canEdit: true,
      organizationId,
      issue: { organizationId: issue.organizationId, statusId: issue.statusId, category: current.category },
      target,
    });
    if (!check.ok) throw fail.invalid("That status cannot be used.", "statusId");
    if (!check.changed || !check.activity) return { changed: false, message: `Already “${target.name}”.` };
    const now = new Date();
    await updateIssueRow(tx, organizationId, issue.id, {
      statusId: target.id,
      resolvedAt: nextResolvedAt(issue.resolvedAt, current.category, target.category, now),
      updatedAt: now,
    });
    await writeIssueHistory(tx, {
      ...changeBy(actor, issue.id, now),
      type: check.activity,
      field: "status",
      oldValue: current.name,
      newValue: target.name,
    });
    await notifyIssue(tx, actor, {
      ...eventBy(actor, issue.id),
      event: "status",
      from: current.name,
      to: target.name,
    });
    if (target.category === "RESOLVED" && current.category !== "RESOLVED") {
      const org = { organizationId, organizationName: actor.organization.name };
      await queueClosedMails(tx, org, issue.id, target.name, actor.links);
    }
    return { changed: true, message: `Status changed to “${target.name}”.` };
  });
}

export async function changeIssuePriority(actor: Actor, issueId: string, priorityId: string): Promise<ChangeOutcome> {
  requireMemberActor(actor, "issue:edit");
  const { organizationId } = actor;
  return withTransaction(actor.db, async (tx) => {
    const issue = await lockedIssue(tx, actor, issueId);
    const rows = await findPrioritiesByIds(tx, organizationId, [issue.priorityId, priorityId]);
    const current = rows.find((p) => p.id === issue.priorityId);
    const target = rows.find((p) => p.id === priorityId);
    if (!target) throw fail.notFound("That priority does not exist.", "priorityId");
    if (target.id === issue.priorityId) return { changed: false, message: `Already “${target.name}”.` };
    const now = new Date();
    await updateIssueRow(tx, organizationId, issue.id, { priorityId: target.id, updatedAt: now });
    await writeIssueHistory(tx, {
      ...changeBy(actor, issue.id, now),
      type: "PRIORITY_CHANGED",
      field: "priority",
      oldValue: current?.name ?? null,
      newValue: target.name,
    });
    return { changed: true, message: `Priority changed to “${target.name}”.` };
  });
}

/**
 * Assigns the issue to a member of the organization: `choice` is a member id, "me", or "" / "unassign" for nobody.
 * Refused when the person is not a member here or nothing would change. The new assignee is notified unless they
 * assigned themselves.
 */
export async function assignIssue(actor: Actor, issueId: string, choice: string): Promise<ChangeOutcome> {
  requireMemberActor(actor, "issue:assign");
  const assigneeId = choice === "" || choice === "unassign" ? null : choice === "me" ? actor.user.id : choice;
  if (assigneeId !== null && !isPlausibleId(assigneeId))
    throw fail.invalid("Pick a member of this organization.", "assigneeId");
  return withTransaction(actor.db, (tx) => writeAssignment(tx, actor, issueId, assigneeId));
}

async function writeAssignment(
  tx: DbOrTx,
  actor: MemberActor,
  issueId: string,
  assigneeId: string | null,
): Promise<ChangeOutcome> {
  const { organizationId } = actor;
  const issue = await lockedIssue(tx, actor, issueId);
  const people = await findPeopleWithMembership(
    tx,
    organizationId,
    [issue.assignedToId, assigneeId].filter((x): x is string => Boolean(x)),
  );
  const next = assigneeId ? people.find((p) => p.userId === assigneeId) : undefined;
  const check = validateAssignment({
    organizationId,
    issue: { organizationId: issue.organizationId, assignedToId: issue.assignedToId },
    assignee: assigneeId
      ? {
          userId: assigneeId,
          membership:
            next?.membershipUserId && next.membershipOrganizationId
              ? { userId: next.membershipUserId, organizationId: next.membershipOrganizationId }
              : null,
        }
      : null,
  });
  if (!check.ok) throw fail.invalid(ASSIGNMENT_MESSAGES[check.reason], "assigneeId");
  const previous = issue.assignedToId ? people.find((p) => p.userId === issue.assignedToId) : undefined;
  const now = new Date();
  await updateIssueRow(tx, organizationId, issue.id, { assignedToId: assigneeId, updatedAt: now });
  await writeIssueHistory(tx, {
    ...changeBy(actor, issue.id, now),
    type: "ASSIGNED",
    field: "assignee",
    oldValue: issue.assignedToId ? displayName(previous?.name) : null,
    newValue: assigneeId ? displayName(next?.name) : null,
  });
  if (assignmentEffects(check.change, actor.user.id, assigneeId).notifyAssignee) {
    await notifyIssue(tx, actor, {
      ...eventBy(actor, issue.id),
      event: "assigned",
    });
  }
  const message =
    check.change === "unassign"
      ? "Issue unassigned."
      : assigneeId === actor.user.id
        ? "Assigned to you."
        : `Assigned to ${displayName(next?.name)}.`;
  return { changed: true, message };
}

/** Edits title and/or description; one SYSTEM history row per field that actually changed. */
export async function editIssueDetails(
  actor: Actor,
  issueId: string,
  input: { title: string; description?: string | null },
): Promise<ChangeOutcome> {
  requireMemberActor(actor, "issue:edit");
  const { organizationId } = actor;
  return withTransaction(actor.db, async (tx) => {
    const issue = await lockedIssue(tx, actor, issueId);
    const description = input.description?.trim() ? input.description.trim() : null;
    const titleChanged = issue.title !== input.title;
    const descriptionChanged = (issue.description ?? null) !== description;
    if (!titleChanged && !descriptionChanged) return { changed: false, message: "Nothing changed." };
    const now = new Date();
    await updateIssueRow(tx, organizationId, issue.id, { title: input.title, description, updatedAt: now });
    const history = { ...changeBy(actor, issue.id, now), type: "SYSTEM" as const };
    if (titleChanged)
      await writeIssueHistory(tx, { ...history, field: "title", oldValue: issue.title, newValue: input.title });
    if (descriptionChanged)
      await writeIssueHistory(tx, {
        ...history,
        field: "description",
        oldValue: issue.description,
        newValue: description,
      });
    return { changed: true, message: "Issue updated." };
  });
}
