/**
 * The known problems of a machine on its public page, each with a "me too" button (a plain form: works without
 * JavaScript), and the recently fixed ones folded away.
 */
import { useLocation } from "@remix-run/react";
import { CATEGORY_LABELS, type StatusCategory } from "../../../core/issue-rules";

export interface KnownProblem {
  id: string;
  title: string;
  category: StatusCategory;
  statusName: string;
  age: string;
  reportedOn: string;
  upvoteCount: number;
  voted: boolean;
  critical: boolean;
}

export function KnownProblems({
  openIssues,
  recentlyFixed,
  canVote,
}: {
  openIssues: KnownProblem[];
  recentlyFixed: { id: string; title: string; age: string }[];
  canVote: boolean;
}) {
  return (
    <section aria-labelledby="known-heading" className="space-y-3">
      <h2 id="known-heading" className="text-lg font-semibold">
        Known problems {openIssues.length ? <span className="text-slate-600">({openIssues.length})</span> : null}
      </h2>
      {openIssues.length === 0 ? (
        <p className="card text-slate-700">No known problems. If something is wrong, please tell us below.</p>
      ) : (
        <>
          <p className="text-sm text-slate-600">
            Is your problem listed? Tap “Me too” instead of sending a new report.
          </p>
          <ul className="space-y-3">
            {openIssues.map((issue) => (
              <li
                key={issue.id}
                id={`issue-${issue.id}`}
                className="card flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between"
              >
                <div className="min-w-0 space-y-1">
                  <p className="break-words font-medium text-slate-900">
                    {issue.critical ? <span className="sr-only">Critical: </span> : null}
                    {issue.title}
                  </p>
                  <p className="text-sm text-slate-600">
                    <ProblemStatus category={issue.category} statusName={issue.statusName} />
                    {" · "}
                    reported <time dateTime={issue.reportedOn}>{issue.age}</time>
                    {issue.upvoteCount > 0
                      ? ` · ${issue.upvoteCount} ${issue.upvoteCount === 1 ? "person" : "people"} said me too`
                      : ""}
                  </p>
                </div>
                {canVote ? <MeTooButton issue={issue} /> : null}
              </li>
            ))}
          </ul>
        </>
      )}
      {recentlyFixed.length ? (
        <details className="text-sm text-slate-700">
          <summary className="cursor-pointer">Recently fixed ({recentlyFixed.length})</summary>
          <ul className="mt-2 list-disc space-y-1 pl-5">
            {recentlyFixed.map((i) => (
              <li key={i.id}>
                {i.title} <span className="text-slate-500">· fixed {i.age}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

/** The category's word; an in-progress issue also names its own status when that says more (e.g. "Waiting for parts"). */
function ProblemStatus({ category, statusName }: { category: StatusCategory; statusName: string }) {
  const label = CATEGORY_LABELS[category];
  if (category !== "IN_PROGRESS") return <span className="font-medium text-slate-800">{label}</span>;
  return (
    <span className="font-medium text-indigo-800">
      {label}
      {statusName !== "In Progress" ? ` (${statusName})` : ""}
    </span>
  );
}

/** The "me too" form of one problem (also offered by the report form's "Is it one of these?"). */
export function MeTooButton({
  issue,
  idPrefix = "metoo",
  email,
}: {
  issue: { id: string; title: string; voted?: boolean };
  /** Keeps the e-mail field's id unique when one problem is shown twice on the page. */
  idPrefix?: string;
  /** The address the player already typed into the report, if any. */
  email?: string;
}) {
  // The page sends no scripts (decision 032): a plain form posting to this page; Remix's <form> would only add the
  // router's work to every one of a busy machine's twenty buttons.
  const { pathname } = useLocation();
  if (issue.voted) {
    return (
      <p className="shrink-0 text-sm font-medium text-green-800">
        <span aria-hidden="true">✓</span> You said me too
      </p>
    );
  }
  return (
    <form method="post" action={pathname} className="shrink-0 space-y-2">
      <input type="hidden" name="intent" value="metoo" />
      <input type="hidden" name="issueId" value={issue.id} />
      <div>
        <label htmlFor={`${idPrefix}-email-${issue.id}`} className="block text-sm text-slate-700">
          E-mail me when it is fixed (optional)
        </label>
        <input
          id={`${idPrefix}-email-${issue.id}`}
          type="email"
          name="email"
          defaultValue={email}
          autoComplete="email"
          maxLength={254}
          className="input min-h-11 w-full"
        />
      </div>
      <button type="submit" className="btn-secondary min-h-11 w-full sm:w-auto" aria-label={`Me too: ${issue.title}`}>
        <span aria-hidden="true">👍</span> Me too
      </button>
    </form>
  );
}
