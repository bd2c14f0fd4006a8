/**
 * /issues — the triage list for members with issue:view. Every filter lives in the URL (a GET form that works
 * without JavaScript), so a view can be bookmarked and shared: ?q=&category=&status=&priority=&machine=&location=
 * &assignee=(id|me|unassigned)&reporter=(id|me|anonymous)&sort=(created|updated|priority|upvotes)&dir=(asc|desc)
 * and a keyset cursor (?after= / ?before=). Unknown or malformed values are ignored, never a 500.
 * Each row triages in place (app/components/issue-list/row-triage.tsx): a POST names the row's `issueId` and an
 * intent, with the issue page's use cases and permissions: status / priority → issue:edit, assign → issue:assign,
 * triage (the row's no-JavaScript "Save") → each field's own. Bad input → 400, another organization's issue → 404.
 * One SQL statement for the page, one for the per-category counts, plus the picker options. In large organizations
 * the machine picker lists the machines of the chosen location only (thousands of <option>s made the page 400 KB),
 * and a search stops counting at SEARCH_COUNT_CAP matches.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigation, type ShouldRevalidateFunction } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { IssueFilters } from "~/components/issue-list/filters";
import { useIssueCsvHref, useIssueListLink } from "~/components/issue-list/links";
import { IssuePager, IssueResults } from "~/components/issue-list/results";
import { IssueListShortcuts } from "~/components/issue-list/shortcuts";
import { TitleBar } from "~/components/list-page";
import { getAccess, requireMember } from "~/lib/access.server";
import { errorsFor, useActionResult } from "~/lib/action-result";
import { failureResult, invalidInput, runAction, runLoader } from "~/lib/failure.server";
import { intentOf, parseInput, readFormObject } from "~/lib/forms.server";
import { CATEGORY_TABS, SEARCH_COUNT_CAP } from "~/lib/issue-list-words";
import { loadIssueList, readIssueListQuery } from "~/use-cases/issue-pages.server";
import { applyTriageForm, isTriageIntent, issueRefInput, type TriageIntent } from "~/use-cases/issue-triage.server";
import type { PermissionName } from "../../core/permissions";
import { pageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [{ title: "Issues · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireMember(args, "issue:view");
  const query = readIssueListQuery(new URL(args.request.url).searchParams);
  return pageData(await runLoader(() => loadIssueList(actor, query)));
}

/** The permission each row form needs (null: each field's own, checked by the use case); others are unknown. */
const INTENT_PERMISSION: Readonly<Record<TriageIntent, PermissionName | null>> = {
  status: "issue:edit",
  priority: "issue:edit",
  assign: "issue:assign",
  triage: null,
};

export async function action(args: ActionFunctionArgs) {
  // The organization first: a request for an unknown one is refused before its body is read.
  await getAccess(args);
  const form = await readFormObject(args.request);
  const intent = intentOf(form);
  if (!isTriageIntent(intent)) return failureResult(invalidInput({ form: "Unknown action." }), { intent, form });
  const actor = await requireMember(args, INTENT_PERMISSION[intent] ?? undefined);
  const done = (message: string) => ({ ok: true as const, intent, message });
  return runAction({ intent, form }, async () => {
    const { issueId } = parseInput(issueRefInput, form);
    return done((await applyTriageForm(actor, issueId, intent, form)).message);
  });
}

/**
 * A change made in place on a row does not load the list again: the row keeps its place (a re-sorted or re-filtered
 * list would move it away from the focus) and shows what was saved; the next navigation shows the list as it is.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, formData, defaultShouldRevalidate }) => {
  const intent = formData?.get("intent");
  if (formMethod?.toUpperCase() === "POST" && (intent === "status" || intent === "priority" || intent === "assign"))
    return false;
  return defaultShouldRevalidate;
};

export default function IssueList() {
  const data = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const errors = errorsFor(result, "triage");
  const { current, counts } = data;
  const navigation = useNavigation();
  const link = useIssueListLink();
  const csvHref = useIssueCsvHref();
  const busy = navigation.state === "loading" && navigation.location?.pathname === "/issues";

  return (
    <div className="space-y-5">
      <TitleBar title="Issues">
        <div className="flex flex-wrap gap-2">
          <a href={link({ assignee: current.assignee === "me" ? null : "me" })} className="btn-secondary">
            {current.assignee === "me" ? "✓ Assigned to me" : "Assigned to me"}
          </a>
          {/* A plain link: the file is a download, not a page for client-side navigation. */}
          <a href={csvHref} download className="btn-secondary">
            Download CSV
          </a>
          {data.canCreate ? (
            <a href="/issues/new" className="btn-primary">
              New issue
            </a>
          ) : null}
        </div>
      </TitleBar>

      <nav aria-label="Issue status" className="-mx-1 flex gap-1 overflow-x-auto pb-1">
        {CATEGORY_TABS.map((t) => {
          const active = current.category === t.param;
          return (
            <a
              key={t.param}
              href={link({ category: t.param === "active" ? null : t.param, status: null })}
              aria-current={active ? "page" : undefined}
              className={`whitespace-nowrap rounded-full px-3 py-1.5 text-sm font-medium no-underline ${
                active
                  ? "bg-indigo-600 text-white"
                  : "bg-white text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-100"
              }`}
            >
              {t.label}{" "}
              {data.countsCapped ? null : (
                <span className={active ? "text-indigo-100" : "text-slate-500"}>{counts[t.param]}</span>
              )}
            </a>
          );
        })}
      </nav>

      {data.countsCapped ? (
        <p className="text-sm text-slate-600" role="status">
          More than {SEARCH_COUNT_CAP.toLocaleString("en-US")} issues match this search; narrow it with more words or
          filters to see counts.
        </p>
      ) : null}

      {/* The answer of a row's no-JavaScript "Save" (with JavaScript each control shows its own). */}
      {result?.ok ? <FormMessage success={result.message} /> : null}
      {result && !result.ok ? <FormMessage error={errors.form ?? Object.values(errors)[0]} /> : null}

      <IssueFilters current={current} options={data.options} />
      <IssueListShortcuts triage={data.triage} />
      <IssueResults
        items={data.items}
        current={current}
        anyIssues={counts.all > 0}
        canCreate={data.canCreate}
        busy={busy}
        triage={data.triage}
        options={data.options}
        result={result}
      />
      <IssuePager prevCursor={data.prevCursor} nextCursor={data.nextCursor} laterPage={data.laterPage} />
    </div>
  );
}
