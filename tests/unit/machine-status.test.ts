import { describe, expect, it } from "vitest";
import { CATEGORY_LABELS } from "../../core/issue-rules";
import { deriveMachineStatus, isMachineStatus } from "../../core/machine-status";

describe("deriveMachineStatus", () => {
  const top = 4; // Critical in the default priorities (Low 1, Medium 2, High 3, Critical 4)

  it("is playable without open issues", () => {
    expect(deriveMachineStatus({ openIssueCount: 0, maxOpenPriorityOrder: null, topPriorityOrder: top })).toBe(
      "playable",
    );
  });

  it("ignores a stale max order when nothing is open", () => {
    expect(deriveMachineStatus({ openIssueCount: 0, maxOpenPriorityOrder: 4, topPriorityOrder: top })).toBe("playable");
  });

  it("is degraded with open issues below the most severe priority", () => {
    for (const order of [1, 2, 3]) {
      expect(deriveMachineStatus({ openIssueCount: 2, maxOpenPriorityOrder: order, topPriorityOrder: top })).toBe(
        "degraded",
      );
    }
  });

  it("is down when an open issue has the organization's most severe priority", () => {
    expect(deriveMachineStatus({ openIssueCount: 1, maxOpenPriorityOrder: 4, topPriorityOrder: top })).toBe("down");
    expect(deriveMachineStatus({ openIssueCount: 3, maxOpenPriorityOrder: 5, topPriorityOrder: top })).toBe("down");
  });

  it("follows the organization's own scale, not fixed names", () => {
    expect(deriveMachineStatus({ openIssueCount: 1, maxOpenPriorityOrder: 3, topPriorityOrder: 3 })).toBe("down");
    expect(deriveMachineStatus({ openIssueCount: 1, maxOpenPriorityOrder: 3, topPriorityOrder: 10 })).toBe("degraded");
  });

  it("is degraded (never down) when the organization has no priorities or the order is unknown", () => {
    expect(deriveMachineStatus({ openIssueCount: 1, maxOpenPriorityOrder: 2, topPriorityOrder: null })).toBe(
      "degraded",
    );
    expect(deriveMachineStatus({ openIssueCount: 1, maxOpenPriorityOrder: null, topPriorityOrder: 4 })).toBe(
      "degraded",
    );
  });
});

describe("labels", () => {
  it("maps status categories to public words (one set, core/issue-rules.ts)", () => {
    expect(CATEGORY_LABELS).toEqual({ NEW: "Open", IN_PROGRESS: "In progress", RESOLVED: "Closed" });
  });

  it("recognises status filter values", () => {
    expect(isMachineStatus("down")).toBe(true);
    expect(isMachineStatus("broken")).toBe(false);
    expect(isMachineStatus(undefined)).toBe(false);
  });
});
