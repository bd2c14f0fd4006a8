/**
 * The issue page's one "Save" for triage without JavaScript: status, priority and assignee sent together, each
 * changed only when it differs, all in ONE transaction (the single-field changes of ./issues.server.ts run inside it
 * as savepoints, with their own checks, history and notifications). A field the actor may not change is refused
 * (403) and nothing is saved. With JavaScript each control saves on its own through those single-field changes.
 */
import { z } from "zod";
import { withTransaction } from "../../db/transaction.server";
import { fields } from "../lib/fields.server";
import { parseInput } from "../lib/forms.server";
import { requireMemberActor, type Actor } from "./actor";
import {
  assignInput,
  assignIssue,
  changeIssuePriority,
  changeIssueStatus,
  lockedIssue,
  priorityInput,
  statusInput,
  type ChangeOutcome,
} from "./issues.server";

export const triageInput = z.object({
  statusId: fields.id.optional(),
  priorityId: fields.id.optional(),
  /** A member id, "me", or "" / "unassign" for nobody. */
  assigneeId: z.string().trim().max(64).optional(),
});
export type TriageInput = z.infer<typeof triageInput>;

/** Which issue a row of the issue list changes (/issues: every row has its own triage form). */
export const issueRefInput = z.object({ issueId: fields.id });

export async function saveTriage(
  actor: Actor,
  issueId: string,
  input: TriageInput,
): Promise<ChangeOutcome> {
  requireMemberActor(actor);
  return withTransaction(actor.db, async (tx) => {
    const inTx = { ...actor, db: tx };
    // The current values: a field sent unchanged is left alone (an unchanged assignee would be refused).
    const issue = await lockedIssue(tx, actor, issueId);
    const assignee = input.assigneeId === "me" ? actor.user.id : input.assigneeId || null;
    const outcomes: ChangeOutcome[] = [];
    if (input.statusId !== undefined && input.statusId !== issue.statusId)
      outcomes.push(await changeIssueStatus(inTx, issueId, input.statusId));
    if (input.priorityId !== undefined && input.priorityId !== issue.priorityId)
      outcomes.push(await changeIssuePriority(inTx, issueId, input.priorityId));
    if (input.assigneeId !== undefined && (assignee === "unassign" ? null : assignee) !== issue.assignedToId)
      outcomes.push(await assignIssue(inTx, issueId, input.assigneeId));
    const changed = outcomes.filter((o) => o.changed);
    return changed.length
      ? { changed: true, message: changed.map((o) => o.message).join(" ") }
      : { changed: false, message: "Nothing changed." };
  });
}

/**
 * The triage forms of the issue page and of each row of the issue list: one intent each for status, priority and
 * assignee (saved on change with JavaScript), and "triage" for the one "Save" without it.
 */
export const TRIAGE_INTENTS = ["status", "priority", "assign", "triage"] as const;
export type TriageIntent = (typeof TRIAGE_INTENTS)[number];

export function isTriageIntent(intent: string): intent is TriageIntent {
  return (TRIAGE_INTENTS as readonly string[]).includes(intent);
}

/** Reads the intent's fields from the form and makes its change; answers the change's message. */
export async function applyTriageForm(
  actor: Actor,
  issueId: string,
  intent: TriageIntent,
  form: Record<string, unknown>,
): Promise<ChangeOutcome> {
  switch (intent) {
    case "status":
      return changeIssueStatus(actor, issueId, parseInput(statusInput, form).statusId);
    case "priority":
      return changeIssuePriority(actor, issueId, parseInput(priorityInput, form).priorityId);
    case "assign":
      return assignIssue(actor, issueId, parseInput(assignInput, form).assigneeId);
    case "triage":
      return saveTriage(actor, issueId, parseInput(triageInput, form));
  }
}
