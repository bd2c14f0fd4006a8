/**
 * Follow a report without an account: /follow/<secret token> (given after reporting). Shows the problem, the machine,
 * where it stands (Open / In progress / Closed) and the public timeline of status changes. No emails, no member
 * names beyond a first name, no comments. The token is the capability; the page is not indexed.
 */
import { CATEGORY_LABELS } from "../../core/issue-rules";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { getAccess } from "~/lib/access.server";
import { notFound } from "~/lib/errors.server";
import { timeAgo, formatDateTime } from "~/lib/format";
import { getFollowPage } from "../../db/queries/public.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: d ? `Your report: ${d.issue.title}` : "Your report · PinPoint" },
  { name: "robots", content: "noindex, nofollow" },
];

const CATEGORY_BADGE = {
  NEW: "bg-amber-100 text-amber-900 ring-1 ring-inset ring-amber-300",
  IN_PROGRESS: "bg-indigo-100 text-indigo-900 ring-1 ring-inset ring-indigo-300",
  RESOLVED: "bg-green-100 text-green-900 ring-1 ring-inset ring-green-300",
} as const;

function describe(entry: { type: string; oldValue: string | null; newValue: string | null }): string {
  switch (entry.type) {
    case "CREATED":
      return "Problem reported";
    case "STATUS_CHANGED":
      return entry.newValue ? `Status changed to “${entry.newValue}”` : "Status changed";
    case "RESOLVED":
      return "Closed";
    case "REOPENED":
      return "Reopened";
    default:
      return "Updated";
  }
}

export async function loader(args: LoaderFunctionArgs) {
  const { db, organizationId } = await getAccess(args);
  const page = (await getFollowPage(db, organizationId, args.params.token ?? "")) ?? notFound("We could not find that report. Check the link you were given.");
  const now = new Date();
  const { issue } = page;
  return {
    isNew: new URL(args.request.url).searchParams.get("new") === "1",
    issue: {
      title: issue.title,
      category: issue.category,
      statusLabel: CATEGORY_LABELS[issue.category],
      statusName: issue.statusName,
      reportedAgo: timeAgo(issue.createdAt, now),
      reportedAt: formatDateTime(issue.createdAt),
      reportedIso: issue.createdAt.toISOString(),
      resolvedAt: issue.resolvedAt ? formatDateTime(issue.resolvedAt) : null,
      resolvedIso: issue.resolvedAt ? issue.resolvedAt.toISOString() : null,
      machineId: issue.machineId,
      machineName: issue.machineName,
      modelName: issue.modelName,
      locationName: issue.locationName,
    },
    timeline: page.timeline.map((t) => ({
      id: t.id,
      text: describe(t),
      by: t.actorFirstName,
      when: formatDateTime(t.changedAt),
      iso: t.changedAt.toISOString(),
      ago: timeAgo(t.changedAt, now),
    })),
  };
}

export default function FollowReport() {
  const { isNew, issue, timeline } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      {isNew ? (
        <div className="space-y-2">
          <FormMessage success="Thanks! Your report was received. The team has been told." />
          <p className="text-sm text-slate-700">
            Bookmark this page (or copy its address) to check on your report later. Anyone with the link can see this
            page, so only share it with people you trust.
          </p>
        </div>
      ) : null}
      <header className="space-y-2">
        <p className="text-sm text-slate-600">Your report</p>
        <h1 className="break-words text-2xl font-bold leading-tight">{issue.title}</h1>
        <p className="text-slate-700">
          on <Link to={`/m/${issue.machineId}`}>{issue.machineName}</Link>
          {issue.modelName !== issue.machineName ? ` (${issue.modelName})` : ""} · {issue.locationName}
        </p>
      </header>

      <section aria-labelledby="status-heading" className="card space-y-2">
        <h2 id="status-heading" className="text-lg font-semibold">
          Status
        </h2>
        <p className="flex flex-wrap items-center gap-2">
          <span className={`badge px-3 py-1 text-sm font-semibold ${CATEGORY_BADGE[issue.category]}`}>{issue.statusLabel}</span>
          {issue.statusName.toLowerCase() !== issue.statusLabel.toLowerCase() ? <span className="text-slate-700">{issue.statusName}</span> : null}
        </p>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
          <dt className="text-slate-600">Reported</dt>
          <dd>
            <time dateTime={issue.reportedIso}>{issue.reportedAt}</time> <span className="text-slate-500">({issue.reportedAgo})</span>
          </dd>
          {issue.resolvedAt && issue.resolvedIso ? (
            <>
              <dt className="text-slate-600">Closed</dt>
              <dd>
                <time dateTime={issue.resolvedIso}>{issue.resolvedAt}</time>
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      <section aria-labelledby="timeline-heading" className="space-y-3">
        <h2 id="timeline-heading" className="text-lg font-semibold">
          Timeline
        </h2>
        {timeline.length === 0 ? (
          <p className="text-slate-700">Nothing has happened yet.</p>
        ) : (
          <ol className="space-y-3 border-l-2 border-slate-200 pl-4">
            {timeline.map((t) => (
              <li key={t.id}>
                <p className="font-medium">
                  {t.text}
                  {t.by ? <span className="font-normal text-slate-600"> by {t.by}</span> : null}
                </p>
                <p className="text-sm text-slate-600">
                  <time dateTime={t.iso}>{t.when}</time> · {t.ago}
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>

      <p className="flex flex-wrap gap-3">
        <Link to={`/m/${issue.machineId}`} className="btn-secondary">
          Back to {issue.machineName}
        </Link>
        <Link to="/report" className="btn-secondary">
          Report another problem
        </Link>
      </p>
    </div>
  );
}
