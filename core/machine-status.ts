/**
 * How a machine is doing, in player words, derived from its open issues (status category NEW or IN_PROGRESS).
 * Pure: used by loaders (lists, public machine page) and unit-tested.
 *
 * Rule (documented in the UI copy too):
 * - "down"     — at least one open issue has the organization's most severe priority (highest `Priority.order`,
 *                "Critical" in the default set): the machine is out of order.
 * - "degraded" — at least one open issue, none of them at the most severe priority: playable, with known problems.
 * - "playable" — no open issues.
 */
export type MachineStatus = "playable" | "degraded" | "down";

export const MACHINE_STATUSES: readonly MachineStatus[] = ["playable", "degraded", "down"];

export interface MachineHealth {
  /** Open (not RESOLVED-category) issues of the machine. */
  openIssueCount: number;
  /** Highest `Priority.order` among the open issues, null when there are none. */
  maxOpenPriorityOrder: number | null;
  /** Highest `Priority.order` of the organization (the "machine down" priority), null when it has none. */
  topPriorityOrder: number | null;
}

export function deriveMachineStatus({
  openIssueCount,
  maxOpenPriorityOrder,
  topPriorityOrder,
}: MachineHealth): MachineStatus {
  if (!openIssueCount || openIssueCount <= 0) return "playable";
  if (maxOpenPriorityOrder != null && topPriorityOrder != null && maxOpenPriorityOrder >= topPriorityOrder)
    return "down";
  return "degraded";
}

export function isMachineStatus(value: unknown): value is MachineStatus {
  return typeof value === "string" && (MACHINE_STATUSES as readonly string[]).includes(value);
}

export const MACHINE_STATUS_LABEL: Record<MachineStatus, string> = {
  playable: "Playable",
  degraded: "Degraded",
  down: "Down",
};

export const MACHINE_STATUS_DESCRIPTION: Record<MachineStatus, string> = {
  playable: "No known problems.",
  degraded: "Playable, with known problems.",
  down: "Out of order: a critical problem was reported.",
};
