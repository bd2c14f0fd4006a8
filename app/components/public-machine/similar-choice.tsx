/**
 * "Is it one of these?": the answer of the public report form when the report resembles open issues of the machine
 * (app/use-cases/reports.server.ts reportProblem). Nothing was stored: the player taps "Me too" on one of them, or
 * "No, it's something new", which sends the same report again with `confirmNew=1` and files it. Plain forms: works
 * without JavaScript.
 */
import { useLocation } from "@remix-run/react";
import { Field } from "~/components/form";
import type { SimilarChoice } from "~/lib/action-result";
import { CONFIRM_NEW_VALUE } from "../../../core/duplicate-guard";
import { MeTooButton } from "./known-problems";

/** The fields the report form sends that the guard's answer sends again (the photo cannot be: a new file input). */
const RESENT = ["title", "description", "name", "email", "idempotencyKey"] as const;

export function SimilarProblems({ choice, canAttach }: { choice: SimilarChoice; canAttach: boolean }) {
  const { issues, values } = choice;
  // The page sends no scripts (decision 032): a plain form, posting to this page.
  const { pathname } = useLocation();
  return (
    <section aria-labelledby="similar-heading" id="report" className="card space-y-4">
      <div
        tabIndex={-1}
        // eslint-disable-next-line jsx-a11y/no-autofocus -- the answer to the submit: the page opens on it
        autoFocus
        className="space-y-1"
      >
        <h2 id="similar-heading" className="text-lg font-semibold">
          Is it one of these?
        </h2>
        <p className="text-sm text-slate-700">
          Your report “{values.title}” sounds like {issues.length === 1 ? "a problem" : "problems"} we already know
          about. If it is, tap “Me too”: that helps the team more than a second report. Nothing was sent yet.
        </p>
      </div>
      <ul className="space-y-3">
        {issues.map((issue) => (
          <li
            key={issue.id}
            className="flex flex-col gap-3 rounded-md border border-slate-200 p-3 sm:flex-row sm:items-start sm:justify-between"
          >
            <div className="min-w-0 space-y-1">
              <p className="break-words font-medium text-slate-900">{issue.title}</p>
              <p className="text-sm text-slate-600">
                <span className="font-medium text-slate-800">{issue.status}</span>
                {issue.upvoteCount > 0
                  ? ` · ${issue.upvoteCount} ${issue.upvoteCount === 1 ? "person" : "people"} said me too`
                  : ""}
              </p>
            </div>
            <MeTooButton issue={issue} idPrefix="similar" email={values.email} />
          </li>
        ))}
      </ul>
      <form
        method="post"
        action={pathname}
        encType="multipart/form-data"
        className="space-y-3 border-t border-slate-200 pt-4"
        noValidate
      >
        <input type="hidden" name="intent" value="report" />
        <input type="hidden" name="confirmNew" value={CONFIRM_NEW_VALUE} />
        {RESENT.map((name) =>
          values[name] ? <input key={name} type="hidden" name={name} value={values[name]} /> : null,
        )}
        {canAttach ? (
          <Field
            id="similar-photo"
            label="Photo (optional)"
            name="photo"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            hint="If you chose a photo, please choose it again: nothing was kept yet."
          />
        ) : null}
        <button type="submit" className="btn-secondary min-h-11 w-full text-base">
          No, it’s something new: send my report
        </button>
      </form>
    </section>
  );
}
