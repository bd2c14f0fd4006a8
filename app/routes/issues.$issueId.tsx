/**
 * /issues/<id> — one issue: what, where, who, where it stands, photos, and ONE timeline merging comments and history.
 * Viewing needs issue:view (the Unauthenticated role may have it: guests then see the public parts; reporter e-mails
 * only reach members with issue:edit). Every change is a POST with an `intent`; each intent checks its own permission
 * and is done by a member (anonymous visitors are sent to sign in):
 *
 *   status / priority / details → issue:edit      assign → issue:assign (members of the organization only)
 *   triage (the no-JavaScript "Save" of status, priority and assignee together) → each field's own permission
 *   comment → issue:create     comment-edit → issue:edit + author     comment-delete → author, or issue:delete
 *   comment-restore → organization:manage     attach → attachment:create (≤3 photos)     attachment-delete → attachment:delete
 *   merge / unmerge → issue:edit (this issue is the duplicate: app/use-cases/issue-merge.server.ts)
 *
 * Unknown intent or invalid input → 400 with field errors and nothing written; ids of other organizations → 404.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { EditDetails } from "~/components/issue-page/edit-details";
import { MERGE_OPEN_PARAM, MergeForm, MergedDuplicates, MergedNotice } from "~/components/issue-page/merge";
import { Photos } from "~/components/issue-page/photos";
import { IssueShortcuts } from "~/components/issue-page/shortcuts";
import { Timeline } from "~/components/issue-page/timeline";
import { TriagePanel } from "~/components/issue-page/triage-panel";
import { WhenTime } from "~/components/issue-page/when-time";
import { StatusCategoryBadge } from "~/components/status-category";
import { WatchButton } from "~/components/watch-button";
import { getAccess, requireMember, requirePermission } from "~/lib/access.server";
import { errorsFor, useActionResult } from "~/lib/action-result";
import { failureResult, invalidInput, notFound, runAction, runLoader } from "~/lib/failure.server";
import { intentOf, parseInput } from "~/lib/forms.server";
import { pageData, readPageData, usePageData } from "~/lib/page-data";
import { idParam } from "~/lib/ids";
import { readUploadFormObject } from "~/lib/upload-form.server";
import { addIssuePhoto, attachmentRefInput, deleteIssuePhoto } from "~/use-cases/attachments.server";
import {
  addComment,
  commentEditInput,
  commentInput,
  commentRefInput,
  deleteComment,
  editComment,
  restoreComment,
} from "~/use-cases/comments.server";
import { mergeInput, mergeIssues, unmergeIssue } from "~/use-cases/issue-merge.server";
import { loadIssuePage } from "~/use-cases/issue-pages.server";
import { applyTriageForm } from "~/use-cases/issue-triage.server";
import { ISSUE_NOT_FOUND, detailsInput, editIssueDetails } from "~/use-cases/issues.server";
import { setWatch, watchInput } from "~/use-cases/watches.server";
import { CATEGORY_LABELS } from "../../core/issue-rules";
import type { PermissionName } from "../../core/permissions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${readPageData(data).issue.title} · Issues · PinPoint` : "Issue · PinPoint" },
];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requirePermission(args, "issue:view");
  const issueId = idParam(args.params.issueId) ?? notFound(ISSUE_NOT_FOUND);
  const search = new URL(args.request.url).searchParams;
  const showDeleted = search.get("deleted") === "1";
  // The merge form's choices are read only when a triager opens it (MERGE_OPEN_PARAM).
  const mergeChoices = search.get(MERGE_OPEN_PARAM) === "1";
  return pageData(await runLoader(() => loadIssuePage(actor, issueId, { showDeleted, mergeChoices })));
}

/** The permission each form needs (null: any member); an intent not listed here is unknown. */
const INTENT_PERMISSION: ReadonlyMap<string, PermissionName | null> = new Map([
  ["status", "issue:edit"],
  ["triage", null],
  ["priority", "issue:edit"],
  ["details", "issue:edit"],
  ["assign", "issue:assign"],
  ["comment", "issue:create"],
  ["comment-edit", "issue:edit"],
  ["comment-delete", null],
  ["comment-restore", "organization:manage"],
  ["attach", "attachment:create"],
  ["attachment-delete", "attachment:delete"],
  ["merge", "issue:edit"],
  ["unmerge", "issue:edit"],
  ["watch", "issue:view"],
]);

export async function action(args: ActionFunctionArgs) {
  // The organization first: a request for an unknown one is refused before its body is read.
  await getAccess(args);
  const issueId = idParam(args.params.issueId) ?? notFound(ISSUE_NOT_FOUND);
  // Only the photo form can be too large or unreadable in practice: its field shows the message.
  const upload = await readUploadFormObject(args.request, { intent: "attach" });
  if (!upload.ok) return upload.answer;
  const { form } = upload;
  const intent = intentOf(form);
  const permission = INTENT_PERMISSION.get(intent);
  if (permission === undefined) return failureResult(invalidInput({ form: "Unknown action." }), { intent, form });
  // Changes are made by members holding the form's permission (anonymous visitors are sent to sign in).
  const actor = await requireMember(args, permission ?? undefined);
  const done = (message: string) => ({ ok: true as const, intent, message });
  return runAction({ intent, form }, async () => {
    switch (intent) {
      case "status":
      case "triage":
      case "priority":
      case "assign":
        return done((await applyTriageForm(actor, issueId, intent, form)).message);
      case "details":
        return done((await editIssueDetails(actor, issueId, parseInput(detailsInput, form))).message);
      case "comment": {
        // The answer names the comment: a repeated submit (same key) gets the same one.
        const added = await addComment(actor, issueId, parseInput(commentInput, form));
        return { ...done(added.message), commentId: added.commentId };
      }
      case "comment-edit":
        return done(await editComment(actor, issueId, parseInput(commentEditInput, form)));
      case "comment-delete":
        return done(await deleteComment(actor, issueId, parseInput(commentRefInput, form).commentId));
      case "comment-restore":
        return done(await restoreComment(actor, issueId, parseInput(commentRefInput, form).commentId));
      case "attach":
        return done(
          await addIssuePhoto(actor, issueId, { file: form.photo, oversized: upload.oversized.has("photo") }),
        );
      case "watch":
        return done(await setWatch(actor, { issueId }, parseInput(watchInput, form)));
      case "attachment-delete":
        return done(await deleteIssuePhoto(actor, issueId, parseInput(attachmentRefInput, form).attachmentId));
      case "merge":
        return done((await mergeIssues(actor, issueId, parseInput(mergeInput, form).targetIssueId)).message);
      case "unmerge":
        return done((await unmergeIssue(actor, issueId)).message);
      default:
        throw invalidInput({ form: "Unknown action." });
    }
  });
}

export default function IssuePage() {
  const d = usePageData(useLoaderData<typeof loader>());
  const { issue, perms } = d;
  const result = useActionResult();
  const errors = errorsFor(result);

  return (
    <article className="mx-auto max-w-4xl space-y-6" aria-labelledby="issue-title">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <nav aria-label="Breadcrumb" className="text-sm">
          <a href="/issues" id="all-issues-link">
            ← All issues
          </a>
        </nav>
        <IssueShortcuts d={d} />
      </div>

      <header className="space-y-2">
        <div className="flex flex-wrap items-center gap-2">
          <StatusCategoryBadge category={issue.status.category}>
            {issue.status.name.toLowerCase() === CATEGORY_LABELS[issue.status.category].toLowerCase()
              ? issue.status.name
              : `${CATEGORY_LABELS[issue.status.category]} · ${issue.status.name}`}
          </StatusCategoryBadge>
          <span className="badge bg-slate-100 text-slate-800 ring-1 ring-inset ring-slate-300">
            Priority: {issue.priority.name}
          </span>
          {issue.upvotes ? <span className="badge bg-slate-100 text-slate-800">👍 {issue.upvotes} me too</span> : null}
        </div>
        <h1 id="issue-title" className="text-2xl font-bold break-words">
          {issue.title}
        </h1>
        <p className="text-sm text-slate-600">
          <a href={`/machines/${issue.machine.id}`}>{issue.machine.name}</a>
          {issue.machine.model && issue.machine.model !== issue.machine.name ? ` (${issue.machine.model})` : ""} ·{" "}
          {issue.location.name}
        </p>
        {d.watch.canWatch ? <WatchButton watching={d.watch.watching} what="issue" /> : null}
      </header>

      {result?.ok ? <FormMessage success={result.message} /> : null}
      {errors.form ? <FormMessage error={errors.form} /> : null}
      <MergedNotice d={d} />

      {/* Phones: description, then triage, then photos and activity. Wider screens: triage in a side column. */}
      <div className="flex flex-col gap-6 md:grid md:grid-cols-3 md:items-start">
        <div className="md:col-span-2">
          <section className="card space-y-3" aria-labelledby="description-heading">
            <h2 id="description-heading" className="sr-only">
              Description
            </h2>
            {issue.description ? (
              <p className="whitespace-pre-wrap break-words">{issue.description}</p>
            ) : (
              <p className="text-slate-500">No description.</p>
            )}
            {issue.consistency ? <p className="text-sm text-slate-600">Happens: {issue.consistency}</p> : null}
            {perms.edit ? <EditDetails issue={issue} result={result} /> : null}
          </section>
        </div>

        <div className="order-last space-y-6 md:order-none md:col-span-2">
          {perms.viewAttachments ? <Photos d={d} error={errorsFor(result, "attach").photo} /> : null}

          <Timeline d={d} result={result} />
          <MergedDuplicates d={d} />
        </div>

        <aside className="space-y-4 md:col-start-3 md:row-span-2 md:row-start-1" aria-label="Issue details">
          <TriagePanel d={d} result={result} />
          <MergeForm d={d} result={result} />
          <section className="card space-y-2 text-sm" aria-labelledby="facts-heading">
            <h2 id="facts-heading" className="font-semibold">
              Details
            </h2>
            <dl className="grid grid-cols-[auto,1fr] gap-x-3 gap-y-1">
              <dt className="text-slate-600">Reported</dt>
              <dd>
                <WhenTime at={issue.created} />
              </dd>
              <dt className="text-slate-600">By</dt>
              <dd className="break-words">
                {issue.reporter.kind === "member" ? issue.reporter.name : (issue.reporter.name ?? "Anonymous guest")}
                {issue.reporter.kind === "guest" ? <span className="text-slate-500"> (no account)</span> : null}
                {issue.reporterEmail ? (
                  <>
                    <br />
                    <a href={`mailto:${issue.reporterEmail}`}>{issue.reporterEmail}</a>
                  </>
                ) : null}
              </dd>
              <dt className="text-slate-600">Assignee</dt>
              <dd>{issue.assignee ? issue.assignee.name : "Unassigned"}</dd>
              <dt className="text-slate-600">Updated</dt>
              <dd>
                <WhenTime at={issue.updated} />
              </dd>
              {issue.resolved ? (
                <>
                  <dt className="text-slate-600">Closed</dt>
                  <dd>
                    <WhenTime at={issue.resolved} />
                  </dd>
                </>
              ) : null}
            </dl>
          </section>
        </aside>
      </div>
    </article>
  );
}
