/**
 * The issue page's merge parts: the notice on a merged duplicate (with "Unmerge"), the "Merge into another issue"
 * form for triagers, and the duplicates merged into this issue with their comments and photos
 * (app/use-cases/issue-merge.server.ts).
 */
import { SelectField } from "~/components/form";
import { errorsFor, type ActionResult } from "~/lib/action-result";
import { CATEGORY_LABELS } from "../../../core/issue-rules";
import { SubmitButton } from "./submit-button";
import type { IssuePageData } from "./types";
import { WhenTime } from "./when-time";

export function MergedNotice({ d }: { d: IssuePageData }) {
  const into = d.merge.into;
  if (!into) return null;
  return (
    <section className="card space-y-2 border-amber-300 bg-amber-50" aria-labelledby="merged-heading">
      <h2 id="merged-heading" className="font-semibold">
        Merged as a duplicate
      </h2>
      <p>
        This issue was merged into <a href={`/issues/${into.id}`}>{into.title}</a>. Its votes and followers moved there;
        its comments and photos are shown there too.
      </p>
      {d.perms.edit ? (
        <form method="post" data-keep-scroll>
          <input type="hidden" name="intent" value="unmerge" />
          <SubmitButton>Unmerge</SubmitButton>
        </form>
      ) : null}
    </section>
  );
}

/**
 * The search parameter that opens the merge form: its choices (up to 50 issues of the machine) are read and sent only
 * then, not with every view of every issue (docs/decisions/044-reusable-queries-and-fewer-statements.md).
 */
export const MERGE_OPEN_PARAM = "merge";

export function MergeForm({ d, result }: { d: IssuePageData; result: ActionResult | undefined }) {
  const { candidates } = d.merge;
  if (!d.perms.edit || d.merge.into || d.merge.duplicates.length > 0) return null;
  const error = errorsFor(result, "merge").targetIssueId;
  if (candidates === null) {
    return (
      <p className="card text-sm">
        <a href={`?${MERGE_OPEN_PARAM}=1#merge-heading`} data-keep-scroll className="font-semibold">
          Merge into another issue
        </a>
      </p>
    );
  }
  return (
    <section className="card space-y-2 text-sm" aria-labelledby="merge-heading">
      <h2 id="merge-heading" className="font-semibold">
        Merge into another issue
      </h2>
      {candidates.length === 0 ? (
        <p className="mt-2 text-slate-600">No other issue of this machine to merge into.</p>
      ) : (
        <form method="post" action={`?${MERGE_OPEN_PARAM}=1`} data-keep-scroll className="space-y-2">
          <input type="hidden" name="intent" value="merge" />
          <SelectField
            label="Same problem as"
            id="merge-target"
            name="targetIssueId"
            hint="This issue is closed as a duplicate; its votes and followers move to the one you pick."
            error={error}
          >
            {candidates.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title} ({CATEGORY_LABELS[c.category]}: {c.statusName})
              </option>
            ))}
          </SelectField>
          <SubmitButton>Merge</SubmitButton>
        </form>
      )}
    </section>
  );
}

export function MergedDuplicates({ d }: { d: IssuePageData }) {
  const { duplicates } = d.merge;
  if (duplicates.length === 0) return null;
  return (
    <section className="space-y-3" aria-labelledby="duplicates-heading">
      <h2 id="duplicates-heading" className="text-lg font-semibold">
        Merged duplicates
      </h2>
      {duplicates.map((dup) => (
        <article key={dup.id} className="card space-y-2" aria-label={`Merged from ${dup.title}`}>
          <h3 className="font-medium">
            Merged from <a href={`/issues/${dup.id}`}>{dup.title}</a>
          </h3>
          {dup.comments.length === 0 && dup.photos.length === 0 ? (
            <p className="text-sm text-slate-600">No comments or photos.</p>
          ) : null}
          {dup.comments.length ? (
            <ol className="space-y-2">
              {dup.comments.map((c) => (
                <li key={c.id} className="text-sm">
                  <p className="text-slate-600">
                    <strong className="text-slate-900">{c.author}</strong> commented <WhenTime at={c.at} />
                  </p>
                  <p className="whitespace-pre-wrap break-words">{c.content}</p>
                </li>
              ))}
            </ol>
          ) : null}
          {dup.photos.length ? (
            <ul className="flex flex-wrap gap-2 text-sm">
              {dup.photos.map((p) => (
                <li key={p.id}>
                  <a href={`/attachments/${p.id}`} target="_blank" rel="noreferrer">
                    Photo: {p.fileName}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </article>
      ))}
    </section>
  );
}
