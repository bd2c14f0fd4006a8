import { describe, expect, it } from "vitest";
import {
  CATEGORY_LABELS,
  assignmentEffects,
  canDeleteComment,
  canEditComment,
  classifyAssignmentChange,
  classifyStatusTransition,
  creationEffects,
  defaultStatusProblem,
  isStatusCategory,
  moveInOrder,
  nextResolvedAt,
  notificationRecipients,
  resolvedAtEffect,
  statusActivityType,
  statusCategoryChangeProblem,
  statusDeletionProblem,
  validateAssignment,
  validateCommentContent,
  validateIssueCreation,
  validateStatusChange,
  type NotificationParties,
} from "../../core/issue-rules";

const ORG = "org_a";
const OTHER = "org_b";

describe("status categories", () => {
  it("labels categories as Open / In progress / Closed", () => {
    expect(CATEGORY_LABELS).toEqual({ NEW: "Open", IN_PROGRESS: "In progress", RESOLVED: "Closed" });
  });
  it("accepts only the three categories", () => {
    expect(isStatusCategory("NEW")).toBe(true);
    expect(isStatusCategory("IN_PROGRESS")).toBe(true);
    expect(isStatusCategory("RESOLVED")).toBe(true);
    for (const bad of ["new", "CLOSED", "", null, undefined, 1]) expect(isStatusCategory(bad)).toBe(false);
  });
});

describe("statusValidation: transition classification", () => {
  it.each([
    ["NEW", "IN_PROGRESS", "progress"],
    ["IN_PROGRESS", "RESOLVED", "progress"],
    ["RESOLVED", "NEW", "reopen"],
    ["RESOLVED", "IN_PROGRESS", "regress"],
    ["IN_PROGRESS", "NEW", "regress"],
    ["NEW", "NEW", "same-category"],
    ["IN_PROGRESS", "IN_PROGRESS", "same-category"],
    ["RESOLVED", "RESOLVED", "same-category"],
    ["NEW", "RESOLVED", "same-category"],
  ] as const)("%s → %s is %s", (from, to, kind) => {
    expect(classifyStatusTransition(from, to)).toBe(kind);
  });
});

describe("statusValidation: resolvedAt", () => {
  const now = new Date("2026-01-02T03:04:05.678Z");
  const earlier = new Date("2025-12-01T00:00:00.000Z");
  it("is set when entering RESOLVED", () => {
    expect(resolvedAtEffect("NEW", "RESOLVED")).toBe("set");
    expect(resolvedAtEffect("IN_PROGRESS", "RESOLVED")).toBe("set");
    expect(nextResolvedAt(null, "IN_PROGRESS", "RESOLVED", now)).toEqual(now);
  });
  it("is cleared when leaving RESOLVED", () => {
    expect(resolvedAtEffect("RESOLVED", "NEW")).toBe("clear");
    expect(resolvedAtEffect("RESOLVED", "IN_PROGRESS")).toBe("clear");
    expect(nextResolvedAt(earlier, "RESOLVED", "NEW", now)).toBeNull();
  });
  it("is untouched RESOLVED → RESOLVED", () => {
    expect(resolvedAtEffect("RESOLVED", "RESOLVED")).toBe("keep");
    expect(nextResolvedAt(earlier, "RESOLVED", "RESOLVED", now)).toEqual(earlier);
  });
  it("stays empty between open categories", () => {
    expect(resolvedAtEffect("NEW", "IN_PROGRESS")).toBe("keep");
    expect(nextResolvedAt(null, "NEW", "IN_PROGRESS", now)).toBeNull();
  });
  it("stamps legacy resolved issues that had no resolvedAt", () => {
    expect(nextResolvedAt(null, "RESOLVED", "RESOLVED", now)).toEqual(now);
  });
});

describe("statusValidation: activity type", () => {
  it("RESOLVED when closing, REOPENED when leaving Closed, STATUS_CHANGED otherwise", () => {
    expect(statusActivityType("NEW", "RESOLVED")).toBe("RESOLVED");
    expect(statusActivityType("IN_PROGRESS", "RESOLVED")).toBe("RESOLVED");
    expect(statusActivityType("RESOLVED", "NEW")).toBe("REOPENED");
    expect(statusActivityType("RESOLVED", "IN_PROGRESS")).toBe("REOPENED");
    expect(statusActivityType("NEW", "IN_PROGRESS")).toBe("STATUS_CHANGED");
    expect(statusActivityType("RESOLVED", "RESOLVED")).toBe("STATUS_CHANGED");
  });
});

describe("statusValidation: validateStatusChange", () => {
  const issue = { organizationId: ORG, statusId: "s_new", category: "NEW" };
  const target = { id: "s_fixed", organizationId: ORG, category: "RESOLVED" };
  it("requires issue:edit", () => {
    expect(validateStatusChange({ canEdit: false, organizationId: ORG, issue, target })).toEqual({
      ok: false,
      reason: "forbidden",
    });
  });
  it("rejects a missing or cross-org issue", () => {
    expect(validateStatusChange({ canEdit: true, organizationId: ORG, issue: null, target })).toMatchObject({
      reason: "issue-not-found",
    });
    expect(
      validateStatusChange({ canEdit: true, organizationId: ORG, issue: { ...issue, organizationId: OTHER }, target }),
    ).toMatchObject({ reason: "issue-not-found" });
  });
  it("rejects a missing or cross-org status", () => {
    expect(validateStatusChange({ canEdit: true, organizationId: ORG, issue, target: null })).toMatchObject({
      reason: "status-not-found",
    });
    expect(
      validateStatusChange({ canEdit: true, organizationId: ORG, issue, target: { ...target, organizationId: OTHER } }),
    ).toMatchObject({ reason: "status-not-found" });
  });
  it("rejects invalid categories", () => {
    expect(
      validateStatusChange({ canEdit: true, organizationId: ORG, issue, target: { ...target, category: "DONE" } }),
    ).toMatchObject({ reason: "invalid-category" });
  });
  it("needs an activity only when the status id changes", () => {
    const changed = validateStatusChange({ canEdit: true, organizationId: ORG, issue, target });
    expect(changed).toEqual({ ok: true, changed: true, effect: "set", activity: "RESOLVED", kind: "same-category" });
    const same = validateStatusChange({
      canEdit: true,
      organizationId: ORG,
      issue,
      target: { id: "s_new", organizationId: ORG, category: "NEW" },
    });
    expect(same).toMatchObject({ ok: true, changed: false, activity: null, effect: "keep" });
  });
  it("allows a move between two statuses of one category with a STATUS_CHANGED activity", () => {
    const r = validateStatusChange({
      canEdit: true,
      organizationId: ORG,
      issue: { organizationId: ORG, statusId: "s_fixed", category: "RESOLVED" },
      target: { id: "s_norepro", organizationId: ORG, category: "RESOLVED" },
    });
    expect(r).toMatchObject({ ok: true, changed: true, activity: "STATUS_CHANGED", effect: "keep" });
  });
});

describe("assignmentValidation", () => {
  const issue = { organizationId: ORG, assignedToId: null as string | null };
  const member = (userId: string, org = ORG) => ({ userId, membership: { userId, organizationId: org } });

  it("accepts assigning a member of the organization", () => {
    expect(validateAssignment({ organizationId: ORG, issue, assignee: member("u1") })).toEqual({
      ok: true,
      change: "assign",
    });
  });
  it("rejects a null or cross-org issue", () => {
    expect(validateAssignment({ organizationId: ORG, issue: null, assignee: member("u1") })).toMatchObject({
      reason: "issue-not-found",
    });
    expect(
      validateAssignment({ organizationId: ORG, issue: { ...issue, organizationId: OTHER }, assignee: member("u1") }),
    ).toMatchObject({ reason: "issue-not-found" });
  });
  it("rejects a missing, cross-org or mismatched membership", () => {
    expect(
      validateAssignment({ organizationId: ORG, issue, assignee: { userId: "u1", membership: null } }),
    ).toMatchObject({
      reason: "not-a-member",
    });
    expect(validateAssignment({ organizationId: ORG, issue, assignee: member("u1", OTHER) })).toMatchObject({
      reason: "not-a-member",
    });
    expect(
      validateAssignment({
        organizationId: ORG,
        issue,
        assignee: { userId: "u1", membership: { userId: "u2", organizationId: ORG } },
      }),
    ).toMatchObject({ reason: "membership-mismatch" });
  });
  it("rejects assigning the current assignee, and unassigning an unassigned issue", () => {
    expect(
      validateAssignment({ organizationId: ORG, issue: { ...issue, assignedToId: "u1" }, assignee: member("u1") }),
    ).toMatchObject({ ok: false, reason: "unchanged" });
    expect(validateAssignment({ organizationId: ORG, issue, assignee: null })).toMatchObject({
      ok: false,
      reason: "unchanged",
    });
  });
  it("allows reassignment and unassignment", () => {
    expect(
      validateAssignment({ organizationId: ORG, issue: { ...issue, assignedToId: "u1" }, assignee: member("u2") }),
    ).toEqual({
      ok: true,
      change: "reassign",
    });
    expect(
      validateAssignment({ organizationId: ORG, issue: { ...issue, assignedToId: "u1" }, assignee: null }),
    ).toEqual({
      ok: true,
      change: "unassign",
    });
  });
  it("classifies changes", () => {
    expect(classifyAssignmentChange(null, "u1")).toBe("assign");
    expect(classifyAssignmentChange("u1", null)).toBe("unassign");
    expect(classifyAssignmentChange("u1", "u2")).toBe("reassign");
    expect(classifyAssignmentChange("u1", "u1")).toBe("none");
    expect(classifyAssignmentChange(null, null)).toBe("none");
  });
  it("needs an activity for every change and notifies a new assignee who is not the actor", () => {
    expect(assignmentEffects("assign", "actor", "u1")).toEqual({ activity: true, notifyAssignee: true });
    expect(assignmentEffects("reassign", "actor", "u2")).toEqual({ activity: true, notifyAssignee: true });
    expect(assignmentEffects("assign", "u1", "u1")).toEqual({ activity: true, notifyAssignee: false });
    expect(assignmentEffects("unassign", "actor", null)).toEqual({ activity: true, notifyAssignee: false });
    expect(assignmentEffects("none", "actor", "u1")).toEqual({ activity: false, notifyAssignee: false });
  });
});

describe("creationValidation", () => {
  const base = {
    organizationId: ORG,
    title: "Left flipper weak",
    machine: { id: "m1", organizationId: ORG },
    defaultStatus: { organizationId: ORG, isDefault: true },
    defaultPriority: { organizationId: ORG, isDefault: true },
  };
  it("accepts a valid issue and trims the title", () => {
    expect(validateIssueCreation({ ...base, title: "  Left flipper weak  " })).toEqual({
      ok: true,
      data: { title: "Left flipper weak" },
    });
  });
  it("requires a title of at most 255 characters (255 is fine)", () => {
    expect(validateIssueCreation({ ...base, title: "" })).toMatchObject({
      ok: false,
      errors: { title: expect.any(String) },
    });
    expect(validateIssueCreation({ ...base, title: "   " })).toMatchObject({ ok: false });
    expect(validateIssueCreation({ ...base, title: 42 })).toMatchObject({ ok: false });
    expect(validateIssueCreation({ ...base, title: "x".repeat(255) }).ok).toBe(true);
    expect(validateIssueCreation({ ...base, title: "x".repeat(256) })).toMatchObject({
      ok: false,
      errors: { title: expect.any(String) },
    });
  });
  it("counts unicode characters, not UTF-16 units", () => {
    expect(validateIssueCreation({ ...base, title: "🎱".repeat(255) }).ok).toBe(true);
    expect(validateIssueCreation({ ...base, title: "Flipper ñandú 日本" })).toMatchObject({
      ok: true,
      data: { title: "Flipper ñandú 日本" },
    });
  });
  it("limits the description (10,000 is fine) and drops an empty one", () => {
    expect(validateIssueCreation({ ...base, description: "d".repeat(10_000) }).ok).toBe(true);
    expect(validateIssueCreation({ ...base, description: "d".repeat(10_001) })).toMatchObject({
      ok: false,
      errors: { description: expect.any(String) },
    });
    expect(validateIssueCreation({ ...base, description: "   " })).toEqual({
      ok: true,
      data: { title: "Left flipper weak" },
    });
    expect(validateIssueCreation({ ...base, description: "  Sticks  " })).toMatchObject({
      data: { description: "Sticks" },
    });
  });
  it("requires the machine in the organization", () => {
    expect(validateIssueCreation({ ...base, machine: null })).toMatchObject({
      ok: false,
      errors: { machineId: expect.any(String) },
    });
    expect(validateIssueCreation({ ...base, machine: { id: "m1", organizationId: OTHER } })).toMatchObject({
      ok: false,
    });
  });
  it("requires the organization's default status and priority", () => {
    expect(validateIssueCreation({ ...base, defaultStatus: null })).toMatchObject({
      ok: false,
      errors: { form: expect.any(String) },
    });
    expect(validateIssueCreation({ ...base, defaultStatus: { organizationId: OTHER, isDefault: true } }).ok).toBe(
      false,
    );
    expect(validateIssueCreation({ ...base, defaultStatus: { organizationId: ORG, isDefault: false } }).ok).toBe(false);
    expect(validateIssueCreation({ ...base, defaultPriority: null }).ok).toBe(false);
    expect(validateIssueCreation({ ...base, defaultPriority: { organizationId: OTHER, isDefault: true } }).ok).toBe(
      false,
    );
    expect(validateIssueCreation({ ...base, defaultPriority: { organizationId: ORG, isDefault: false } }).ok).toBe(
      false,
    );
  });
  it("validates the optional reporter e-mail and submitter name", () => {
    expect(validateIssueCreation({ ...base, reporterEmail: "not-an-email" })).toMatchObject({
      ok: false,
      errors: { reporterEmail: expect.any(String) },
    });
    expect(validateIssueCreation({ ...base, reporterEmail: " Player@Example.COM " })).toMatchObject({
      data: { reporterEmail: "player@example.com" },
    });
    expect(validateIssueCreation({ ...base, reporterEmail: "" })).toEqual({
      ok: true,
      data: { title: "Left flipper weak" },
    });
    expect(validateIssueCreation({ ...base, submitterName: "n".repeat(101) }).ok).toBe(false);
    expect(validateIssueCreation({ ...base, submitterName: " Alex " })).toMatchObject({
      data: { submitterName: "Alex" },
    });
  });
  it("describes the effects of anonymous and member reports", () => {
    expect(creationEffects({ anonymous: true })).toEqual({
      history: true,
      ownerNotification: true,
      reporterIsMember: false,
    });
    expect(creationEffects({ anonymous: false })).toEqual({
      history: true,
      ownerNotification: true,
      reporterIsMember: true,
    });
  });
});

describe("comments", () => {
  it("accepts 1–1000 characters, trimmed", () => {
    expect(validateCommentContent("  ok  ")).toEqual({ ok: true, content: "ok" });
    expect(validateCommentContent("c".repeat(1000)).ok).toBe(true);
    expect(validateCommentContent("c".repeat(1001)).ok).toBe(false);
    expect(validateCommentContent("   ").ok).toBe(false);
    expect(validateCommentContent(undefined).ok).toBe(false);
  });
  it("lets only the author with issue:edit edit a live comment", () => {
    expect(canEditComment({ actorId: "a", authorId: "a", deleted: false, canEdit: true })).toBe(true);
    expect(canEditComment({ actorId: "b", authorId: "a", deleted: false, canEdit: true })).toBe(false);
    expect(canEditComment({ actorId: "a", authorId: "a", deleted: false, canEdit: false })).toBe(false);
    expect(canEditComment({ actorId: "a", authorId: "a", deleted: true, canEdit: true })).toBe(false);
  });
  it("lets the author, or issue:delete holders, delete a live comment", () => {
    expect(canDeleteComment({ actorId: "a", authorId: "a", deleted: false, canDeleteOthers: false })).toBe(true);
    expect(canDeleteComment({ actorId: "b", authorId: "a", deleted: false, canDeleteOthers: false })).toBe(false);
    expect(canDeleteComment({ actorId: "b", authorId: "a", deleted: false, canDeleteOthers: true })).toBe(true);
    expect(canDeleteComment({ actorId: "a", authorId: "a", deleted: true, canDeleteOthers: true })).toBe(false);
  });
});

describe("notificationService: recipients", () => {
  const owner = (over: Partial<NonNullable<NotificationParties["owner"]>> = {}) => ({
    userId: "owner",
    isMember: true,
    ownerNotificationsEnabled: true,
    notifyOnNewIssues: true,
    notifyOnStatusChanges: true,
    notifyOnComments: false,
    ...over,
  });
  const parties = (over: Partial<NotificationParties> = {}): NotificationParties => ({
    owner: owner(),
    reporter: { userId: "reporter", isMember: true },
    assignee: { userId: "assignee", isMember: true },
    ...over,
  });
  const ids = (r: { userId: string }[]) => r.map((x) => x.userId);

  it("notifies the owner of a new issue", () => {
    expect(notificationRecipients("created", parties(), null)).toEqual([{ userId: "owner", role: "owner" }]);
  });
  it("suppresses owner notifications by the master toggle, the event toggle, or without an owner", () => {
    expect(
      notificationRecipients("created", parties({ owner: owner({ ownerNotificationsEnabled: false }) }), null),
    ).toEqual([]);
    expect(notificationRecipients("created", parties({ owner: owner({ notifyOnNewIssues: false }) }), null)).toEqual(
      [],
    );
    expect(notificationRecipients("created", parties({ owner: null }), null)).toEqual([]);
    expect(
      ids(notificationRecipients("status", parties({ owner: owner({ notifyOnStatusChanges: false }) }), "x")),
    ).toEqual(["reporter"]);
  });
  it("notifies owner and member reporter of status changes", () => {
    expect(ids(notificationRecipients("status", parties(), "someone"))).toEqual(["owner", "reporter"]);
  });
  it("notifies the new assignee unless they assigned themselves", () => {
    expect(ids(notificationRecipients("assigned", parties(), "someone"))).toEqual(["assignee"]);
    expect(ids(notificationRecipients("assigned", parties(), "assignee"))).toEqual([]);
  });
  it("notifies assignee, reporter and (with notifyOnComments) the owner of comments", () => {
    expect(ids(notificationRecipients("commented", parties(), "someone"))).toEqual(["assignee", "reporter"]);
    expect(
      ids(notificationRecipients("commented", parties({ owner: owner({ notifyOnComments: true }) }), "someone")),
    ).toEqual(["assignee", "reporter", "owner"]);
  });
  it("never notifies the actor, anyone twice, or non-members", () => {
    expect(ids(notificationRecipients("status", parties(), "owner"))).toEqual(["reporter"]);
    expect(
      ids(notificationRecipients("commented", parties({ reporter: { userId: "assignee", isMember: true } }), "x")),
    ).toEqual(["assignee"]);
    expect(
      ids(
        notificationRecipients(
          "status",
          parties({ owner: owner({ isMember: false }), reporter: { userId: "r", isMember: false } }),
          "x",
        ),
      ),
    ).toEqual([]);
  });
});

describe("statuses & priorities administration", () => {
  const all = [
    { id: "new", category: "NEW", isDefault: true },
    { id: "triage", category: "NEW", isDefault: false },
    { id: "wip", category: "IN_PROGRESS", isDefault: false },
    { id: "fixed", category: "RESOLVED", isDefault: false },
  ];
  it("refuses deleting the default or the last status of a category", () => {
    expect(statusDeletionProblem(all, "new")).toMatch(/default/);
    expect(statusDeletionProblem(all, "wip")).toMatch(/only In progress/);
    expect(statusDeletionProblem(all, "fixed")).toMatch(/only Closed/);
    expect(statusDeletionProblem(all, "triage")).toBeNull();
    expect(statusDeletionProblem(all, "nope")).toMatch(/does not exist/);
  });
  it("keeps the default Open and no category empty when re-categorising", () => {
    expect(statusCategoryChangeProblem(all, "new", "IN_PROGRESS")).toMatch(/default/);
    expect(statusCategoryChangeProblem(all, "wip", "NEW")).toMatch(/only In progress/);
    expect(statusCategoryChangeProblem(all, "triage", "IN_PROGRESS")).toBeNull();
    expect(statusCategoryChangeProblem(all, "wip", "IN_PROGRESS")).toBeNull();
  });
  it("requires the default status to be Open", () => {
    expect(defaultStatusProblem(all[1])).toBeNull();
    expect(defaultStatusProblem(all[3])).toMatch(/Open/);
    expect(defaultStatusProblem(undefined)).toMatch(/does not exist/);
  });
  it("moves an item up or down, unchanged at the ends", () => {
    expect(moveInOrder(["a", "b", "c"], "b", "up")).toEqual(["b", "a", "c"]);
    expect(moveInOrder(["a", "b", "c"], "b", "down")).toEqual(["a", "c", "b"]);
    expect(moveInOrder(["a", "b", "c"], "a", "up")).toEqual(["a", "b", "c"]);
    expect(moveInOrder(["a", "b", "c"], "c", "down")).toEqual(["a", "b", "c"]);
    expect(moveInOrder(["a", "b", "c"], "x", "down")).toEqual(["a", "b", "c"]);
  });
});
