/**
 * /issues/<id> — one issue: what, where, who, where it stands, photos, and ONE timeline merging comments and history.
 * Viewing needs issue:view (the Unauthenticated role may have it: guests then see the public parts; reporter e-mails
 * only reach members with issue:edit). Every change is a POST with an `intent`; each intent checks its own permission
 * and is done by a member (anonymous visitors are sent to sign in):
 *
 *   status / priority / details → issue:edit      assign → issue:assign (members of the organization only)
 *   comment → issue:create     comment-edit → issue:edit + author     comment-delete → author, or issue:delete
 *   comment-restore → organization:manage     attach → attachment:create (≤3 photos)     attachment-delete → attachment:delete
 *
 * Unknown intent or invalid input → 400 with field errors and nothing written; ids of other organizations → 404.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { z } from "zod";
import { FormMessage, IdempotencyKeyField, TextareaField, Field } from "~/components/form";
import { getAccess, requireMember, requirePermission } from "~/lib/access.server";
import { forbidden, notFound } from "~/lib/errors.server";
import { formToObject, parseWith, validationError } from "~/lib/forms.server";
import { fields } from "~/lib/fields";
import { STALE_FORM_MESSAGE, newIdempotencyKey, readIdempotencyKey } from "~/lib/idempotency.server";
import { isPlausibleId } from "~/lib/ids";
import { CATEGORY_LABELS, ISSUE_LIMITS, type StatusCategory } from "../../core/issue-rules";
import { timeAgo, formatDateTime } from "~/lib/format";
import {
  UploadError,
  deleteStoredUpload,
  readUploadForm,
  saveImageUpload,
} from "~/lib/uploads.server";
import { addAttachment, countAttachments, deleteAttachment, listAttachments } from "../../db/queries/attachments.server";
import { addComment, deleteComment, editComment, restoreComment } from "../../db/queries/comments.server";
import { runOnce } from "../../db/queries/idempotency.server";
import {
  changeIssueAssignee,
  changeIssuePriority,
  changeIssueStatus,
  displayName,
  editIssueDetails,
  getIssueDetail,
  getIssueTimeline,
  listMemberOptions,
  type ChangeResult,
  type TimelineItem,
} from "../../db/queries/issues.server";
import { listPriorities } from "../../db/queries/priorities.server";
import { listStatuses } from "../../db/queries/statuses.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d ? `${d.issue.title} · Issues · PinPoint` : "Issue · PinPoint" }];

const ATTACHMENTS_PER_ISSUE = ISSUE_LIMITS.attachmentsPerIssue;

const CATEGORY_BADGE: Record<StatusCategory, string> = {
  NEW: "bg-amber-100 text-amber-900 ring-1 ring-inset ring-amber-300",
  IN_PROGRESS: "bg-indigo-100 text-indigo-900 ring-1 ring-inset ring-indigo-300",
  RESOLVED: "bg-green-100 text-green-900 ring-1 ring-inset ring-green-300",
};

function issueIdFrom(params: Record<string, string | undefined>): string {
  const id = params.issueId ?? "";
  if (!isPlausibleId(id)) notFound("We could not find that issue.");
  return id;
}

export async function loader(args: LoaderFunctionArgs) {
  const access = await requirePermission(args, "issue:view");
  const { db, organizationId, user, membership, can } = access;
  const issueId = issueIdFrom(args.params);
  const issue = (await getIssueDetail(db, organizationId, issueId)) ?? notFound("We could not find that issue.");
  const isMember = Boolean(user && membership);
  const canManage = isMember && can("organization:manage");
  const showDeleted = canManage && new URL(args.request.url).searchParams.get("deleted") === "1";
  const perms = {
    edit: isMember && can("issue:edit"),
    assign: isMember && can("issue:assign"),
    comment: isMember && can("issue:create"),
    deleteOthers: isMember && can("issue:delete"),
    manage: canManage,
    attach: isMember && can("attachment:create"),
    viewAttachments: can("attachment:view"),
    deleteAttachments: isMember && can("attachment:delete"),
  };
  const [timeline, attachments, statuses, priorities, members] = await Promise.all([
    getIssueTimeline(db, organizationId, issueId, { includeDeleted: showDeleted }),
    perms.viewAttachments ? listAttachments(db, organizationId, issueId) : Promise.resolve([]),
    perms.edit ? listStatuses(db, organizationId) : Promise.resolve([]),
    perms.edit ? listPriorities(db, organizationId) : Promise.resolve([]),
    perms.assign ? listMemberOptions(db, organizationId) : Promise.resolve([]),
  ]);
  const now = new Date();
  const when = (d: Date) => ({ iso: d.toISOString(), ago: timeAgo(d, now), full: formatDateTime(d) });

  return {
    me: user && membership ? { id: user.id } : null,
    perms,
    // A fresh key per render of the comment form: a double submit adds one comment (app/lib/idempotency.server.ts).
    commentKey: perms.comment ? newIdempotencyKey() : null,
    showDeleted,
    issue: {
      id: issue.id,
      title: issue.title,
      description: issue.description,
      consistency: issue.consistency,
      created: when(issue.createdAt),
      updated: when(issue.updatedAt),
      resolved: issue.resolvedAt ? when(issue.resolvedAt) : null,
      status: issue.status,
      priority: issue.priority,
      machine: { id: issue.machine.id, name: issue.machine.name, model: issue.modelName },
      location: issue.location,
      assignee: issue.assignee ? { id: issue.assignee.id, name: displayName(issue.assignee.name) } : null,
      reporter: issue.reporter
        ? { kind: "member" as const, name: displayName(issue.reporter.name) }
        : { kind: "guest" as const, name: issue.submitterName || null },
      // E-mail addresses of anonymous reporters only for members who triage (issue:edit).
      reporterEmail: perms.edit ? issue.reporterEmail : null,
      upvotes: issue.upvotes,
    },
    attachments: attachments.map((a) => ({ id: a.id, fileName: a.fileName, created: when(a.createdAt) })),
    timeline: timeline.map((t) => serializeTimeline(t, when, issue.submitterName)),
    statuses,
    priorities: priorities.map((p) => ({ id: p.id, name: p.name })),
    members,
  };
}

function serializeTimeline(t: TimelineItem, when: (d: Date) => { iso: string; ago: string; full: string }, guestName: string | null) {
  if (t.kind === "comment") {
    return {
      kind: "comment" as const,
      id: t.id,
      at: when(t.at),
      content: t.content,
      edited: t.edited,
      author: t.author,
      deleted: t.deletedAt ? { at: when(t.deletedAt), by: t.deletedBy } : null,
    };
  }
  return {
    kind: "activity" as const,
    id: t.id,
    at: when(t.at),
    // No actor: the guest who reported it (CREATED), otherwise a deleted account or the system.
    actor: t.actor?.name ?? (t.type === "CREATED" ? (guestName ? `${guestName} (guest)` : "A guest") : "Someone"),
    text: t.type === "ASSIGNED" && t.actor && t.newValue && !t.oldValue && t.newValue === t.actor.name ? "took this issue" : describeActivity(t),
  };
}

function quote(s: string | null, max = 80) {
  if (!s) return "—";
  return `“${s.length > max ? `${s.slice(0, max - 1)}…` : s}”`;
}

/** One sentence per history row (the actor is shown separately). */
function describeActivity(t: Extract<TimelineItem, { kind: "activity" }>): string {
  switch (t.type) {
    case "CREATED":
      return "reported this issue";
    case "STATUS_CHANGED":
      return `changed the status from ${quote(t.oldValue)} to ${quote(t.newValue)}`;
    case "RESOLVED":
      return `closed this as ${quote(t.newValue)}${t.oldValue ? ` (was ${quote(t.oldValue)})` : ""}`;
    case "REOPENED":
      return `reopened this: ${quote(t.oldValue)} → ${quote(t.newValue)}`;
    case "PRIORITY_CHANGED":
      return `changed the priority from ${quote(t.oldValue)} to ${quote(t.newValue)}`;
    case "ASSIGNED":
      if (!t.newValue) return `unassigned ${t.oldValue ?? "the issue"}`;
      if (!t.oldValue) return `assigned this to ${t.newValue}`;
      return `reassigned this from ${t.oldValue} to ${t.newValue}`;
    case "COMMENT_DELETED":
      return "deleted a comment";
    case "ATTACHMENT_ADDED":
      return `added the photo ${quote(t.newValue)}`;
    case "MERGED":
      return "merged a duplicate into this issue";
    case "COMMENTED":
      return "commented";
    case "SYSTEM":
      switch (t.field) {
        case "title":
          return `changed the title from ${quote(t.oldValue)} to ${quote(t.newValue)}`;
        case "description":
          return t.newValue ? "edited the description" : "removed the description";
        case "comment":
          return t.newValue === "restored" ? "restored a deleted comment" : "edited a comment";
        case "attachment":
          return `removed the photo ${quote(t.oldValue)}`;
        case "status":
          return `moved this from status ${quote(t.oldValue)} to ${quote(t.newValue)} (the old status was removed)`;
        case "priority":
          return `moved this from priority ${quote(t.oldValue)} to ${quote(t.newValue)} (the old priority was removed)`;
        default:
          return "updated this issue";
      }
    default:
      return "updated this issue";
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Actions

/** Built on demand: `fields` lives in a .server module, which is empty in the browser bundle. */
const schemaSet = () => ({
  status: z.object({ statusId: fields.id }),
  priority: z.object({ priorityId: fields.id }),
  assign: z.object({ assigneeId: z.string().trim().max(64) }),
  details: z.object({ title: fields.title, description: fields.description }),
  comment: z.object({
    content: z.string().trim().min(1, "Write a comment").max(ISSUE_LIMITS.comment, "Keep comments under 1,000 characters"),
  }),
  commentEdit: z.object({
    commentId: fields.id,
    content: z.string().trim().min(1, "Write a comment").max(ISSUE_LIMITS.comment, "Keep comments under 1,000 characters"),
  }),
  commentRef: z.object({ commentId: fields.id }),
  attachmentRef: z.object({ attachmentId: fields.id }),
});

/** A submitted text echoed back to the form after a refusal, bounded. */
function clip(value: unknown, max: number): string | undefined {
  return typeof value === "string" ? value.slice(0, max) : undefined;
}

function respond(
  result: (ChangeResult & { commentId?: string }) | { ok: true; message: string } | { ok: false; status: 400 | 403 | 404; field: string; message: string },
  intent: string,
) {
  if (result.ok) return data({ ok: true as const, intent, message: result.message, ...("commentId" in result && result.commentId ? { commentId: result.commentId } : {}) });
  if (result.status === 404) notFound(result.message);
  if (result.status === 403) forbidden(result.message);
  return validationError({ [result.field]: result.message }, { intent });
}

export async function action(args: ActionFunctionArgs) {
  const { organizationId } = await getAccess(args);
  const issueId = issueIdFrom(args.params);
  let upload;
  try {
    upload = await readUploadForm(args.request);
  } catch (error) {
    if (error instanceof UploadError) {
      return data({ ok: false as const, errors: { [error.field ?? "photo"]: error.message }, values: { intent: "attach" } }, { status: error.status });
    }
    throw error;
  }
  const form = upload.form;
  const values = formToObject(form);
  const intent = typeof values.intent === "string" ? values.intent : "";
  const schemas = schemaSet();

  switch (intent) {
    case "status": {
      const { db, user } = await requireMember(args, "issue:edit");
      const parsed = parseWith(schemas.status, values);
      if (!parsed.ok) return validationError(parsed.errors, { intent });
      return respond(await changeIssueStatus(db, { organizationId, issueId, statusId: parsed.data.statusId, actor: user }), intent);
    }
    case "priority": {
      const { db, user } = await requireMember(args, "issue:edit");
      const parsed = parseWith(schemas.priority, values);
      if (!parsed.ok) return validationError(parsed.errors, { intent });
      return respond(await changeIssuePriority(db, { organizationId, issueId, priorityId: parsed.data.priorityId, actor: user }), intent);
    }
    case "assign": {
      const { db, user } = await requireMember(args, "issue:assign");
      const parsed = parseWith(schemas.assign, values);
      if (!parsed.ok) return validationError(parsed.errors, { intent });
      const raw = parsed.data.assigneeId;
      const assigneeId = raw === "" || raw === "unassign" ? null : raw === "me" ? user.id : raw;
      if (assigneeId !== null && !isPlausibleId(assigneeId)) return validationError({ assigneeId: "Pick a member of this organization." }, { intent });
      return respond(await changeIssueAssignee(db, { organizationId, issueId, assigneeId, actor: user }), intent);
    }
    case "details": {
      const { db, user } = await requireMember(args, "issue:edit");
      const parsed = parseWith(schemas.details, values);
      if (!parsed.ok) return validationError(parsed.errors, { intent, title: clip(values.title, 300), description: clip(values.description, 11_000) });
      return respond(
        await editIssueDetails(db, { organizationId, issueId, title: parsed.data.title, description: parsed.data.description ?? null, actor: user }),
        intent,
      );
    }
    case "comment": {
      const { db, user } = await requireMember(args, "issue:create");
      const parsed = parseWith(schemas.comment, values);
      if (!parsed.ok) return validationError(parsed.errors, { intent, content: clip(values.content, 2000) });
      const claimKey = readIdempotencyKey(values.idempotencyKey);
      if (!claimKey.ok) return validationError({ content: STALE_FORM_MESSAGE }, { intent, content: clip(values.content, 2000) });
      // A repeat of this submit (same key) gets the first answer and adds nothing.
      const claim = claimKey.key ? { organizationId, scope: `comment:${issueId}:${user.id}`, key: claimKey.key } : null;
      const { result } = await runOnce(db, claim, (tx) => addComment(tx, { organizationId, issueId, content: parsed.data.content, actor: user }));
      return respond(result, intent);
    }
    case "comment-edit": {
      const { db, user, can } = await requireMember(args, "issue:edit");
      const parsed = parseWith(schemas.commentEdit, values);
      if (!parsed.ok) return validationError(parsed.errors, { intent, commentId: clip(values.commentId, 64) });
      return respond(
        await editComment(db, {
          organizationId,
          issueId,
          commentId: parsed.data.commentId,
          content: parsed.data.content,
          actor: user,
          canEdit: can("issue:edit"),
        }),
        intent,
      );
    }
    case "comment-delete": {
      const { db, user, can } = await requireMember(args);
      const parsed = parseWith(schemas.commentRef, values);
      if (!parsed.ok) return validationError(parsed.errors, { intent });
      return respond(
        await deleteComment(db, {
          organizationId,
          issueId,
          commentId: parsed.data.commentId,
          actor: user,
          canDeleteOthers: can("issue:delete"),
        }),
        intent,
      );
    }
    case "comment-restore": {
      const { db, user } = await requireMember(args, "organization:manage");
      const parsed = parseWith(schemas.commentRef, values);
      if (!parsed.ok) return validationError(parsed.errors, { intent });
      return respond(await restoreComment(db, { organizationId, issueId, commentId: parsed.data.commentId, actor: user }), intent);
    }
    case "attach": {
      const { db, user } = await requireMember(args, "attachment:create");
      if (upload.oversized.has("photo")) {
        return data({ ok: false as const, errors: { photo: "The photo is too large: at most 5 MB." }, values: { intent } }, { status: 413 });
      }
      const file = form.get("photo");
      if (!(file instanceof File) || file.size === 0) return validationError({ photo: "Choose a photo (JPEG, PNG or WebP)." }, { intent });
      // Check the limit (and that the issue exists here) before storing anything.
      const issue = await getIssueDetail(db, organizationId, issueId);
      if (!issue) notFound("We could not find that issue.");
      if ((await countAttachments(db, organizationId, issueId)) >= ATTACHMENTS_PER_ISSUE) {
        return validationError({ photo: `An issue can have at most ${ATTACHMENTS_PER_ISSUE} photos. Delete one first.` }, { intent });
      }
      let stored;
      try {
        stored = await saveImageUpload(file, { organizationId, field: "photo" });
      } catch (error) {
        if (error instanceof UploadError) {
          return data({ ok: false as const, errors: { photo: error.message }, values: { intent } }, { status: error.status });
        }
        throw error;
      }
      try {
        const result = await addAttachment(db, {
          organizationId,
          issueId,
          actor: user,
          file: { url: stored.path, fileName: stored.fileName, fileType: stored.fileType },
        });
        if (!result.ok) await deleteStoredUpload(stored.path);
        return respond(result, intent);
      } catch (error) {
        await deleteStoredUpload(stored.path);
        throw error;
      }
    }
    case "attachment-delete": {
      const { db, user } = await requireMember(args, "attachment:delete");
      const parsed = parseWith(schemas.attachmentRef, values);
      if (!parsed.ok) return validationError(parsed.errors, { intent });
      const result = await deleteAttachment(db, { organizationId, issueId, attachmentId: parsed.data.attachmentId, actor: user });
      if (result.ok && result.removedKey) await deleteStoredUpload(result.removedKey);
      return respond(result, intent);
    }
    default:
      return validationError({ form: "Unknown action." }, { intent });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// UI

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type ActionData = { ok: true; intent: string; message: string } | { ok: false; errors: Record<string, string>; values?: Record<string, unknown> };

function useResult() {
  const result = useActionData<typeof action>() as ActionData | undefined;
  const intent = result ? (result.ok ? result.intent : String(result.values?.intent ?? "")) : "";
  const errors = result && !result.ok ? result.errors : {};
  const values = result && !result.ok ? (result.values ?? {}) : {};
  return { result, intent, errors, values };
}

export default function IssuePage() {
  const d = useLoaderData<typeof loader>();
  const { issue, perms } = d;
  const { result, intent, errors, values } = useResult();

  return (
    <article className="mx-auto max-w-4xl space-y-6" aria-labelledby="issue-title">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link to="/issues">← All issues</Link>
      </nav>

      <header className="space-y-2">
        <div className="flex flex-wrap items-center gap-2">
          <span className={`badge ${CATEGORY_BADGE[issue.status.category]}`}>
            {issue.status.name.toLowerCase() === CATEGORY_LABELS[issue.status.category].toLowerCase()
              ? issue.status.name
              : `${CATEGORY_LABELS[issue.status.category]} · ${issue.status.name}`}
          </span>
          <span className="badge bg-slate-100 text-slate-800 ring-1 ring-inset ring-slate-300">Priority: {issue.priority.name}</span>
          {issue.upvotes ? <span className="badge bg-slate-100 text-slate-800">👍 {issue.upvotes} me too</span> : null}
        </div>
        <h1 id="issue-title" className="text-2xl font-bold break-words">
          {issue.title}
        </h1>
        <p className="text-sm text-slate-600">
          <Link to={`/machines/${issue.machine.id}`}>{issue.machine.name}</Link>
          {issue.machine.model && issue.machine.model !== issue.machine.name ? ` (${issue.machine.model})` : ""} · {issue.location.name}
        </p>
      </header>

      {result?.ok ? <FormMessage success={result.message} /> : null}
      {errors.form ? <FormMessage error={errors.form} /> : null}

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
            {perms.edit ? (
              <EditDetails
                issue={issue}
                errors={intent === "details" ? errors : {}}
                draft={intent === "details" && !result?.ok ? values : undefined}
                ok={intent === "details" && Boolean(result?.ok)}
              />
            ) : null}
          </section>
        </div>

        <div className="order-last space-y-6 md:order-none md:col-span-2">
          {perms.viewAttachments ? <Photos d={d} errors={intent === "attach" ? errors : {}} /> : null}

          <Timeline
            d={d}
            intent={intent}
            errors={errors}
            okIntent={result?.ok ? intent : ""}
            editingId={intent === "comment-edit" ? String(values.commentId ?? "") : ""}
            draft={intent === "comment" && typeof values.content === "string" ? values.content : undefined}
          />
        </div>

        <aside className="space-y-4 md:col-start-3 md:row-span-2 md:row-start-1" aria-label="Issue details">
          <TriagePanel d={d} intent={intent} errors={errors} />
          <section className="card space-y-2 text-sm" aria-labelledby="facts-heading">
            <h2 id="facts-heading" className="font-semibold">
              Details
            </h2>
            <dl className="grid grid-cols-[auto,1fr] gap-x-3 gap-y-1">
              <dt className="text-slate-600">Reported</dt>
              <dd>
                <time dateTime={issue.created.iso} title={issue.created.full}>
                  {issue.created.ago}
                </time>
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
                <time dateTime={issue.updated.iso} title={issue.updated.full}>
                  {issue.updated.ago}
                </time>
              </dd>
              {issue.resolved ? (
                <>
                  <dt className="text-slate-600">Closed</dt>
                  <dd>
                    <time dateTime={issue.resolved.iso} title={issue.resolved.full}>
                      {issue.resolved.ago}
                    </time>
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

function SubmitButton({ children, className = "btn-secondary", name, value }: { children: ReactNode; className?: string; name?: string; value?: string }) {
  const nav = useNavigation();
  return (
    <button type="submit" className={className} disabled={nav.state === "submitting"} name={name} value={value}>
      {children}
    </button>
  );
}

function TriagePanel({ d, intent, errors }: { d: LoaderData; intent: string; errors: Record<string, string> }) {
  const { issue, perms } = d;
  if (!perms.edit && !perms.assign) return null;
  const groups = (["NEW", "IN_PROGRESS", "RESOLVED"] as const).map((c) => ({ c, list: d.statuses.filter((s) => s.category === c) }));
  return (
    <section className="card space-y-4" aria-labelledby="triage-heading">
      <h2 id="triage-heading" className="font-semibold">
        Triage
      </h2>
      {perms.edit ? (
        <Form method="post" preventScrollReset className="space-y-2">
          <input type="hidden" name="intent" value="status" />
          <label htmlFor="status-select" className="label">
            Status
          </label>
          <div className="flex gap-2">
            <select
              id="status-select"
              name="statusId"
              defaultValue={issue.status.id}
              key={issue.status.id}
              className="input"
              aria-invalid={intent === "status" && errors.statusId ? true : undefined}
              aria-describedby={intent === "status" && errors.statusId ? "status-error" : undefined}
            >
              {groups.map((g) =>
                g.list.length ? (
                  <optgroup key={g.c} label={CATEGORY_LABELS[g.c]}>
                    {g.list.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                  </optgroup>
                ) : null,
              )}
            </select>
            <SubmitButton>
              Set<span className="sr-only"> status</span>
            </SubmitButton>
          </div>
          {intent === "status" && errors.statusId ? (
            <p id="status-error" className="field-error">
              {errors.statusId}
            </p>
          ) : null}
        </Form>
      ) : null}
      {perms.edit ? (
        <Form method="post" preventScrollReset className="space-y-2">
          <input type="hidden" name="intent" value="priority" />
          <label htmlFor="priority-select" className="label">
            Priority
          </label>
          <div className="flex gap-2">
            <select id="priority-select" name="priorityId" defaultValue={issue.priority.id} key={issue.priority.id} className="input">
              {d.priorities.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
            <SubmitButton>
              Set<span className="sr-only"> priority</span>
            </SubmitButton>
          </div>
          {intent === "priority" && errors.priorityId ? <p className="field-error">{errors.priorityId}</p> : null}
        </Form>
      ) : null}
      {perms.assign ? (
        <div className="space-y-2">
          <Form method="post" preventScrollReset className="space-y-2">
            <input type="hidden" name="intent" value="assign" />
            <label htmlFor="assignee-select" className="label">
              Assignee
            </label>
            <div className="flex gap-2">
              <select
                id="assignee-select"
                name="assigneeId"
                defaultValue={issue.assignee?.id ?? "unassign"}
                key={issue.assignee?.id ?? "none"}
                className="input"
                aria-invalid={intent === "assign" && errors.assigneeId ? true : undefined}
                aria-describedby={intent === "assign" && errors.assigneeId ? "assignee-error" : undefined}
              >
                <option value="unassign">Unassigned</option>
                {d.members.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                    {d.me?.id === m.id ? " (me)" : ""}
                  </option>
                ))}
              </select>
              <SubmitButton>
              Set<span className="sr-only"> assignee</span>
            </SubmitButton>
            </div>
            {intent === "assign" && errors.assigneeId ? (
              <p id="assignee-error" className="field-error">
                {errors.assigneeId}
              </p>
            ) : null}
          </Form>
          {d.me && issue.assignee?.id !== d.me.id ? (
            <Form method="post" preventScrollReset>
              <input type="hidden" name="intent" value="assign" />
              <input type="hidden" name="assigneeId" value="me" />
              <SubmitButton className="btn-secondary w-full">Assign to me</SubmitButton>
            </Form>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function EditDetails({
  issue,
  errors,
  draft,
  ok,
}: {
  issue: LoaderData["issue"];
  errors: Record<string, string>;
  draft?: Record<string, unknown>;
  ok: boolean;
}) {
  const draftTitle = typeof draft?.title === "string" ? draft.title : undefined;
  const draftDescription = typeof draft?.description === "string" ? draft.description : undefined;
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (ok && ref.current) ref.current.open = false;
  }, [ok]);
  return (
    <details ref={ref} open={errors.title || errors.description ? true : undefined}>
      <summary className="cursor-pointer text-sm font-medium text-indigo-700">Edit title and description</summary>
      <Form method="post" preventScrollReset className="mt-3 space-y-3">
        <input type="hidden" name="intent" value="details" />
        <Field label="Title" name="title" defaultValue={draftTitle ?? issue.title} required maxLength={ISSUE_LIMITS.title} error={errors.title} />
        <TextareaField
          label="Description"
          name="description"
          defaultValue={draftDescription ?? issue.description ?? ""}
          rows={5}
          maxLength={ISSUE_LIMITS.description}
          error={errors.description}
        />
        <SubmitButton className="btn-primary">Save changes</SubmitButton>
      </Form>
    </details>
  );
}

function Photos({ d, errors }: { d: LoaderData; errors: Record<string, string> }) {
  const { attachments, perms } = d;
  const full = attachments.length >= ATTACHMENTS_PER_ISSUE;
  return (
    <section className="card space-y-3" aria-labelledby="photos-heading">
      <h2 id="photos-heading" className="font-semibold">
        Photos <span className="text-sm font-normal text-slate-500">({attachments.length} of {ATTACHMENTS_PER_ISSUE})</span>
      </h2>
      {attachments.length === 0 ? <p className="text-sm text-slate-600">No photos yet.</p> : null}
      {attachments.length ? (
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3">
          {attachments.map((a) => (
            <li key={a.id} className="space-y-1">
              <a href={`/attachments/${a.id}`} target="_blank" rel="noreferrer" className="block">
                <img
                  src={`/attachments/${a.id}`}
                  alt={a.fileName}
                  loading="lazy"
                  className="aspect-square w-full rounded-md border border-slate-200 object-cover"
                />
              </a>
              <p className="truncate text-xs text-slate-600" title={a.fileName}>
                {a.fileName}
              </p>
              {perms.deleteAttachments ? (
                <Form method="post" preventScrollReset>
                  <input type="hidden" name="intent" value="attachment-delete" />
                  <input type="hidden" name="attachmentId" value={a.id} />
                  <button type="submit" className="text-xs text-red-700 underline" aria-label={`Delete photo ${a.fileName}`}>
                    Delete
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {perms.attach && !full ? (
        <Form method="post" encType="multipart/form-data" preventScrollReset className="space-y-2">
          <input type="hidden" name="intent" value="attach" />
          <Field
            label="Add a photo"
            name="photo"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            required
            error={errors.photo}
            hint="JPEG, PNG or WebP, up to 5 MB."
          />
          <SubmitButton>Upload photo</SubmitButton>
        </Form>
      ) : null}
      {perms.attach && full ? <p className="text-sm text-slate-600">This issue has the maximum of {ATTACHMENTS_PER_ISSUE} photos.</p> : null}
    </section>
  );
}

function Timeline({
  d,
  intent,
  errors,
  okIntent,
  editingId,
  draft,
}: {
  d: LoaderData;
  intent: string;
  errors: Record<string, string>;
  okIntent: string;
  editingId: string;
  /** The text of a refused comment, so it is not lost (no-JS round trip). */
  draft?: string;
}) {
  const { timeline, perms, me } = d;
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (okIntent === "comment") formRef.current?.reset();
  }, [okIntent, timeline.length]);
  return (
    <section className="space-y-3" aria-labelledby="timeline-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="timeline-heading" className="text-lg font-semibold">
          Activity
        </h2>
        {perms.manage ? (
          d.showDeleted ? (
            <Link to="?" className="text-sm" preventScrollReset>
              Hide deleted comments
            </Link>
          ) : (
            <Link to="?deleted=1" className="text-sm" preventScrollReset>
              Show deleted comments
            </Link>
          )
        ) : null}
      </div>
      <ol className="space-y-3">
        {timeline.map((t) =>
          t.kind === "activity" ? (
            <li key={t.id} className="flex gap-2 px-1 text-sm text-slate-700">
              <span aria-hidden="true">•</span>
              <p>
                <strong className="font-medium">{t.actor}</strong> {t.text}{" "}
                <time dateTime={t.at.iso} title={t.at.full} className="text-slate-500">
                  {t.at.ago}
                </time>
              </p>
            </li>
          ) : (
            <li key={t.id} className={`card space-y-2 ${t.deleted ? "border-dashed bg-slate-50" : ""}`} id={`comment-${t.id}`}>
              <p className="text-sm text-slate-600">
                <strong className="font-semibold text-slate-900">{t.author.name}</strong> commented{" "}
                <time dateTime={t.at.iso} title={t.at.full}>
                  {t.at.ago}
                </time>
                {t.edited ? " (edited)" : ""}
              </p>
              {t.deleted ? (
                <p className="text-sm text-red-800">
                  Deleted by {t.deleted.by} {t.deleted.at.ago}
                </p>
              ) : null}
              <p className="whitespace-pre-wrap break-words">{t.content}</p>
              <CommentActions
                comment={t}
                canEdit={Boolean(me && perms.edit && me.id === t.author.id && !t.deleted)}
                canDelete={Boolean(me && !t.deleted && (me.id === t.author.id || perms.deleteOthers))}
                canRestore={Boolean(perms.manage && t.deleted)}
                editError={editingId === t.id ? errors.content : undefined}
              />
            </li>
          ),
        )}
      </ol>
      {perms.comment ? (
        <Form method="post" ref={formRef} preventScrollReset className="card space-y-3">
          <input type="hidden" name="intent" value="comment" />
          {d.commentKey ? <IdempotencyKeyField value={d.commentKey} /> : null}
          <TextareaField
            label="Add a comment"
            name="content"
            defaultValue={draft}
            rows={3}
            required
            maxLength={ISSUE_LIMITS.comment}
            error={intent === "comment" ? errors.content : undefined}
            hint="What did you find or do? Up to 1,000 characters."
          />
          <SubmitButton className="btn-primary">Comment</SubmitButton>
        </Form>
      ) : !d.me ? (
        <p className="text-sm text-slate-600">
          <Link to={`/login?redirectTo=${encodeURIComponent(`/issues/${d.issue.id}`)}`}>Sign in</Link> to comment.
        </p>
      ) : null}
    </section>
  );
}

function CommentActions({
  comment,
  canEdit,
  canDelete,
  canRestore,
  editError,
}: {
  comment: { id: string; content: string };
  canEdit: boolean;
  canDelete: boolean;
  canRestore: boolean;
  editError?: string;
}) {
  if (!canEdit && !canDelete && !canRestore) return null;
  return (
    <div className="flex flex-wrap items-start gap-3 text-sm">
      {canEdit ? (
        <details className="w-full sm:w-auto" open={editError ? true : undefined}>
          <summary className="cursor-pointer text-indigo-700">Edit</summary>
          <Form method="post" preventScrollReset className="mt-2 space-y-2">
            <input type="hidden" name="intent" value="comment-edit" />
            <input type="hidden" name="commentId" value={comment.id} />
            <TextareaField label="Edit comment" name="content" defaultValue={comment.content} rows={3} required maxLength={ISSUE_LIMITS.comment} error={editError} />
            <SubmitButton>Save comment</SubmitButton>
          </Form>
        </details>
      ) : null}
      {canDelete ? (
        <Form method="post" preventScrollReset>
          <input type="hidden" name="intent" value="comment-delete" />
          <input type="hidden" name="commentId" value={comment.id} />
          <button type="submit" className="text-red-700 underline">
            Delete
          </button>
        </Form>
      ) : null}
      {canRestore ? (
        <Form method="post" preventScrollReset>
          <input type="hidden" name="intent" value="comment-restore" />
          <input type="hidden" name="commentId" value={comment.id} />
          <button type="submit" className="text-indigo-700 underline">
            Restore
          </button>
        </Form>
      ) : null}
    </div>
  );
}
