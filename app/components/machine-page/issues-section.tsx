/** The member machine page's issues: every open one (most urgent first) and the recently closed ones. */
import { TitledSection } from "~/components/titled-section";

export interface MachineIssueRow {
  id: string;
  title: string;
  statusName: string;
  priorityName?: string;
  age: string;
}

function IssueList({ issues, withPriority }: { issues: readonly MachineIssueRow[]; withPriority: boolean }) {
  return (
    <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
      {issues.map((i) => (
        <li key={i.id} className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:items-center sm:justify-between">
          <a href={`/issues/${i.id}`} className={withPriority ? "font-medium" : undefined}>
            {i.title}
          </a>
          <span className="text-sm text-slate-600">
            {withPriority ? `${i.statusName} · ${i.priorityName} · ${i.age}` : `${i.statusName} · ${i.age}`}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function MachineIssuesSection({
  open,
  closed,
}: {
  open: readonly MachineIssueRow[];
  closed: readonly MachineIssueRow[];
}) {
  return (
    <TitledSection headingId="issues-heading" title={<>Open issues ({open.length})</>} className="space-y-3">
      {open.length === 0 ? (
        <p className="card text-slate-700">No open issues.</p>
      ) : (
        <IssueList issues={open} withPriority />
      )}
      {closed.length ? (
        <>
          <h3 className="pt-2 font-semibold">Recently closed</h3>
          <IssueList issues={closed} withPriority={false} />
        </>
      ) : null}
    </TitledSection>
  );
}
