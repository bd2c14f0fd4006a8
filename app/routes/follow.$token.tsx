/**
 * Follow a report without an account: /follow/<secret token> (given after reporting). Shows the problem, the machine,
 * where it stands (Open / In progress / Closed, and a sentence in plain words; a report merged into another follows
 * that one) and the public timeline of status and merge events, and offers "e-mail me when it's fixed" (a plain form,
 * app/use-cases/follow.server.ts). No emails, no member names beyond a first name, no comments. The token is the
 * capability; the page is not indexed.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Field, FormMessage } from "~/components/form";
import { StatusCategoryBadge } from "~/components/status-category";
import { TitledSection } from "~/components/titled-section";
import { getAccess } from "~/lib/access.server";
import { errorsFor, messageFor, useActionResult, valuesFor } from "~/lib/action-result";
import { runAction, runLoader } from "~/lib/failure.server";
import { readFormObject, parseInput } from "~/lib/forms.server";
import { followSubscribeInput, subscribeFromFollowPage } from "~/use-cases/follow.server";
import { loadFollowPage } from "~/use-cases/public.server";
import type { PageHandle } from "~/lib/page-handle";
import { pageData, readPageData, usePageData } from "~/lib/page-data";

/** Plain HTML, no client JavaScript: docs/decisions/032-public-pages-without-client-js.md. */
export const handle: PageHandle = { scripts: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const d = data ? readPageData(data) : undefined;
  return [
    { title: d ? `Your report: ${d.issue.title}` : "Your report · PinPoint" },
    { name: "robots", content: "noindex, nofollow" },
  ];
};

export async function loader(args: LoaderFunctionArgs) {
  const actor = await getAccess(args);
  const page = await runLoader(() => loadFollowPage(actor, args.params.token ?? ""));
  return pageData({ ...page, isNew: new URL(args.request.url).searchParams.get("new") === "1" });
}

// Document responses only carry headers a route passes on: keep Retry-After of a rate-limited submission.
export { rateLimitHeaders as headers } from "~/lib/rate-limit.server";

export async function action(args: ActionFunctionArgs) {
  const actor = await getAccess(args);
  const form = await readFormObject(args.request);
  const intent = "subscribe";
  return runAction({ intent, form }, async () => {
    const { email } = parseInput(followSubscribeInput, form);
    return { ok: true as const, intent, message: await subscribeFromFollowPage(actor, args.params.token ?? "", email) };
  });
}

export default function FollowReport() {
  const { isNew, issue, timeline, plainStatus, mergedInto, canSubscribe } = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const errors = errorsFor(result, "subscribe");
  const subscribed = messageFor(result, "subscribe");
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
          on <a href={`/m/${issue.machineId}`}>{issue.machineName}</a>
          {issue.modelName !== issue.machineName ? ` (${issue.modelName})` : ""} · {issue.locationName}
        </p>
      </header>

      <TitledSection headingId="status-heading" title="Status" className="card space-y-2">
        <p className="flex flex-wrap items-center gap-2">
          <StatusCategoryBadge category={issue.category} large />
          {issue.statusName.toLowerCase() !== issue.statusLabel.toLowerCase() ? (
            <span className="text-slate-700">{issue.statusName}</span>
          ) : null}
        </p>
        {mergedInto ? (
          <p>
            Someone else reported the same problem, so the team follows both as one. That report is{" "}
            <strong>
              {mergedInto.statusLabel.toLowerCase()}
              {mergedInto.statusName.toLowerCase() !== mergedInto.statusLabel.toLowerCase()
                ? ` (${mergedInto.statusName})`
                : ""}
            </strong>
            .
          </p>
        ) : null}
        <p className="text-slate-800">{plainStatus}</p>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
          <dt className="text-slate-600">Reported</dt>
          <dd>
            <time dateTime={issue.reportedIso}>{issue.reportedAt}</time>{" "}
            <span className="text-slate-500">({issue.reportedAgo})</span>
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
      </TitledSection>

      <TitledSection headingId="timeline-heading" title="Timeline" className="space-y-3">
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
      </TitledSection>

      {canSubscribe || subscribed ? (
        <TitledSection headingId="email-heading" title="E-mail me when it’s fixed" className="card space-y-3">
          {subscribed ? (
            <FormMessage success={subscribed} />
          ) : (
            <form method="post" className="space-y-3" noValidate>
              {errors.form && !errors.email ? <FormMessage error={errors.form} /> : null}
              <Field
                label="Your e-mail"
                name="email"
                type="email"
                autoComplete="email"
                required
                maxLength={254}
                defaultValue={valuesFor(result, "subscribe").email}
                error={errors.email}
                hint="One message when it is fixed, nothing else. Never shown to anyone."
              />
              <button type="submit" className="btn-primary">
                E-mail me
              </button>
            </form>
          )}
        </TitledSection>
      ) : null}

      <p className="flex flex-wrap gap-3">
        <a href={`/m/${issue.machineId}`} className="btn-secondary">
          Back to {issue.machineName}
        </a>
        <a href="/report" className="btn-secondary">
          Report another problem
        </a>
      </p>
    </div>
  );
}
