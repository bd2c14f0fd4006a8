/**
 * The public machine page: where a QR sticker lands. Machine, a clear status, known problems in plain words with a
 * "me too" button, and a 30-second report form. No account, no JavaScript needed; small screens first.
 *
 * Abuse controls on the report: honeypot field (filled → pretend success, store nothing), per-IP and per-machine
 * rate limits for non-members (429 + Retry-After), body/field/photo size caps (413/400), photo type checked by
 * content, an idempotency key against double submits. The issue, its history, the photo's Attachment row and the
 * owner notification are written in one transaction; the photo file is removed again when that transaction fails
 * (app/lib/report-submit.server.ts). Anonymous "me too" votes are capped per address (app/lib/voter.server.ts).
 */
import { CATEGORY_LABELS } from "../../core/issue-rules";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormMessage, IdempotencyKeyField, TextareaField } from "~/components/form";
import { MachineStatusBadge } from "~/components/machine-status";
import { getAccess, requirePermission } from "~/lib/access.server";
import { clientIp } from "~/lib/context.server";
import { notFound } from "~/lib/errors.server";
import { parseWith } from "~/lib/forms.server";
import { fields } from "~/lib/fields";
import { MACHINE_STATUS_DESCRIPTION, deriveMachineStatus } from "../../core/machine-status";
import { STALE_FORM_MESSAGE, newIdempotencyKey, readIdempotencyKey } from "~/lib/idempotency.server";
import { RULES, checkLimits } from "~/lib/rate-limit.server";
import { submitReport } from "~/lib/report-submit.server";
import { UploadError, checkImageUpload, readUploadForm, type CheckedImage } from "~/lib/uploads.server";
import { ANONYMOUS_VOTES_PER_ADDRESS, ANONYMOUS_VOTE_WINDOW_MS, ensureVoterKey, readVoterKey, voterAddressHash } from "~/lib/voter.server";
import { machineExists } from "../../db/queries/machines.server";
import { getPublicMachinePage } from "../../db/queries/public.server";
import { addUpvote, listVotedIssueIds, type Voter } from "../../db/queries/upvotes.server";
import { timeAgo } from "~/lib/format";

// Document responses only carry headers a route passes on: keep Retry-After of a rate-limited submission.
export { rateLimitHeaders as headers } from "~/lib/rate-limit.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: d ? `${d.machine.name} · Report a problem` : "Machine · PinPoint" },
  { name: "description", content: d ? `Status and known problems of ${d.machine.name}. Report a problem in seconds.` : "" },
];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requirePermission(args, "machine:view");
  const { db, organizationId, user } = access;
  const machineId = args.params.machineId ?? "";
  const page = (await getPublicMachinePage(db, organizationId, machineId)) ?? notFound("We could not find that machine.");
  const now = new Date();
  const canViewIssues = access.can("issue:view");
  const openIssues = canViewIssues ? page.openIssues : [];
  const voterKey = user ? null : await readVoterKey(args.request);
  const voter = user ? { userId: user.id } : voterKey ? { voterKey } : null;
  const voted = new Set(await listVotedIssueIds(db, organizationId, openIssues.map((i) => i.id), voter));
  const status = deriveMachineStatus({
    openIssueCount: page.openIssues.length,
    maxOpenPriorityOrder: page.openIssues.reduce<number | null>((max, i) => (max == null || i.priorityOrder > max ? i.priorityOrder : max), null),
    topPriorityOrder: page.topPriorityOrder,
  });
  const url = new URL(args.request.url);
  const votedParam = url.searchParams.get("voted");
  return {
    machine: page.machine,
    status,
    canViewIssues,
    openIssues: openIssues.map((i) => ({
      id: i.id,
      title: i.title,
      statusLabel: CATEGORY_LABELS[i.category],
      statusName: i.statusName,
      age: timeAgo(i.createdAt, now),
      reportedOn: i.createdAt.toISOString().slice(0, 10),
      upvoteCount: i.upvoteCount,
      voted: voted.has(i.id),
      critical: page.topPriorityOrder != null && i.priorityOrder >= page.topPriorityOrder,
    })),
    recentlyFixed: canViewIssues ? page.recentlyFixed.map((i) => ({ id: i.id, title: i.title, age: i.resolvedAt ? timeAgo(i.resolvedAt, now) : "" })) : [],
    canReport: access.can("issue:create"),
    canAttach: access.can("attachment:create"),
    signedInAs: user ? (user.name ?? "you") : null,
    isMember: Boolean(access.membership),
    thanks: url.searchParams.get("thanks") === "1",
    votedIssueId: votedParam && votedParam.length <= 64 ? votedParam : null,
    alreadyVoted: url.searchParams.get("already") === "1",
    votesFull: url.searchParams.get("full") === "1",
    reportKey: newIdempotencyKey(),
  };
}

const reportSchema = z.object({
  title: fields.title,
  description: z
    .string()
    .trim()
    .max(2000, "Keep the details under 2,000 characters")
    .optional()
    .transform((v) => v || undefined),
  name: z
    .string()
    .trim()
    .max(100, "Keep your name under 100 characters")
    .optional()
    .transform((v) => v || undefined),
  email: fields.optionalEmail,
});

type FormValues = { title?: string; description?: string; name?: string; email?: string };
type ActionResult = { ok: false; intent: "report" | "metoo"; errors: Record<string, string>; values: FormValues };

function str(form: FormData, key: string, max = 20_000): string {
  const v = form.get(key);
  return typeof v === "string" ? v.slice(0, max) : "";
}

function reportFailed(
  errors: Record<string, string>,
  values: FormValues,
  status = 400,
  headers?: HeadersInit,
  intent: "report" | "metoo" = "report",
) {
  return data({ ok: false as const, intent, errors, values }, { status, headers });
}

export async function action(args: ActionFunctionArgs) {
  const { request, context, params } = args;
  const access = await requirePermission(args, "issue:create");
  const { db, organizationId, user } = access;
  const machineId = params.machineId ?? "";
  if (!(await machineExists(db, organizationId, machineId))) notFound("We could not find that machine.");

  let form: FormData;
  let oversized: Set<string>;
  try {
    ({ form, oversized } = await readUploadForm(request));
  } catch (error) {
    if (error instanceof UploadError) {
      // A body refused before it was read leaves unread bytes on the socket: close it rather than reuse it.
      const headers = error.status === 413 ? { Connection: "close" } : undefined;
      return reportFailed({ [error.field ?? "form"]: error.message, form: error.message }, {}, error.status, headers);
    }
    throw error;
  }

  const intent = form.get("intent");
  if (intent === "metoo") return meToo(args, form);
  if (intent !== "report") return reportFailed({ form: "Unknown action." }, {});

  const values: FormValues = {
    title: str(form, "title", 300),
    description: str(form, "description", 2100),
    name: str(form, "name", 120),
    email: user ? undefined : str(form, "email", 300),
  };

  // Honeypot: people never see this field; bots fill it. Pretend success and store nothing.
  if (str(form, "website").trim() !== "") {
    console.warn(`[report] honeypot tripped on machine ${machineId} from ${clientIp(context)}`);
    throw redirect(`/m/${encodeURIComponent(machineId)}?thanks=1`);
  }

  const parsed = parseWith(reportSchema, {
    title: str(form, "title"),
    description: str(form, "description"),
    name: user ? undefined : str(form, "name"),
    email: user ? undefined : str(form, "email"),
  });
  const errors: Record<string, string> = parsed.ok ? {} : { ...parsed.errors };

  let photo: CheckedImage | null = null;
  const file = form.get("photo");
  if (oversized.has("photo")) {
    errors.photo = "The photo is too large: at most 5 MB.";
  } else if (file instanceof File && file.size > 0) {
    if (!access.can("attachment:create")) errors.photo = "Photos cannot be added here.";
    else {
      try {
        photo = await checkImageUpload(file, { field: "photo" });
      } catch (error) {
        if (!(error instanceof UploadError)) throw error;
        errors.photo = error.message;
      }
    }
  }
  if (!parsed.ok || Object.keys(errors).length) {
    return reportFailed({ ...errors, form: "Please check the highlighted fields." }, values);
  }
  const claimKey = readIdempotencyKey(form.get("idempotencyKey"));
  if (!claimKey.ok) return reportFailed({ form: STALE_FORM_MESSAGE }, values);

  const input = parsed.data;
  // Members are accountable; the limits guard the anonymous front door.
  const outcome = await submitReport(access, {
    organizationId,
    machineId,
    title: input.title,
    description: input.description,
    reporter: user ? { userId: user.id } : { name: input.name, email: input.email },
    photo,
    limitedAddress: access.membership ? null : clientIp(context),
    idempotencyKey: claimKey.key,
    userId: user?.id,
  });
  if (outcome.ok) throw redirect(outcome.location);
  if (outcome.reason === "machine_not_found") notFound("We could not find that machine.");
  if (outcome.reason === "rate_limited") {
    const minutes = Math.ceil(outcome.retryAfterSeconds / 60);
    return reportFailed(
      {
        form: `We have received many reports from here recently. Please wait ${minutes <= 1 ? "a minute" : `${minutes} minutes`} and try again, or tap "Me too" on a listed problem.`,
      },
      values,
      429,
      { "Retry-After": String(outcome.retryAfterSeconds) },
    );
  }
  return reportFailed({ form: "Reports cannot be taken for this organization right now. Please tell the staff." }, values, 409);
}

async function meToo(args: ActionFunctionArgs, form: FormData) {
  const access = await getAccess(args);
  const { db, organizationId, user } = access;
  const machineId = args.params.machineId ?? "";
  const issueId = str(form, "issueId", 100).trim();
  if (!issueId || issueId.length > 64) return reportFailed({ form: "Choose a problem from the list." }, {}, 400, undefined, "metoo");
  if (!access.membership) {
    const limit = checkLimits([[`upvote:ip:${clientIp(args.context)}`, RULES.upvotePerIp]]);
    if (!limit.allowed) {
      return reportFailed(
        { form: "Too many taps in a short time. Please wait a few minutes and try again." },
        {},
        429,
        { "Retry-After": String(limit.retryAfterSeconds) },
        "metoo",
      );
    }
  }
  let setCookie: string | null = null;
  let voter: Voter;
  if (user) voter = { userId: user.id };
  else {
    const ensured = await ensureVoterKey(args.request);
    voter = { voterKey: ensured.voterKey, addressHash: voterAddressHash(clientIp(args.context)) };
    setCookie = ensured.setCookie;
  }
  const result = await addUpvote(db, organizationId, issueId, voter, {
    machineId,
    addressCap: { max: ANONYMOUS_VOTES_PER_ADDRESS, windowMs: ANONYMOUS_VOTE_WINDOW_MS },
  });
  if (result === "not_found") {
    return reportFailed({ form: "That problem was fixed or is no longer listed." }, {}, 404, undefined, "metoo");
  }
  const note = result === "already" ? "&already=1" : result === "address_cap" ? "&full=1" : "";
  const target = `/m/${encodeURIComponent(machineId)}?voted=${encodeURIComponent(issueId)}${note}#issue-${encodeURIComponent(issueId)}`;
  throw redirect(target, setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined);
}

export default function PublicMachinePage() {
  const d = useLoaderData<typeof loader>();
  // Typed by hand: without the single-fetch `Future` flag in remix.env.d.ts, `typeof action` types `data()` wrongly.
  const actionData = useActionData() as ActionResult | undefined;
  const navigation = useNavigation();
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const values: FormValues = actionData?.values ?? {};
  const meTooError = actionData?.intent === "metoo" ? errors.form : undefined;
  const reportError = actionData?.intent === "report" ? errors.form : undefined;
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "report";
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
          {d.isMember ? <Link to={`/machines/${machine.id}`}>Machine details for the team</Link> : null}
        </p>
      </header>

      {d.thanks ? <FormMessage success="Thanks! Your report was sent to the team." /> : null}
      {d.votedIssueId ? (
        <FormMessage
          success={
            d.alreadyVoted
              ? "You already said “me too” for that problem. Thanks!"
              : d.votesFull
                ? "Thanks! We already have several “me too”s for that problem from your network today."
                : "Thanks! We counted your “me too”."
          }
        />
      ) : null}
      {meTooError ? <FormMessage error={meTooError} /> : null}

      {d.canViewIssues ? (
        <section aria-labelledby="known-heading" className="space-y-3">
          <h2 id="known-heading" className="text-lg font-semibold">
            Known problems {d.openIssues.length ? <span className="text-slate-600">({d.openIssues.length})</span> : null}
          </h2>
          {d.openIssues.length === 0 ? (
            <p className="card text-slate-700">No known problems. If something is wrong, please tell us below.</p>
          ) : (
            <>
              <p className="text-sm text-slate-600">Is your problem listed? Tap “Me too” instead of sending a new report.</p>
              <ul className="space-y-3">
                {d.openIssues.map((issue) => (
                  <li key={issue.id} id={`issue-${issue.id}`} className="card flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
                    <div className="min-w-0 space-y-1">
                      <p className="break-words font-medium text-slate-900">
                        {issue.critical ? <span className="sr-only">Critical: </span> : null}
                        {issue.title}
                      </p>
                      <p className="text-sm text-slate-600">
                        <span className={issue.statusLabel === "In progress" ? "font-medium text-indigo-800" : "font-medium text-slate-800"}>
                          {issue.statusLabel}
                          {issue.statusLabel === "In progress" && issue.statusName !== "In Progress" ? ` (${issue.statusName})` : ""}
                        </span>
                        {" · "}
                        reported <time dateTime={issue.reportedOn}>{issue.age}</time>
                        {issue.upvoteCount > 0 ? ` · ${issue.upvoteCount} ${issue.upvoteCount === 1 ? "person" : "people"} said me too` : ""}
                      </p>
                    </div>
                    {d.canReport ? (
                      issue.voted ? (
                        <p className="shrink-0 text-sm font-medium text-green-800">
                          <span aria-hidden="true">✓</span> You said me too
                        </p>
                      ) : (
                        <Form method="post" className="shrink-0" preventScrollReset>
                          <input type="hidden" name="intent" value="metoo" />
                          <input type="hidden" name="issueId" value={issue.id} />
                          <button type="submit" className="btn-secondary min-h-11 w-full sm:w-auto" aria-label={`Me too: ${issue.title}`}>
                            <span aria-hidden="true">👍</span> Me too
                          </button>
                        </Form>
                      )
                    ) : null}
                  </li>
                ))}
              </ul>
            </>
          )}
          {d.recentlyFixed.length ? (
            <details className="text-sm text-slate-700">
              <summary className="cursor-pointer">Recently fixed ({d.recentlyFixed.length})</summary>
              <ul className="mt-2 list-disc space-y-1 pl-5">
                {d.recentlyFixed.map((i) => (
                  <li key={i.id}>
                    {i.title} <span className="text-slate-500">· fixed {i.age}</span>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </section>
      ) : null}

      {d.canReport ? (
        <section aria-labelledby="report-heading" id="report" className="card space-y-4">
          <div>
            <h2 id="report-heading" className="text-lg font-semibold">
              Report a problem
            </h2>
            <p className="text-sm text-slate-600">
              {d.signedInAs ? `Reporting as ${d.signedInAs}.` : "No account needed. Takes about 30 seconds."}
            </p>
          </div>
          {reportError ? <FormMessage error={reportError} /> : null}
          <Form method="post" encType="multipart/form-data" className="space-y-4" noValidate>
            <input type="hidden" name="intent" value="report" />
            <IdempotencyKeyField value={d.reportKey} />
            <Field
              label="What’s wrong?"
              name="title"
              required
              maxLength={255}
              autoComplete="off"
              placeholder="e.g. Left flipper is weak"
              defaultValue={values.title ?? ""}
              error={errors.title}
            />
            <TextareaField
              label="Details (optional)"
              name="description"
              rows={3}
              maxLength={2000}
              hint="When does it happen? Every game, sometimes?"
              defaultValue={values.description ?? ""}
              error={errors.description}
            />
            {d.canAttach ? (
              <Field
                label="Photo (optional)"
                name="photo"
                type="file"
                accept="image/jpeg,image/png,image/webp"
                hint="JPEG, PNG or WebP, up to 5 MB."
                error={errors.photo}
              />
            ) : null}
            {d.signedInAs ? null : (
              <>
                <Field label="Your name (optional)" name="name" maxLength={100} autoComplete="name" defaultValue={values.name ?? ""} error={errors.name} />
                <Field
                  label="Your email (optional)"
                  name="email"
                  type="email"
                  inputMode="email"
                  maxLength={254}
                  autoComplete="email"
                  hint="Only the team sees it, never the public. You can also follow your report with the link you get next."
                  defaultValue={values.email ?? ""}
                  error={errors.email}
                />
              </>
            )}
            {/* Honeypot: hidden from people and screen readers; bots fill every field. */}
            <div aria-hidden="true" className="absolute -left-[10000px] h-px w-px overflow-hidden">
              <label htmlFor="website">Leave this field empty</label>
              <input id="website" name="website" type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
            </div>
            <button type="submit" className="btn-primary min-h-11 w-full text-base" disabled={submitting}>
              {submitting ? "Sending…" : "Send report"}
            </button>
          </Form>
        </section>
      ) : (
        <p className="card text-slate-700">
          To report a problem, please <Link to="/login">sign in</Link>.
        </p>
      )}

      <p className="text-sm">
        <Link to="/report">Report a different machine</Link>
      </p>
    </div>
  );
}
