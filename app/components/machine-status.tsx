import { MACHINE_STATUS_DESCRIPTION, MACHINE_STATUS_LABEL, type MachineStatus } from "../../core/machine-status";

/** Static class names (Tailwind must see them literally). Colours meet WCAG AA contrast on their backgrounds. */
const MACHINE_STATUS_BADGE: Record<MachineStatus, string> = {
  playable: "bg-green-100 text-green-900 ring-1 ring-inset ring-green-300",
  degraded: "bg-amber-100 text-amber-900 ring-1 ring-inset ring-amber-300",
  down: "bg-red-100 text-red-900 ring-1 ring-inset ring-red-300",
};

const MACHINE_STATUS_ICON: Record<MachineStatus, string> = {
  playable: "●",
  degraded: "▲",
  down: "■",
};

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
