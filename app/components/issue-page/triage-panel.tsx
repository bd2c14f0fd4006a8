/** The issue page's triage forms: status and priority (issue:edit), assignee and "assign to me" (issue:assign). */
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { SelectField } from "~/components/form";
import { NameOptions, StatusOptionGroups } from "~/components/options";
import { errorsFor, type ActionResult } from "~/lib/action-result";
import { SubmitButton } from "./submit-button";
import type { IssuePageData } from "./types";

/** One picker with its own "Set" button; `intent` names the form and the label also finishes the button's spoken name. */
function TriageForm({
  intent,
  label,
  id,
  name,
  value,
  resetKey,
  result,
  children,
}: {
  intent: string;
  label: string;
  id: string;
  name: string;
  value: string;
  /** A new value from the server resets the control. */
  resetKey: string;
  result: ActionResult | undefined;
  children: ReactNode;
}) {
  return (
    <Form method="post" preventScrollReset className="flex items-end gap-2">
      <input type="hidden" name="intent" value={intent} />
      <SelectField
        label={label}
        id={id}
        name={name}
        defaultValue={value}
        key={resetKey}
        className="min-w-0 flex-1"
        error={errorsFor(result, intent)[name]}
      >
        {children}
      </SelectField>
      <SubmitButton>
        Set<span className="sr-only">{` ${label.toLowerCase()}`}</span>
      </SubmitButton>
    </Form>
  );
}

export function TriagePanel({ d, result }: { d: IssuePageData; result: ActionResult | undefined }) {
  const { issue, perms } = d;
  if (!perms.edit && !perms.assign) return null;
  return (
    <section className="card space-y-4" aria-labelledby="triage-heading">
      <h2 id="triage-heading" className="font-semibold">
        Triage
      </h2>
      {perms.edit ? (
        <TriageForm
          intent="status"
          label="Status"
          id="status-select"
          name="statusId"
          value={issue.status.id}
          resetKey={issue.status.id}
          result={result}
        >
          <StatusOptionGroups statuses={d.statuses} />
        </TriageForm>
      ) : null}
      {perms.edit ? (
        <TriageForm
          intent="priority"
          label="Priority"
          id="priority-select"
          name="priorityId"
          value={issue.priority.id}
          resetKey={issue.priority.id}
          result={result}
        >
          <NameOptions items={d.priorities} />
        </TriageForm>
      ) : null}
      {perms.assign ? (
        <div className="space-y-2">
          <TriageForm
            intent="assign"
            label="Assignee"
            id="assignee-select"
            name="assigneeId"
            value={issue.assignee?.id ?? "unassign"}
            resetKey={issue.assignee?.id ?? "none"}
            result={result}
          >
            <option value="unassign">Unassigned</option>
            {d.members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
                {d.me?.id === m.id ? " (me)" : ""}
              </option>
            ))}
          </TriageForm>
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
