/**
 * The machine's timeline: its issues and its maintenance notes in one list, newest first, a page at a time; members
 * with machine:maintain add a note (with an optional photo) above it. Plain forms and links: works without JavaScript.
 */
import { Field, FormMessage } from "~/components/form";
import { Pagination } from "~/components/pagination";
import { TitledSection } from "~/components/titled-section";
import type { TimelineItem } from "~/use-cases/maintenance.server";
import { NoteFields, type NoteFormOptions } from "./note-fields";

function NoteEntry({ machineId, n }: { machineId: string; n: Extract<TimelineItem, { kind: "note" }> }) {
  return (
    <div className="space-y-1">
      <p className="text-sm text-slate-600">
        <span className="badge mr-2 bg-amber-100 text-amber-900">{n.tag}</span>
        <time dateTime={n.day}>{n.day}</time> · {n.authorName}
        {n.issue ? (
          <>
            {" · about "}
            <a href={`/issues/${n.issue.id}`}>{n.issue.title}</a>
          </>
        ) : null}
      </p>
      <p className="whitespace-pre-line">{n.content}</p>
      {n.photos.length ? (
        <ul className="flex flex-wrap gap-2">
          {n.photos.map((p) => (
            <li key={p.id}>
              <a href={`/attachments/${p.id}`} target="_blank" rel="noreferrer">
                <img
                  src={`/attachments/${p.id}?size=thumbnail`}
                  alt={p.fileName}
                  width={96}
                  height={96}
                  loading="lazy"
                  className="h-24 w-24 rounded-md border border-slate-200 object-cover"
                />
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {n.canChange ? (
        <p className="text-sm">
          <a href={`/machines/${machineId}/log/${n.id}`}>Edit or delete this note</a>
        </p>
      ) : null}
    </div>
  );
}

export function TimelineSection({
  machineId,
  timeline,
  addForm,
}: {
  machineId: string;
  timeline: { items: TimelineItem[]; total: number; page: number; pageSize: number };
  addForm: {
    today: string;
    options: NoteFormOptions;
    canAttach: boolean;
    errors: Record<string, string | undefined>;
    values: Record<string, string>;
    failed: boolean;
  } | null;
}) {
  return (
    <TitledSection headingId="timeline-heading" title="Timeline: issues and maintenance" className="space-y-3">
      {addForm ? (
        <details className="card" open={addForm.failed}>
          <summary className="cursor-pointer font-medium">Add a maintenance note</summary>
          <form method="post" encType="multipart/form-data" className="mt-3 space-y-3">
            <input type="hidden" name="intent" value="note" />
            <FormMessage error={addForm.errors.form} />
            <NoteFields
              idPrefix="new-note"
              values={addForm.failed ? addForm.values : { performedOn: addForm.today }}
              errors={addForm.errors}
              options={addForm.options}
            />
            {addForm.canAttach ? (
              <Field
                id="new-note-photo"
                label="Photo (optional)"
                type="file"
                name="photo"
                accept="image/jpeg,image/png,image/webp"
                error={addForm.errors.photo}
              />
            ) : null}
            <button type="submit" className="btn-primary">
              Add note
            </button>
          </form>
        </details>
      ) : null}
      {timeline.items.length === 0 ? (
        <p className="card text-slate-700">Nothing on the timeline yet.</p>
      ) : (
        <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {timeline.items.map((item) => (
            <li key={`${item.kind}-${item.id}`} id={`${item.kind}-${item.id}`} className="px-4 py-3">
              {item.kind === "issue" ? (
                <div className="space-y-1">
                  <p className="text-sm text-slate-600">
                    <span className="badge mr-2 bg-slate-100 text-slate-800">Issue</span>
                    <time dateTime={item.at}>{item.when}</time> · {item.status} · {item.priorityName}
                  </p>
                  <a href={`/issues/${item.id}`} className="font-medium">
                    {item.title}
                  </a>
                </div>
              ) : (
                <NoteEntry machineId={machineId} n={item} />
              )}
            </li>
          ))}
        </ol>
      )}
      <Pagination page={timeline.page} pageSize={timeline.pageSize} total={timeline.total} label="Timeline pages" />
    </TitledSection>
  );
}
