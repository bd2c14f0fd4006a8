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

export function deriveMachineStatus({ openIssueCount, maxOpenPriorityOrder, topPriorityOrder }: MachineHealth): MachineStatus {
  if (!openIssueCount || openIssueCount <= 0) return "playable";
  if (maxOpenPriorityOrder != null && topPriorityOrder != null && maxOpenPriorityOrder >= topPriorityOrder) return "down";
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

/** Static class names (Tailwind must see them literally). Colours meet WCAG AA contrast on their backgrounds. */
export const MACHINE_STATUS_BADGE: Record<MachineStatus, string> = {
  playable: "bg-green-100 text-green-900 ring-1 ring-inset ring-green-300",
  degraded: "bg-amber-100 text-amber-900 ring-1 ring-inset ring-amber-300",
  down: "bg-red-100 text-red-900 ring-1 ring-inset ring-red-300",
};

export const MACHINE_STATUS_ICON: Record<MachineStatus, string> = {
  playable: "●",
  degraded: "▲",
  down: "■",
};

export type StatusCategoryName = "NEW" | "IN_PROGRESS" | "RESOLVED";

/** The public words for an issue's status category (as in the original UI). */
export function statusCategoryLabel(category: StatusCategoryName): string {
  if (category === "IN_PROGRESS") return "In progress";
  if (category === "RESOLVED") return "Closed";
  return "Open";
}

// One formatter for the whole process: `toLocaleString` with options builds (and drops) a new Intl.DateTimeFormat on
// every call, which was ~0.7 ms per issue page in the profile (bench/ANALYSIS.md).
const DATE_TIME_UTC = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "Nov 25, 2026, 4:34 AM UTC": absolute time shown next to relative times; UTC so server and browser agree. */
export function formatDateTime(date: Date): string {
  return `${DATE_TIME_UTC.format(date)} UTC`;
}

/** "just now", "5 minutes ago", "3 days ago", "2 months ago" — computed on the server so hydration matches. */
export function timeAgo(date: Date | string, now: Date = new Date()): string {
  const then = typeof date === "string" ? new Date(date) : date;
  const seconds = Math.max(0, Math.round((now.getTime() - then.getTime()) / 1000));
  if (seconds < 60) return "just now";
  const units: Array<[number, string]> = [
    [60 * 60 * 24 * 365, "year"],
    [60 * 60 * 24 * 30, "month"],
    [60 * 60 * 24 * 7, "week"],
    [60 * 60 * 24, "day"],
    [60 * 60, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const n = Math.floor(seconds / size);
      return `${n} ${name}${n === 1 ? "" : "s"} ago`;
    }
  }
  return "just now";
}
