/**
 * Where a machine physically is. Only a machine on the floor can be played: it takes reports on its public page,
 * shows on the status board, and is the only one whose open problems count as downtime. Pure: used by the pages,
 * the queries' filters and the reliability figures.
 */
export const MACHINE_PRESENCES = ["on_floor", "off_floor", "on_loan", "pending_arrival", "removed"] as const;

export type MachinePresence = (typeof MACHINE_PRESENCES)[number];

export const ON_FLOOR: MachinePresence = "on_floor";

export const PRESENCE_LABEL: Record<MachinePresence, string> = {
  on_floor: "On the floor",
  off_floor: "Off the floor",
  on_loan: "On loan",
  pending_arrival: "Pending arrival",
  removed: "Removed",
};

export function isMachinePresence(value: unknown): value is MachinePresence {
  return typeof value === "string" && (MACHINE_PRESENCES as readonly string[]).includes(value);
}

/**
 * The one rule for "is this machine on the floor": anything else (off the floor, on loan, pending arrival, removed)
 * takes no reports, leaves the status board, and must not count as downtime. An unknown value counts as off.
 */
export function isOnFloor(presence: string | null | undefined): boolean {
  return presence === ON_FLOOR;
}

/** What the public page shows instead of the report form. */
export const NOT_ON_FLOOR_MESSAGE = "This machine is not on the floor right now.";
