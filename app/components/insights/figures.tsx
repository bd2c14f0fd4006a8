/** The parts of /insights around its charts: the filter form, the summary cards and the figure tables. */
import { INSIGHT_PERIODS, formatDuration } from "../../../core/reliability";
import { DataTable } from "../list-page";
import { MachineStatusBadge } from "../machine-status";
import type { InsightsView } from "./types";

export function percent(value: number | null): string {
  return value === null ? "—" : `${value.toFixed(1)} %`;
}

/** A GET form: the filters live in the URL, so a view can be bookmarked and works without JavaScript. */
export function InsightsFilters({ d }: { d: InsightsView }) {
  return (
    <form method="get" action="/insights" className="card flex flex-wrap items-end gap-4">
      <div>
        <label htmlFor="period" className="label">
          Period
        </label>
        <select id="period" name="period" defaultValue={String(d.query.period)} className="input">
          {INSIGHT_PERIODS.map((p) => (
            <option key={p} value={p}>
              Last {p} days
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="location" className="label">
          Location
        </label>
        <select id="location" name="location" defaultValue={d.query.location ?? ""} className="input">
          <option value="">All locations</option>
          {d.locations.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="btn-primary">
        Show
      </button>
      <a href={d.csvHref} className="btn-secondary" download>
        Download CSV
      </a>
    </form>
  );
}

export function SummaryCards({ d }: { d: InsightsView }) {
  const t = d.total;
  const items: [string, string, string][] = [
    ["Uptime", percent(t.uptimePercent), "Share of the time machines were not down."],
    ["Down now", `${t.downNow} of ${t.machines}`, "Machines out of order at this moment."],
    ["Downtime", formatDuration(t.downSeconds), "Machine time lost to critical problems in the period."],
    ["Mean time to resolve", formatDuration(t.mttrSeconds), `Over ${t.repairs} repairs finished in the period.`],
    [
      "Median first response",
      formatDuration(t.medianResponseSeconds),
      `First comment, assignment or status change by a member; ${t.answered} of ${t.issues} new issues answered.`,
    ],
    ["Reopened", String(t.reopened), "Issues reopened in the period."],
  ];
  return (
    <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {items.map(([label, value, help]) => (
        <div key={label} className="card">
          <dt className="text-sm font-medium text-slate-700">{label}</dt>
          <dd className="text-2xl font-bold tabular-nums">{value}</dd>
          <dd className="text-sm text-slate-600">{help}</dd>
        </div>
      ))}
    </dl>
  );
}

export function MachineTable({ d }: { d: InsightsView }) {
  if (d.machines.length === 0) {
    return (
      <div className="card text-slate-700">
        <p>There are no machines {d.query.location ? "at this location" : "yet"}, so there is nothing to measure.</p>
      </div>
    );
  }
  return (
    <DataTable
      caption={`Reliability of each machine over the last ${d.query.period} days`}
      columns={[
        { label: "Machine" },
        { label: "Location" },
        { label: "Now" },
        { label: "Downtime", numeric: true },
        { label: "Degraded", numeric: true },
        { label: "Uptime", numeric: true },
        { label: "Mean time to resolve", numeric: true },
        { label: "New issues", numeric: true },
        { label: "Median first response", numeric: true },
        { label: "Reopened", numeric: true },
      ]}
    >
      {d.machines.map((m) => (
        <tr key={m.id}>
          <td className="px-4 py-2">
            <a href={`/machines/${m.id}`}>{m.name}</a>
          </td>
          <td className="px-4 py-2 text-slate-700">{m.locationName}</td>
          <td className="px-4 py-2">
            <MachineStatusBadge status={m.status} />
            {m.downSinceText ? <span className="ml-2 text-slate-700">for {m.downSinceText}</span> : null}
          </td>
          <td className="px-4 py-2 text-right tabular-nums">{formatDuration(m.downSeconds)}</td>
          <td className="px-4 py-2 text-right tabular-nums">{formatDuration(m.degradedSeconds)}</td>
          <td className="px-4 py-2 text-right tabular-nums">{percent(m.uptimePercent)}</td>
          <td className="px-4 py-2 text-right tabular-nums">{formatDuration(m.mttrSeconds)}</td>
          <td className="px-4 py-2 text-right tabular-nums">{m.issues}</td>
          <td className="px-4 py-2 text-right tabular-nums">{formatDuration(m.medianResponseSeconds)}</td>
          <td className="px-4 py-2 text-right tabular-nums">{m.reopened}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export function RepeatOffenders({ d }: { d: InsightsView }) {
  return (
    <section aria-labelledby="repeats-heading" className="space-y-3">
      <h2 id="repeats-heading" className="text-lg font-semibold">
        Repeat offenders
      </h2>
      <p className="text-sm text-slate-700">
        The same problem reported again on the same machine (titles equal once case and punctuation are ignored), and
        machines with reopened issues.
      </p>
      {d.repeats.length === 0 && d.reopenedMachines.length === 0 ? (
        <div className="card text-slate-700">No problem came back in this period.</div>
      ) : (
        <DataTable
          caption="Problems reported more than once on the same machine"
          columns={[{ label: "Machine" }, { label: "Problem" }, { label: "Times", numeric: true }, { label: "Last" }]}
        >
          {d.repeats.map((r) => (
            <tr key={`${r.machineId}:${r.title}`}>
              <td className="px-4 py-2">
                <a href={`/machines/${r.machineId}`}>{r.machineName}</a>
              </td>
              <td className="px-4 py-2">{r.title}</td>
              <td className="px-4 py-2 text-right tabular-nums">{r.issues}</td>
              <td className="px-4 py-2 text-slate-700">{r.lastText}</td>
            </tr>
          ))}
          {d.reopenedMachines.map((m) => (
            <tr key={`reopened:${m.id}`}>
              <td className="px-4 py-2">
                <a href={`/machines/${m.id}`}>{m.name}</a>
              </td>
              <td className="px-4 py-2">Issues reopened</td>
              <td className="px-4 py-2 text-right tabular-nums">{m.reopened}</td>
              <td className="px-4 py-2 text-slate-700">—</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
