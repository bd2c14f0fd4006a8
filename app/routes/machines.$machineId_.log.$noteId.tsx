/**
 * /machines/<machineId>/log/<noteId> — edit one maintenance note: its day, kind, text and linked issue, its photos
 * (add up to three, delete), or the note itself. For its author with machine:maintain, or anyone with machine:maintain
 * and machine:edit (app/use-cases/maintenance.server.ts); others get 403, other organizations' notes 404.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Field, FormMessage } from "~/components/form";
import { NoteFields } from "~/components/machine-page/note-fields";
import { ConfirmForm } from "~/components/record-sections";
import { requirePermission } from "~/lib/access.server";
import { errorsFor, useActionResult, valuesFor } from "~/lib/action-result";
import { invalidInput, notFound, runAction, runLoader } from "~/lib/failure.server";
import { intentOf, parseInput } from "~/lib/forms.server";
import { idParam } from "~/lib/ids";
import { readUploadFormObject } from "~/lib/upload-form.server";
import {
  addNotePhoto,
  deleteMaintenanceNote,
  deleteNotePhoto,
  loadNoteEditPage,
  noteInput,
  notePhotoRefInput,
  updateMaintenanceNote,
} from "~/use-cases/maintenance.server";
import { pageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [{ title: "Maintenance note · PinPoint" }];

const NOT_FOUND = "We could not find that note.";

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requirePermission(args, "machine:maintain");
  const machineId = idParam(args.params.machineId) ?? notFound(NOT_FOUND);
  const noteId = idParam(args.params.noteId) ?? notFound(NOT_FOUND);
  const page = await runLoader(() => loadNoteEditPage(actor, machineId, noteId));
  return pageData({ ...page, saved: new URL(args.request.url).searchParams.has("saved") });
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requirePermission(args, "machine:maintain");
  const machineId = idParam(args.params.machineId) ?? notFound(NOT_FOUND);
  const noteId = idParam(args.params.noteId) ?? notFound(NOT_FOUND);
  // The note must be this machine's (and the actor's to change) before the possibly large body is read.
  await runLoader(() => loadNoteEditPage(actor, machineId, noteId));
  const upload = await readUploadFormObject(args.request, { intent: "photo" });
  if (!upload.ok) return upload.answer;
  const { form } = upload;
  const intent = intentOf(form);
  const here = `/machines/${machineId}/log/${noteId}`;
  return runAction({ intent, form }, async () => {
    switch (intent) {
      case "save":
        await updateMaintenanceNote(actor, noteId, parseInput(noteInput, form));
        return redirect(`${here}?saved=1`);
      case "photo":
        await addNotePhoto(actor, noteId, { file: form.photo, oversized: upload.oversized.has("photo") });
        return redirect(`${here}?saved=1`);
      case "photo-delete":
        await deleteNotePhoto(actor, noteId, parseInput(notePhotoRefInput, form).photoId);
        return redirect(`${here}?saved=1`);
      case "delete":
        await deleteMaintenanceNote(actor, noteId, form.confirm === "yes");
        return redirect(`/machines/${machineId}?noteDeleted=1#timeline-heading`);
      default:
        throw invalidInput({ form: "Unknown action." });
    }
  });
}

export default function MaintenanceNotePage() {
  const d = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const saveErrors = errorsFor(result, "save");
  const saveFailed = result?.ok === false && result.intent === "save";
  const photoErrors = errorsFor(result, "photo");
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <p className="text-sm">
        <a href={`/machines/${d.note.machineId}#timeline-heading`}>← Back to the machine</a>
      </p>
      <h1 className="text-2xl font-bold">Maintenance note</h1>
      {d.saved ? <FormMessage success="Saved." /> : null}

      <form method="post" className="card space-y-3">
        <input type="hidden" name="intent" value="save" />
        <FormMessage error={saveErrors.form} />
        <NoteFields
          idPrefix="note"
          values={saveFailed ? valuesFor(result, "save") : d.note}
          errors={saveErrors}
          options={d.options}
        />
        <button type="submit" className="btn-primary">
          Save note
        </button>
      </form>

      <section aria-labelledby="photos-heading" className="card space-y-3">
        <h2 id="photos-heading" className="text-lg font-semibold">
          Photos ({d.photos.length} of 3)
        </h2>
        <FormMessage error={errorsFor(result, "photo-delete").form ?? errorsFor(result, "photo-delete").photoId} />
        {d.photos.length ? (
          <ul className="flex flex-wrap gap-3">
            {d.photos.map((p) => (
              <li key={p.id} className="space-y-1">
                <img
                  src={`/attachments/${p.id}?size=thumbnail`}
                  alt={p.fileName}
                  width={128}
                  height={128}
                  className="h-32 w-32 rounded-md border border-slate-200 object-cover"
                />
                <form method="post">
                  <input type="hidden" name="intent" value="photo-delete" />
                  <input type="hidden" name="photoId" value={p.id} />
                  <button type="submit" className="text-xs text-red-700 underline" aria-label={`Delete ${p.fileName}`}>
                    Delete
                  </button>
                </form>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">No photos.</p>
        )}
        {d.canAddPhoto ? (
          <form method="post" encType="multipart/form-data" className="space-y-2">
            <input type="hidden" name="intent" value="photo" />
            <Field
              id="note-photo"
              label="Add a photo"
              type="file"
              name="photo"
              accept="image/jpeg,image/png,image/webp"
              required
              error={photoErrors.photo ?? photoErrors.form}
            />
            <button type="submit" className="btn-secondary">
              Add photo
            </button>
          </form>
        ) : null}
      </section>

      <section aria-labelledby="delete-heading" className="card space-y-3">
        <h2 id="delete-heading" className="text-lg font-semibold">
          Delete note
        </h2>
        <FormMessage error={errorsFor(result, "delete").form} />
        <ConfirmForm
          intent="delete"
          className="space-y-2"
          confirmId="confirm-delete-note"
          confirm="Yes, delete this note and its photos."
          submit="Delete note"
          submitClassName="btn-danger"
        />
      </section>
    </div>
  );
}
