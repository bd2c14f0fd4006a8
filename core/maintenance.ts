/** The maintenance log's vocabulary and rules (app/use-cases/maintenance.server.ts writes it). Pure. */

export const MAINTENANCE_TAGS = ["maintenance", "parts", "adjustment", "upgrade", "cleaning"] as const;

export type MaintenanceTag = (typeof MAINTENANCE_TAGS)[number];

export const MAINTENANCE_TAG_LABEL: Record<MaintenanceTag, string> = {
  maintenance: "Maintenance",
  parts: "Parts",
  adjustment: "Adjustment",
  upgrade: "Upgrade",
  cleaning: "Cleaning",
};

export function isMaintenanceTag(value: unknown): value is MaintenanceTag {
  return typeof value === "string" && (MAINTENANCE_TAGS as readonly string[]).includes(value);
}

export const MAINTENANCE_LIMITS = {
  contentChars: 4000,
  photosPerNote: 3,
  /** Earliest date a note may carry. */
  earliestDay: "1900-01-01",
  /** Machine timeline page size (issues and notes together). */
  timelinePageSize: 20,
} as const;

/** yyyy-mm-dd of a Date in UTC. */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Whether `day` (yyyy-mm-dd) is a real calendar day a note may carry: not before 1900 and not after tomorrow (UTC;
 * a day of slack, so a venue west or east of UTC can log "today" at any hour).
 */
export function isAllowedNoteDay(day: string, now: Date = new Date()): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const parsed = new Date(`${day}T00:00:00.000Z`);
  if (Number.isNaN(parsed.getTime()) || dayOf(parsed) !== day) return false;
  const tomorrow = dayOf(new Date(now.getTime() + 24 * 3600 * 1000));
  return day >= MAINTENANCE_LIMITS.earliestDay && day <= tomorrow;
}

/**
 * Who may edit or delete a note: anyone holding machine:maintain for their own notes; others' notes also need
 * machine:edit (the people who run the machine's record).
 */
export function mayChangeNote(input: { isAuthor: boolean; canMaintain: boolean; canEditMachine: boolean }): boolean {
  return input.canMaintain && (input.isAuthor || input.canEditMachine);
}

/**
 * Who hears of a new maintenance note: the machine's watchers who are still members of its organization, each once,
 * never its author.
 */
export function maintenanceNoteRecipients(
  watchers: readonly { userId: string; isMember: boolean }[],
  authorId: string,
): string[] {
  return [...new Set(watchers.filter((w) => w.isMember && w.userId !== authorId).map((w) => w.userId))];
}
