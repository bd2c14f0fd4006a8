/**
 * The public machine page: where a QR sticker lands. Machine, a clear status, known problems in plain words with a
 * "me too" button, and a 30-second report form. No account, no JavaScript needed; small screens first.
 * The report and the vote, with their abuse controls, are app/use-cases/reports.server.ts; the multipart body is read
 * with bounded memory (413 for a body over the limit) before any of it is looked at.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { MachineStatusBadge } from "~/components/machine-status";
import { KnownProblems } from "~/components/public-machine/known-problems";
import { ReportSection, SignInToReport } from "~/components/public-machine/report-form";
import { SimilarProblems } from "~/components/public-machine/similar-choice";
import { requirePermission } from "~/lib/access.server";
import { errorsFor, useActionResult, valuesFor } from "~/lib/action-result";
import { invalidInput, notFound, runAction, runLoader } from "~/lib/failure.server";
import { intentOf, parseInput } from "~/lib/forms.server";
import { newIdempotencyKey } from "~/lib/idempotency.server";
import { idParam } from "~/lib/ids";
import { readUploadFormObject } from "~/lib/upload-form.server";
import { ensureVoterKey, readVoterKey } from "~/lib/voter.server";
import {
  addMeToo,
  honeypotTripped,
  loadPublicMachinePage,
  meTooInput,
  parsePublicReport,
  reportProblem,
  requireReportableMachine,
  type PublicReport,
} from "~/use-cases/reports.server";
import { MACHINE_STATUS_DESCRIPTION } from "../../core/machine-status";
import type { PageHandle } from "~/lib/page-handle";
import { pageData, readPageData, usePageData } from "~/lib/page-data";

/** Plain HTML, no client JavaScript: docs/decisions/032-public-pages-without-client-js.md. */
export const handle: PageHandle = { scripts: false };

// Document responses only carry headers a route passes on: keep Retry-After of a rate-limited submission.
export { rateLimitHeaders as headers } from "~/lib/rate-limit.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const d = data ? readPageData(data) : undefined;
  return [
    { title: d ? `${d.machine.name} · Report a problem` : "Machine · PinPoint" },
    {
      name: "description",
      content: d ? `Status and known problems of ${d.machine.name}. Report a problem in seconds.` : "",
    },
  ];
};

const NOT_FOUND = "We could not find that machine.";

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requirePermission(args, "machine:view");
  const machineId = idParam(args.params.machineId) ?? notFound(NOT_FOUND);
  const voterKey = actor.user ? null : await readVoterKey(args.request);
  const page = await runLoader(() => loadPublicMachinePage(actor, machineId, voterKey));
  const url = new URL(args.request.url);
  const votedParam = url.searchParams.get("voted");
  return pageData({
    ...page,
    thanks: url.searchParams.get("thanks") === "1",
    votedIssueId: votedParam && votedParam.length <= 64 ? votedParam : null,
    alreadyVoted: url.searchParams.get("already") === "1",
    votesFull: url.searchParams.get("full") === "1",
    reportKey: newIdempotencyKey(),
  });
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requirePermission(args, "issue:create");
  const machineId = idParam(args.params.machineId) ?? notFound(NOT_FOUND);
  // An unknown machine is a 404 before the (possibly large) body is read.
  await runLoader(() => requireReportableMachine(actor, machineId));
  const upload = await readUploadFormObject(args.request, { intent: "report" });
  if (!upload.ok) return upload.answer;
  const { form } = upload;
  const intent = intentOf(form);
  const page = `/m/${encodeURIComponent(machineId)}`;
  return runAction({ intent, form }, async () => {
    switch (intent) {
      case "report": {
        if (honeypotTripped(actor, machineId, form)) return redirect(`${page}?thanks=1`);
        const report = await parsePublicReport(actor, form, upload.oversized);
        const outcome = await reportProblem(actor, machineId, report);
        if ("filed" in outcome) return redirect(outcome.filed);
        // "Is it one of these?": nothing stored; the answer carries what to send again for "something new".
        return { ok: true as const, intent, similar: { issues: outcome.similar, values: resubmitValues(report) } };
      }
      case "metoo": {
        const { issueId, email } = parseInput(meTooInput, form);
        const browser = actor.user ? null : await ensureVoterKey(args.request);
        const outcome = await addMeToo(actor, machineId, issueId, browser?.voterKey ?? null, { email });
        const note = outcome === "already" ? "&already=1" : outcome === "address_cap" ? "&full=1" : "";
        const id = encodeURIComponent(issueId);
        return redirect(
          `${page}?voted=${id}${note}#issue-${id}`,
          browser?.setCookie ? { headers: { "Set-Cookie": browser.setCookie } } : undefined,
        );
      }
      default:
        throw invalidInput({ form: "Unknown action." });
    }
  });
}

/** The report's fields for the guard's "No, it's something new" form (the photo cannot be sent back). */
function resubmitValues(report: PublicReport): Record<string, string> {
  const values: Record<string, string> = { title: report.title };
  if (report.description) values.description = report.description;
  if (report.name) values.name = report.name;
  if (report.email) values.email = report.email;
  if (report.idempotencyKey) values.idempotencyKey = report.idempotencyKey;
  return values;
}

function votedMessage(d: { alreadyVoted: boolean; votesFull: boolean }): string {
  if (d.alreadyVoted) return "You already said “me too” for that problem. Thanks!";
  if (d.votesFull) return "Thanks! We already have several “me too”s for that problem from your network today.";
  return "Thanks! We counted your “me too”.";
}

export default function PublicMachinePage() {
  const d = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const meTooErrors = errorsFor(result, "metoo");
  const { machine } = d;
  const modelLine = [machine.modelName !== machine.name ? machine.modelName : null, machine.manufacturer, machine.year]
    .filter(Boolean)
    .join(" · ");

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <header className="space-y-2">
        <p className="text-sm text-slate-600">
          <span aria-hidden="true">📍</span> {machine.locationName}
        </p>
        <h1 className="text-2xl font-bold leading-tight sm:text-3xl">{machine.name}</h1>
        {modelLine ? <p className="text-slate-700">{modelLine}</p> : null}
        <div className="flex flex-wrap items-center gap-2 pt-1">
          <MachineStatusBadge status={d.status} large />
          <span className="text-sm text-slate-700">{MACHINE_STATUS_DESCRIPTION[d.status]}</span>
        </div>
        <p className="flex flex-wrap items-center gap-x-4 gap-y-2 pt-1 text-sm">
          {d.canReport && d.openIssues.length > 0 ? (
            <a href="#report" className="btn-primary min-h-11">
              Report a new problem
            </a>
          ) : null}
          {d.isMember ? <a href={`/machines/${machine.id}`}>Machine details for the team</a> : null}
        </p>
      </header>

      {d.thanks ? <FormMessage success="Thanks! Your report was sent to the team." /> : null}
      {d.votedIssueId ? <FormMessage success={votedMessage(d)} /> : null}
      {meTooErrors.form || meTooErrors.issueId ? <FormMessage error={meTooErrors.form ?? meTooErrors.issueId} /> : null}

      {d.canViewIssues ? (
        <KnownProblems openIssues={d.openIssues} recentlyFixed={d.recentlyFixed} canVote={d.canReport} />
      ) : null}

      {d.notOnFloorMessage ? (
        <section aria-labelledby="not-on-floor" className="card space-y-1">
          <h2 id="not-on-floor" className="text-lg font-semibold">
            {d.notOnFloorMessage}
          </h2>
          <p className="text-sm text-slate-700">It cannot take reports until it is back. Thanks for looking out!</p>
        </section>
      ) : d.canReport && result?.ok && result.similar ? (
        <SimilarProblems choice={result.similar} canAttach={d.canAttach} />
      ) : d.canReport ? (
        <ReportSection
          similarUrl={d.canViewIssues ? `/m/${encodeURIComponent(machine.id)}/similar` : null}
          signedInAs={d.signedInAs}
          canAttach={d.canAttach}
          reportKey={d.reportKey}
          errors={errorsFor(result, "report")}
          values={valuesFor(result, "report")}
        />
      ) : (
        <SignInToReport />
      )}

      <p className="text-sm">
        <a href="/report">Report a different machine</a>
      </p>
    </div>
  );
}
