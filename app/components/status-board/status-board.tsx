/**
 * The venue status board's parts (app/routes/status.tsx): totals, one section per location, one row per machine.
 * `tv` is the large-type, high-contrast variant for a screen across the room; both work without JavaScript.
 */
import { MACHINE_STATUS_DESCRIPTION, MACHINE_STATUSES, type MachineStatus } from "../../../core/machine-status";
import type { StatusBoardLocation, StatusBoardMachine } from "../../lib/status-board";
import { MachineStatusBadge } from "../machine-status";

/** Static class names (Tailwind must see them literally): solid fills, readable from a distance. */
const TV_PILL: Record<MachineStatus, string> = {
  playable: "bg-green-800 text-white",
  degraded: "bg-amber-300 text-slate-950",
  down: "bg-red-700 text-white",
};

const ICON: Record<MachineStatus, string> = { playable: "●", degraded: "▲", down: "■" };

function StatusPill({ m, tv }: { m: StatusBoardMachine; tv: boolean }) {
  if (!tv) return <MachineStatusBadge status={m.status} large />;
  return (
    <span className={`inline-flex items-center gap-2 rounded-lg px-4 py-1 font-bold ${TV_PILL[m.status]}`}>
      <span aria-hidden="true">{ICON[m.status]}</span>
      {m.statusLabel}
    </span>
  );
}

function problems(n: number): string {
  return n === 0 ? "No open problems" : n === 1 ? "1 open problem" : `${n} open problems`;
}

export function BoardTotals({
  totals,
  tv,
}: {
  totals: Record<MachineStatus, number> & { machines: number };
  tv: boolean;
}) {
  return (
    <ul aria-label="Totals" className={`flex flex-wrap gap-x-6 gap-y-2 ${tv ? "text-3xl font-bold" : "text-base"}`}>
      {MACHINE_STATUSES.map((s) => (
        <li key={s} data-total={s}>
          <span aria-hidden="true">{ICON[s]}</span> {totals[s]} {s}
        </li>
      ))}
    </ul>
  );
}

interface BoardOptions {
  tv: boolean;
  canViewIssues: boolean;
  /** How far back "last update" looks, in days. */
  windowDays: number;
}

function MachineRow({ m, tv, canViewIssues, windowDays }: BoardOptions & { m: StatusBoardMachine }) {
  return (
    <li
      data-machine-id={m.id}
      data-status={m.status}
      className={
        tv
          ? "flex flex-wrap items-center justify-between gap-x-6 gap-y-2 border-b-2 border-slate-700 py-4"
          : "card flex flex-wrap items-start justify-between gap-x-4 gap-y-2"
      }
    >
      <div className="min-w-0">
        <a href={m.path} className={tv ? "text-4xl font-bold text-slate-50 underline" : "text-lg font-semibold"}>
          {m.name}
        </a>
        {m.subtitle ? <p className={tv ? "text-2xl text-slate-200" : "text-sm text-slate-600"}>{m.subtitle}</p> : null}
        {canViewIssues ? (
          <p className={tv ? "text-2xl text-slate-200" : "text-sm text-slate-700"}>
            <span data-open-count={m.openIssueCount ?? 0}>{problems(m.openIssueCount ?? 0)}</span>
            {" · "}
            {m.lastUpdateAt ? (
              <>
                Last update <time dateTime={m.lastUpdateAt}>{m.lastUpdateAgo}</time>
              </>
            ) : (
              `No updates in ${windowDays} days`
            )}
          </p>
        ) : null}
      </div>
      <div className={tv ? "text-3xl" : ""}>
        <StatusPill m={m} tv={tv} />
        <span className="sr-only"> {MACHINE_STATUS_DESCRIPTION[m.status]}</span>
      </div>
    </li>
  );
}

export function BoardLocations({ locations, ...options }: BoardOptions & { locations: StatusBoardLocation[] }) {
  const { tv } = options;
  return (
    <div className={tv ? "space-y-10" : "space-y-8"}>
      {locations.map((l) => (
        <section key={l.id} aria-labelledby={`loc-${l.id}`} data-location-id={l.id} className="space-y-3">
          <h2 id={`loc-${l.id}`} className={tv ? "text-5xl font-bold" : "text-xl font-semibold"}>
            <span aria-hidden="true">📍</span> {l.name}
          </h2>
          {l.machines.length === 0 ? (
            <p className={tv ? "text-2xl text-slate-200" : "card text-slate-700"}>No machines here yet.</p>
          ) : (
            <ul className={tv ? "" : "grid gap-3 md:grid-cols-2"}>
              {l.machines.map((m) => (
                <MachineRow key={m.id} m={m} {...options} />
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}

/** What the words on the board mean (the rule is core/machine-status.ts; "last update" is defined by the query). */
export function BoardLegend({ tv, canViewIssues, windowDays }: BoardOptions) {
  return (
    <section aria-labelledby="legend-heading" className={tv ? "text-xl text-slate-200" : "text-sm text-slate-700"}>
      <h2 id="legend-heading" className={tv ? "text-2xl font-bold text-slate-50" : "font-semibold text-slate-900"}>
        What this means
      </h2>
      <ul className="mt-1 space-y-1">
        {MACHINE_STATUSES.map((s) => (
          <li key={s}>
            <span aria-hidden="true">{ICON[s]}</span> <strong>{s[0].toUpperCase() + s.slice(1)}</strong>:{" "}
            {MACHINE_STATUS_DESCRIPTION[s]}
          </li>
        ))}
        {canViewIssues ? (
          <li>
            <strong>Last update</strong>: when a problem with the machine was last reported, changed status or priority,
            or was fixed or reopened, within the last {windowDays} days. It is not a visit by the team, and comments do
            not count.
          </li>
        ) : null}
      </ul>
    </section>
  );
}
