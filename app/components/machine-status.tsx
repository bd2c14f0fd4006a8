import {
  MACHINE_STATUS_BADGE,
  MACHINE_STATUS_DESCRIPTION,
  MACHINE_STATUS_ICON,
  MACHINE_STATUS_LABEL,
  type MachineStatus,
} from "~/lib/machine-status";

/** Status pill: colour plus a shape and a word, so it never relies on colour alone. */
export function MachineStatusBadge({ status, large = false }: { status: MachineStatus; large?: boolean }) {
  return (
    <span
      className={`badge ${MACHINE_STATUS_BADGE[status]} ${large ? "px-3 py-1 text-sm font-semibold" : ""}`}
      title={MACHINE_STATUS_DESCRIPTION[status]}
    >
      <span aria-hidden="true" className="mr-1">
        {MACHINE_STATUS_ICON[status]}
      </span>
      {MACHINE_STATUS_LABEL[status]}
    </span>
  );
}
