/**
 * The issue list's rows (with triage in place for members who may change status, priority or assignee:
 * ./row-triage.tsx), its empty states and its pages (keyset cursors).
 */
import { StatusCategoryBadge } from "~/components/status-category";
import type { ActionResult } from "~/lib/action-result";
import { Highlighted } from "./highlight";
import { useIssueListLink } from "./links";
import { RowTriage, useSavedTriage } from "./row-triage";
import {
  hasFilters,
  type IssueListFilterValues,
  type IssueListOptions,
  type IssueListRow,
  type IssueListTriage,
} from "./types";

function EmptyState({
  current,
  anyIssues,
  canCreate,
}: {
  current: IssueListFilterValues;
  anyIssues: boolean;
  canCreate: boolean;
}) {
  const link = useIssueListLink();
  if (hasFilters(current)) {
    return (
      <>
        <p className="font-medium">No issues match these filters.</p>
        <p className="mt-2 text-sm text-slate-600">
          Try other words, another status tab, or <a href="/issues">clear all filters</a>.
        </p>
      </>
    );
  }
  if (current.category === "active" && anyIssues) {
    return (
      <>
        <p className="font-medium">Nothing open. Every machine is playing. 🎉</p>
        <p className="mt-2 text-sm text-slate-600">
          <a href={link({ category: "closed" })}>See closed issues</a>
        </p>
      </>
    );
  }
  return (
    <>
      <p className="font-medium">No issues here yet.</p>
      <p className="mt-2 text-sm text-slate-600">
        When players or members report problems, they show up here.
        {canCreate ? (
          <>
            {" "}
            <a href="/issues/new">Report one now</a>.
          </>
        ) : null}
      </p>
    </>
  );
}

/** One issue: its title (a link), status, machine, priority, assignee and counts; triage in place when allowed. */
function IssueRow({
  row: i,
  q,
  triage,
  options,
  result,
}: {
  row: IssueListRow;
  q: string;
  triage: IssueListTriage;
  options: IssueListOptions;
  result: ActionResult | undefined;
}) {
  const [saved, onSaved] = useSavedTriage(i);
  // The row shows what was saved in place (the list is not loaded again after such a change).
  const status = options.statuses.find((s) => s.id === saved.statusId) ?? i.status;
  return (
    <li className="p-3 hover:bg-slate-50 sm:p-4" data-issue-row="">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <a
          href={`/issues/${i.id}`}
          data-issue-link=""
          className="min-w-0 flex-1 text-base font-semibold text-slate-900 focus:underline"
        >
          <Highlighted text={i.title} q={q} />
        </a>
        <StatusCategoryBadge category={status.category}>{status.name}</StatusCategoryBadge>
      </div>
      <p className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-sm text-slate-600">
        <span>
          <span className="sr-only">Machine: </span>
          <Highlighted text={i.machine.name} q={q} />
        </span>
        {triage.edit ? null : (
          <span>
            Priority:{" "}
            <strong className={i.priority.order >= 3 ? "text-red-700" : "font-medium"}>{i.priority.name}</strong>
          </span>
        )}
        {triage.assign ? null : (
          <span>{i.assignee ? `Assigned to ${i.assignee.isMe ? "you" : i.assignee.name}` : "Unassigned"}</span>
        )}
        <span>
          <time dateTime={i.createdIso}>Reported {i.createdAgo}</time> by <Highlighted text={i.reporter} q={q} />
        </span>
        {i.comments ? (
          <span>
            💬 {i.comments}
            <span className="sr-only"> comments</span>
          </span>
        ) : null}
        {i.upvotes ? (
          <span>
            👍 {i.upvotes}
            <span className="sr-only"> me too votes</span>
          </span>
        ) : null}
      </p>
      <RowTriage row={i} saved={saved} onSaved={onSaved} options={options} triage={triage} result={result} />
    </li>
  );
}

export function IssueResults({
  items,
  current,
  anyIssues,
  canCreate,
  busy,
  triage,
  options,
  result,
}: {
  items: readonly IssueListRow[];
  current: IssueListFilterValues;
  triage: IssueListTriage;
  options: IssueListOptions;
  /** The answer of the last no-JavaScript "Save" of a row. */
  result: ActionResult | undefined;
  /** The organization has issues in some category (the empty state then points at the closed ones). */
  anyIssues: boolean;
  canCreate: boolean;
  busy: boolean;
}) {
  return (
    <section aria-labelledby="results-heading" aria-busy={busy || undefined}>
      <h2 id="results-heading" className="sr-only">
        Results
      </h2>
      {items.length === 0 ? (
        <div className="card py-10 text-center">
          <EmptyState current={current} anyIssues={anyIssues} canCreate={canCreate} />
        </div>
      ) : (
        <ul className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white">
          {items.map((i) => (
            <IssueRow key={i.id} row={i} q={current.q} triage={triage} options={options} result={result} />
          ))}
        </ul>
      )}
    </section>
  );
}

export function IssuePager({
  prevCursor,
  nextCursor,
  laterPage,
}: {
  prevCursor: string | null;
  nextCursor: string | null;
  laterPage: boolean;
}) {
  const link = useIssueListLink();
  if (!prevCursor && !nextCursor && !laterPage) return null;
  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-2">
      <div className="flex gap-2">
        {prevCursor ? (
          <a href={link({ before: prevCursor })} className="btn-secondary" rel="prev">
            ← Previous
          </a>
        ) : null}
        {laterPage ? (
          <a href={link({})} className="btn-secondary">
            First page
          </a>
        ) : null}
      </div>
      {nextCursor ? (
        <a href={link({ after: nextCursor })} className="btn-secondary" rel="next">
          Next →
        </a>
      ) : null}
    </nav>
  );
}
