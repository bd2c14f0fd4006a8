/**
 * Pure rules of the issue workflow (no database, no Remix): status transitions and their effect on resolvedAt and on
 * the activity log, assignment validation and classification, issue-creation validation, comment rules.
 * The query helpers (db/queries/issues.server.ts, comments.server.ts) and the routes apply these; tests/unit/issue-rules.test.ts
 * pins them down (the original's statusValidation, assignmentValidation, creationValidation).
 *
 * History decisions (documented here because the original left them open):
 * - A status change always writes one IssueHistory row with field "status", oldValue/newValue = status NAMES.
 *   Its type is RESOLVED when the issue enters a RESOLVED-category status from an open one, REOPENED when it leaves
 *   the RESOLVED category, and STATUS_CHANGED otherwise (including RESOLVED → RESOLVED, e.g. Fixed → Not Reproducible).
 * - Priority: PRIORITY_CHANGED, field "priority", old/new priority names.
 * - Assignment: ASSIGNED, field "assignee", old/new assignee display names (null when nobody).
 * - Title / description edits: SYSTEM, field "title" / "description", old/new text.
 * - Comments: COMMENTED (new = comment id), COMMENT_DELETED (old = comment id), edit and restore as SYSTEM rows with
 *   field "comment" (old = comment id, new = "edited" / "restored").
 * - Attachments: ATTACHMENT_ADDED (field "attachment", new = file name); removal SYSTEM (old = file name).
 */

export const STATUS_CATEGORIES = ["NEW", "IN_PROGRESS", "RESOLVED"] as const;
export type StatusCategory = (typeof STATUS_CATEGORIES)[number];

/** What people see: the product calls the categories Open / In progress / Closed. */
export const CATEGORY_LABELS: Readonly<Record<StatusCategory, string>> = {
  NEW: "Open",
  IN_PROGRESS: "In progress",
  RESOLVED: "Closed",
};

export function isStatusCategory(value: unknown): value is StatusCategory {
  return typeof value === "string" && (STATUS_CATEGORIES as readonly string[]).includes(value);
}

/** Sort keys of the issue list. */
/** "relevance": full-text rank, then trigram similarity to the title; only with a search (the default then). */
export const ISSUE_SORTS = ["created", "updated", "priority", "upvotes", "relevance"] as const;
export type IssueSort = (typeof ISSUE_SORTS)[number];

export const ISSUE_LIMITS = {
  title: 255,
  /** The project-wide description bound (app/lib/forms.server.ts `fields.description`). */
  description: 10_000,
  comment: 1000,
  attachmentsPerIssue: 3,
  statusName: 50,
  priorityName: 50,
  submitterName: 100,
  search: 200,
} as const;

// -------------------------------------------------------------------------------------------------------------------
// Status transitions

export type TransitionKind = "progress" | "regress" | "reopen" | "same-category";

/**
 * The original classification: NEW→IN_PROGRESS and IN_PROGRESS→RESOLVED are "progress",
 * RESOLVED→NEW is "reopen", RESOLVED→IN_PROGRESS and IN_PROGRESS→NEW are "regress", anything else (including the
 * same category and NEW→RESOLVED) is "same-category". Every transition is allowed for holders of issue:edit.
 */
export function classifyStatusTransition(from: StatusCategory, to: StatusCategory): TransitionKind {
  if (from === to) return "same-category";
  if ((from === "NEW" && to === "IN_PROGRESS") || (from === "IN_PROGRESS" && to === "RESOLVED")) return "progress";
  if (from === "RESOLVED" && to === "NEW") return "reopen";
  if ((from === "RESOLVED" && to === "IN_PROGRESS") || (from === "IN_PROGRESS" && to === "NEW")) return "regress";
  return "same-category";
}

export type ResolvedAtEffect = "set" | "clear" | "keep";

/** Entering the RESOLVED category stamps resolvedAt, leaving it clears it, RESOLVED→RESOLVED keeps the stamp. */
export function resolvedAtEffect(from: StatusCategory, to: StatusCategory): ResolvedAtEffect {
  const wasResolved = from === "RESOLVED";
  const isResolved = to === "RESOLVED";
  if (!wasResolved && isResolved) return "set";
  if (wasResolved && !isResolved) return "clear";
  return "keep";
}

/** The resolvedAt value after a move from `from` to `to`. */
export function nextResolvedAt(current: Date | null, from: StatusCategory, to: StatusCategory, now: Date): Date | null {
  switch (resolvedAtEffect(from, to)) {
    case "set":
      return now;
    case "clear":
      return null;
    default:
      // RESOLVED→RESOLVED keeps the original stamp; a resolved issue without one (legacy data) gets one now.
      return to === "RESOLVED" ? (current ?? now) : null;
  }
}

export type StatusActivityType = "RESOLVED" | "REOPENED" | "STATUS_CHANGED";

export function statusActivityType(from: StatusCategory, to: StatusCategory): StatusActivityType {
  const effect = resolvedAtEffect(from, to);
  if (effect === "set") return "RESOLVED";
  if (effect === "clear") return "REOPENED";
  return "STATUS_CHANGED";
}

export interface StatusRef {
  id: string;
  organizationId: string;
  category: string;
}

export type StatusChangeCheck =
  | { ok: true; changed: boolean; effect: ResolvedAtEffect; activity: StatusActivityType | null; kind: TransitionKind }
  | { ok: false; reason: "forbidden" | "issue-not-found" | "status-not-found" | "invalid-category" };

/**
 * Validates a status change: permission, the issue and the target status in the caller's organization, a valid
 * category. An activity (history row) is needed only when the status id changes.
 */
export function validateStatusChange(input: {
  canEdit: boolean;
  organizationId: string;
  issue: { organizationId: string; statusId: string; category: string } | null;
  target: StatusRef | null;
}): StatusChangeCheck {
  if (!input.canEdit) return { ok: false, reason: "forbidden" };
  if (!input.issue || input.issue.organizationId !== input.organizationId)
    return { ok: false, reason: "issue-not-found" };
  if (!input.target || input.target.organizationId !== input.organizationId)
    return { ok: false, reason: "status-not-found" };
  if (!isStatusCategory(input.issue.category) || !isStatusCategory(input.target.category)) {
    return { ok: false, reason: "invalid-category" };
  }
  const from = input.issue.category;
  const to = input.target.category;
  const changed = input.issue.statusId !== input.target.id;
  return {
    ok: true,
    changed,
    effect: changed ? resolvedAtEffect(from, to) : "keep",
    activity: changed ? statusActivityType(from, to) : null,
    kind: classifyStatusTransition(from, to),
  };
}

// -------------------------------------------------------------------------------------------------------------------
// Assignment

export type AssignmentChange = "assign" | "unassign" | "reassign" | "none";

export function classifyAssignmentChange(currentId: string | null, nextId: string | null): AssignmentChange {
  if (currentId === nextId) return "none";
  if (!currentId) return "assign";
  if (!nextId) return "unassign";
  return "reassign";
}

/**
 * What an assignment change causes: a history row whenever the assignee changes; a notification to the new assignee
 * unless there is none or they assigned themselves.
 */
export function assignmentEffects(change: AssignmentChange, actorId: string | null, nextId: string | null) {
  return {
    activity: change !== "none",
    notifyAssignee: (change === "assign" || change === "reassign") && nextId !== null && nextId !== actorId,
  };
}

export type AssignmentCheck =
  | { ok: true; change: Exclude<AssignmentChange, "none"> }
  | { ok: false; reason: "issue-not-found" | "not-a-member" | "membership-mismatch" | "unchanged" };

/**
 * Validates an assignment. `assignee` null means "unassign". The membership must be in the caller's organization
 * and belong to the user being assigned. Assigning the current assignee (or unassigning an unassigned issue) is
 * rejected; reassignment is allowed.
 */
export function validateAssignment(input: {
  organizationId: string;
  issue: { organizationId: string; assignedToId: string | null } | null;
  assignee: { userId: string; membership: { userId: string; organizationId: string } | null } | null;
}): AssignmentCheck {
  const { issue, assignee, organizationId } = input;
  if (!issue || issue.organizationId !== organizationId) return { ok: false, reason: "issue-not-found" };
  if (assignee) {
    if (!assignee.membership || assignee.membership.organizationId !== organizationId) {
      return { ok: false, reason: "not-a-member" };
    }
    if (assignee.membership.userId !== assignee.userId) return { ok: false, reason: "membership-mismatch" };
  }
  const change = classifyAssignmentChange(issue.assignedToId, assignee?.userId ?? null);
  if (change === "none") return { ok: false, reason: "unchanged" };
  return { ok: true, change };
}

export const ASSIGNMENT_MESSAGES: Readonly<Record<Exclude<AssignmentCheck, { ok: true }>["reason"], string>> = {
  "issue-not-found": "That issue does not exist.",
  "not-a-member": "Pick a member of this organization.",
  "membership-mismatch": "Pick a member of this organization.",
  unchanged: "The issue already has that assignee.",
};

// -------------------------------------------------------------------------------------------------------------------
// Creation

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface CreationInput {
  organizationId: string;
  title: unknown;
  description?: unknown;
  machine: { id: string; organizationId: string } | null;
  defaultStatus: { organizationId: string; isDefault: boolean } | null;
  defaultPriority: { organizationId: string; isDefault: boolean } | null;
  reporterEmail?: unknown;
  submitterName?: unknown;
}

export interface CreationData {
  title: string;
  description?: string;
  reporterEmail?: string;
  submitterName?: string;
}

export type CreationCheck = { ok: true; data: CreationData } | { ok: false; errors: Record<string, string> };

/**
 * Validates a new issue: title required (trimmed, ≤255), description optional (≤10,000, empty dropped), the machine
 * in the caller's organization, the organization's default status and priority present (and really the defaults),
 * an optional reporter e-mail that looks like one, an optional submitter name ≤100.
 */
export function validateIssueCreation(input: CreationInput): CreationCheck {
  const errors: Record<string, string> = {};
  const title = typeof input.title === "string" ? input.title.trim() : "";
  if (!title) errors.title = "Give the problem a short title";
  else if ([...title].length > ISSUE_LIMITS.title) errors.title = "Keep the title under 255 characters";

  let description: string | undefined;
  if (input.description !== undefined && input.description !== null) {
    if (typeof input.description !== "string") errors.description = "Invalid description";
    else {
      const d = input.description.trim();
      if ([...d].length > ISSUE_LIMITS.description) errors.description = "Keep the description under 10,000 characters";
      else if (d) description = d;
    }
  }

  let reporterEmail: string | undefined;
  if (typeof input.reporterEmail === "string" && input.reporterEmail.trim()) {
    const e = input.reporterEmail.trim().toLowerCase();
    if (e.length > 254 || !EMAIL.test(e)) errors.reporterEmail = "Enter a valid email address";
    else reporterEmail = e;
  }

  let submitterName: string | undefined;
  if (typeof input.submitterName === "string" && input.submitterName.trim()) {
    const n = input.submitterName.trim();
    if ([...n].length > ISSUE_LIMITS.submitterName) errors.submitterName = "Keep your name under 100 characters";
    else submitterName = n;
  }

  if (!input.machine || input.machine.organizationId !== input.organizationId) errors.machineId = "Pick a machine";
  if (
    !input.defaultStatus ||
    input.defaultStatus.organizationId !== input.organizationId ||
    !input.defaultStatus.isDefault
  ) {
    errors.form = "This organization has no default status; an admin must choose one.";
  }
  if (
    !input.defaultPriority ||
    input.defaultPriority.organizationId !== input.organizationId ||
    !input.defaultPriority.isDefault
  ) {
    errors.form ??= "This organization has no default priority; an admin must choose one.";
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const data: CreationData = { title };
  if (description) data.description = description;
  if (reporterEmail) data.reporterEmail = reporterEmail;
  if (submitterName) data.submitterName = submitterName;
  return { ok: true, data };
}

/** Who hears about a new issue: the machine owner (per toggles) — for anonymous and member reports alike. */
export function creationEffects(input: { anonymous: boolean }) {
  return { history: true, ownerNotification: true, reporterIsMember: !input.anonymous };
}

// -------------------------------------------------------------------------------------------------------------------
// Comments

export function validateCommentContent(content: unknown): { ok: true; content: string } | { ok: false; error: string } {
  if (typeof content !== "string") return { ok: false, error: "Write a comment" };
  const c = content.trim();
  if (!c) return { ok: false, error: "Write a comment" };
  if ([...c].length > ISSUE_LIMITS.comment) return { ok: false, error: "Keep comments under 1,000 characters" };
  return { ok: true, content: c };
}

/** Edit: own, not deleted, and issue:edit. */
export function canEditComment(input: {
  actorId: string;
  authorId: string;
  deleted: boolean;
  canEdit: boolean;
}): boolean {
  return input.canEdit && !input.deleted && input.actorId === input.authorId;
}

/** Soft delete: not already deleted; the author, or anyone holding issue:delete. */
export function canDeleteComment(input: {
  actorId: string;
  authorId: string;
  deleted: boolean;
  canDeleteOthers: boolean;
}) {
  return !input.deleted && (input.actorId === input.authorId || input.canDeleteOthers);
}

// -------------------------------------------------------------------------------------------------------------------
// Statuses & priorities administration

export interface AdminStatusRow {
  id: string;
  category: string;
  isDefault: boolean;
}

/**
 * Whether a status can be deleted: never the default (choose another default first), and never the last status of
 * a category (an organization needs an Open, an In progress and a Closed status for the workflow).
 */
export function statusDeletionProblem(all: readonly AdminStatusRow[], id: string): string | null {
  const row = all.find((s) => s.id === id);
  if (!row) return "That status does not exist.";
  if (row.isDefault) return "This is the default status for new issues. Choose another default first.";
  if (all.filter((s) => s.category === row.category).length <= 1) {
    return `This is the only ${CATEGORY_LABELS[row.category as StatusCategory] ?? row.category} status; keep at least one.`;
  }
  return null;
}

/** Whether a status can move to another category: the default must stay Open, and no category may become empty. */
export function statusCategoryChangeProblem(
  all: readonly AdminStatusRow[],
  id: string,
  category: StatusCategory,
): string | null {
  const row = all.find((s) => s.id === id);
  if (!row) return "That status does not exist.";
  if (row.category === category) return null;
  if (row.isDefault && category !== "NEW") return "The default status must be an Open status.";
  if (all.filter((s) => s.category === row.category).length <= 1) {
    return `This is the only ${CATEGORY_LABELS[row.category as StatusCategory] ?? row.category} status; keep at least one.`;
  }
  return null;
}

/** The new default status must be in the Open category (new issues start open). */
export function defaultStatusProblem(row: AdminStatusRow | undefined): string | null {
  if (!row) return "That status does not exist.";
  if (row.category !== "NEW") return "The default status must be an Open status.";
  return null;
}

/** Moves item `id` one step up or down in `ids` (display order); returns the new order, unchanged at the ends. */
export function moveInOrder(ids: readonly string[], id: string, direction: "up" | "down"): string[] {
  const out = [...ids];
  const i = out.indexOf(id);
  if (i < 0) return out;
  const j = direction === "up" ? i - 1 : i + 1;
  if (j < 0 || j >= out.length) return out;
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

// -------------------------------------------------------------------------------------------------------------------
// Notifications (who hears about what; db/queries/notifications.server.ts writes the rows)

export type NotificationEvent = "created" | "status" | "assigned" | "commented";
export type RecipientRole = "owner" | "reporter" | "assignee" | "watcher";

export interface NotificationParties {
  /** The machine owner and the machine's toggles; isMember = still a member of the issue's organization. */
  owner: {
    userId: string;
    isMember: boolean;
    ownerNotificationsEnabled: boolean;
    notifyOnNewIssues: boolean;
    notifyOnStatusChanges: boolean;
    notifyOnComments: boolean;
  } | null;
  /** The reporter when the issue was reported by a signed-in user. */
  reporter: { userId: string; isMember: boolean } | null;
  /** The current (for "assigned": the new) assignee. */
  assignee: { userId: string; isMember: boolean } | null;
  /** Members watching the issue or its machine (docs/decisions/041-floor-presence-maintenance-watchers.md). */
  watchers?: readonly { userId: string; isMember: boolean }[];
}

/**
 * Recipients of an event, each once, never the actor, only current members of the organization:
 * - created: the machine owner (master toggle + notifyOnNewIssues);
 * - status: the machine owner (master toggle + notifyOnStatusChanges) and the reporter;
 * - assigned: the new assignee (not when assigning yourself);
 * - commented: the assignee, the reporter and the machine owner (master toggle + notifyOnComments);
 * - every event: the watchers of the issue and of its machine, after the people above.
 */
export function notificationRecipients(
  event: NotificationEvent,
  parties: NotificationParties,
  actorId: string | null,
): { userId: string; role: RecipientRole }[] {
  const out: { userId: string; role: RecipientRole }[] = [];
  const add = (p: { userId: string; isMember: boolean } | null, role: RecipientRole) => {
    if (!p || !p.isMember || p.userId === actorId || out.some((o) => o.userId === p.userId)) return;
    out.push({ userId: p.userId, role });
  };
  const owner = parties.owner;
  const ownerWants = (flag: "notifyOnNewIssues" | "notifyOnStatusChanges" | "notifyOnComments") =>
    owner && owner.ownerNotificationsEnabled && owner[flag] ? owner : null;
  switch (event) {
    case "created":
      add(ownerWants("notifyOnNewIssues"), "owner");
      break;
    case "status":
      add(ownerWants("notifyOnStatusChanges"), "owner");
      add(parties.reporter, "reporter");
      break;
    case "assigned":
      add(parties.assignee, "assignee");
      break;
    case "commented":
      add(parties.assignee, "assignee");
      add(parties.reporter, "reporter");
      add(ownerWants("notifyOnComments"), "owner");
      break;
  }
  for (const w of parties.watchers ?? []) add(w, "watcher");
  return out;
}
