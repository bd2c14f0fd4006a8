/** Editing an issue's title and description (issue:edit): folded away, open again while the last try failed. */
import { useEffect, useRef } from "react";
import { Field, TextareaField } from "~/components/form";
import { errorsFor, messageFor, valuesFor, type ActionResult } from "~/lib/action-result";
import { ISSUE_LIMITS } from "../../../core/issue-rules";
import { SubmitButton } from "./submit-button";
import type { IssuePageData } from "./types";

export function EditDetails({ issue, result }: { issue: IssuePageData["issue"]; result: ActionResult | undefined }) {
  const errors = errorsFor(result, "details");
  const draft = valuesFor(result, "details");
  const saved = messageFor(result, "details") !== undefined;
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (saved && ref.current) ref.current.open = false;
  }, [saved]);
  return (
    <details ref={ref} open={errors.title || errors.description ? true : undefined}>
      <summary className="cursor-pointer text-sm font-medium text-indigo-700">Edit title and description</summary>
      <form method="post" data-keep-scroll className="mt-3 space-y-3">
        <input type="hidden" name="intent" value="details" />
        <Field
          label="Title"
          name="title"
          defaultValue={draft.title ?? issue.title}
          required
          maxLength={ISSUE_LIMITS.title}
          error={errors.title}
        />
        <TextareaField
          label="Description"
          name="description"
          defaultValue={draft.description ?? issue.description ?? ""}
          rows={5}
          maxLength={ISSUE_LIMITS.description}
          error={errors.description}
        />
        <SubmitButton className="btn-primary">Save changes</SubmitButton>
      </form>
    </details>
  );
}
