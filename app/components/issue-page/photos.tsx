/** An issue's photos (attachment:view), with upload (attachment:create, up to the limit) and delete (attachment:delete). */
import { Field } from "~/components/form";
import { ISSUE_LIMITS } from "../../../core/issue-rules";
import { SubmitButton } from "./submit-button";
import type { IssuePageData } from "./types";

const PER_ISSUE = ISSUE_LIMITS.attachmentsPerIssue;

export function Photos({ d, error }: { d: IssuePageData; error?: string }) {
  const { attachments, perms } = d;
  const full = attachments.length >= PER_ISSUE;
  return (
    <section className="card space-y-3" aria-labelledby="photos-heading">
      <h2 id="photos-heading" className="font-semibold">
        Photos{" "}
        <span className="text-sm font-normal text-slate-500">
          ({attachments.length} of {PER_ISSUE})
        </span>
      </h2>
      {attachments.length === 0 ? <p className="text-sm text-slate-600">No photos yet.</p> : null}
      {attachments.length ? (
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3">
          {attachments.map((a) => (
            <li key={a.id} className="space-y-1">
              <a href={`/attachments/${a.id}`} target="_blank" rel="noreferrer" className="block">
                {/* The small square preview (app/lib/uploads.server.ts PHOTO_LIMITS); the link opens the photo. */}
                <img
                  src={`/attachments/${a.id}?size=thumbnail`}
                  alt={a.fileName}
                  width={320}
                  height={320}
                  loading="lazy"
                  decoding="async"
                  className="aspect-square w-full rounded-md border border-slate-200 object-cover"
                />
              </a>
              <p className="truncate text-xs text-slate-600" title={a.fileName}>
                {a.fileName}
              </p>
              {perms.deleteAttachments ? (
                <form method="post" data-keep-scroll>
                  <input type="hidden" name="intent" value="attachment-delete" />
                  <input type="hidden" name="attachmentId" value={a.id} />
                  <button
                    type="submit"
                    className="text-xs text-red-700 underline"
                    aria-label={`Delete photo ${a.fileName}`}
                  >
                    Delete
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {perms.attach && !full ? (
        <form method="post" encType="multipart/form-data" data-keep-scroll className="space-y-2">
          <input type="hidden" name="intent" value="attach" />
          <Field
            label="Add a photo"
            name="photo"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            required
            error={error}
            hint="JPEG, PNG or WebP, up to 5 MB. Location and camera details are removed."
          />
          <SubmitButton>Upload photo</SubmitButton>
        </form>
      ) : null}
      {perms.attach && full ? (
        <p className="text-sm text-slate-600">This issue has the maximum of {PER_ISSUE} photos.</p>
      ) : null}
    </section>
  );
}
