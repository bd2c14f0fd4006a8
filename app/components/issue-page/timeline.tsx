/**
 * An issue's ONE timeline: history rows as short sentences, comments as cards with their actions, and the comment
 * form (members with issue:create; guests are invited to sign in).
 */
import { useEffect, useRef, type ReactNode } from "react";
import { IdempotencyKeyField, TextareaField } from "~/components/form";
import { errorsFor, valuesFor, type ActionResult } from "~/lib/action-result";
import { ISSUE_LIMITS } from "../../../core/issue-rules";
import { SubmitButton } from "./submit-button";
import type { IssuePageData } from "./types";
import { WhenTime } from "./when-time";

/** A one-button form acting on one comment (delete, restore). */
function CommentButtonForm({
  intent,
  commentId,
  className,
  children,
}: {
  intent: string;
  commentId: string;
  className: string;
  children: ReactNode;
}) {
  return (
    <form method="post" data-keep-scroll>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="commentId" value={commentId} />
      <button type="submit" className={className}>
        {children}
      </button>
    </form>
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
          <form method="post" data-keep-scroll className="mt-2 space-y-2">
            <input type="hidden" name="intent" value="comment-edit" />
            <input type="hidden" name="commentId" value={comment.id} />
            <TextareaField
              label="Edit comment"
              name="content"
              defaultValue={comment.content}
              rows={3}
              required
              maxLength={ISSUE_LIMITS.comment}
              error={editError}
            />
            <SubmitButton>Save comment</SubmitButton>
          </form>
        </details>
      ) : null}
      {canDelete ? (
        <CommentButtonForm intent="comment-delete" commentId={comment.id} className="text-red-700 underline">
          Delete
        </CommentButtonForm>
      ) : null}
      {canRestore ? (
        <CommentButtonForm intent="comment-restore" commentId={comment.id} className="text-indigo-700 underline">
          Restore
        </CommentButtonForm>
      ) : null}
    </div>
  );
}

export function Timeline({ d, result }: { d: IssuePageData; result: ActionResult | undefined }) {
  const { timeline, perms, me } = d;
  const formRef = useRef<HTMLFormElement>(null);
  const commented = Boolean(result?.ok && result.intent === "comment");
  // A refused comment keeps its text (also without JavaScript); an accepted one clears the form.
  const draft = valuesFor(result, "comment").content;
  const editingId = valuesFor(result, "comment-edit").commentId ?? "";
  const editError = errorsFor(result, "comment-edit").content;
  useEffect(() => {
    if (commented) formRef.current?.reset();
  }, [commented, timeline.length]);
  return (
    <section className="space-y-3" aria-labelledby="timeline-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="timeline-heading" className="text-lg font-semibold">
          Activity
        </h2>
        {perms.manage ? (
          d.showDeleted ? (
            <a href="?" className="text-sm" data-keep-scroll>
              Hide deleted comments
            </a>
          ) : (
            <a href="?deleted=1" className="text-sm" data-keep-scroll>
              Show deleted comments
            </a>
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
                {t.link ? (
                  <>
                    (<a href={t.link}>open that issue</a>){" "}
                  </>
                ) : null}
                <WhenTime at={t.at} className="text-slate-500" />
              </p>
            </li>
          ) : (
            <li
              key={t.id}
              className={`card space-y-2 ${t.deleted ? "border-dashed bg-slate-50" : ""}`}
              id={`comment-${t.id}`}
            >
              <p className="text-sm text-slate-600">
                <strong className="font-semibold text-slate-900">{t.author.name}</strong> commented{" "}
                <WhenTime at={t.at} />
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
                editError={editingId === t.id ? editError : undefined}
              />
            </li>
          ),
        )}
      </ol>
      {perms.comment ? (
        <form method="post" ref={formRef} data-keep-scroll className="card space-y-3">
          <input type="hidden" name="intent" value="comment" />
          {d.commentKey ? <IdempotencyKeyField value={d.commentKey} /> : null}
          <TextareaField
            label="Add a comment"
            id="comment-content"
            name="content"
            defaultValue={draft}
            rows={3}
            required
            maxLength={ISSUE_LIMITS.comment}
            error={errorsFor(result, "comment").content}
            hint="What did you find or do? Up to 1,000 characters."
          />
          <SubmitButton className="btn-primary">Comment</SubmitButton>
        </form>
      ) : !d.me ? (
        <p className="text-sm text-slate-600">
          <a href={`/login?redirectTo=${encodeURIComponent(`/issues/${d.issue.id}`)}`}>Sign in</a> to comment.
        </p>
      ) : null}
    </section>
  );
}
