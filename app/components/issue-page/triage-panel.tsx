/** The issue page's triage forms: status and priority (issue:edit), assignee and "assign to me" (issue:assign). */
import { Form } from "@remix-run/react";
import { SelectField } from "~/components/form";
import { errorsFor, type ActionResult } from "~/lib/action-result";
import { CATEGORY_LABELS, STATUS_CATEGORIES } from "../../../core/issue-rules";
import { SubmitButton } from "./submit-button";
import type { IssuePageData } from "./types";

export function TriagePanel({ d, result }: { d: IssuePageData; result: ActionResult | undefined }) {
  const { issue, perms } = d;
  if (!perms.edit && !perms.assign) return null;
  const groups = STATUS_CATEGORIES.map((c) => ({ c, list: d.statuses.filter((s) => s.category === c) }));
  return (
    <section className="card space-y-4" aria-labelledby="triage-heading">
      <h2 id="triage-heading" className="font-semibold">
        Triage
      </h2>
      {perms.edit ? (
        <Form method="post" preventScrollReset className="flex items-end gap-2">
          <input type="hidden" name="intent" value="status" />
          <SelectField
            label="Status"
            id="status-select"
            name="statusId"
            defaultValue={issue.status.id}
            key={issue.status.id}
            className="min-w-0 flex-1"
            error={errorsFor(result, "status").statusId}
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
          </SelectField>
          <SubmitButton>
            Set<span className="sr-only"> status</span>
          </SubmitButton>
        </Form>
      ) : null}
      {perms.edit ? (
        <Form method="post" preventScrollReset className="flex items-end gap-2">
          <input type="hidden" name="intent" value="priority" />
          <SelectField
            label="Priority"
            id="priority-select"
            name="priorityId"
            defaultValue={issue.priority.id}
            key={issue.priority.id}
            className="min-w-0 flex-1"
            error={errorsFor(result, "priority").priorityId}
          >
            {d.priorities.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <SubmitButton>
            Set<span className="sr-only"> priority</span>
          </SubmitButton>
        </Form>
      ) : null}
      {perms.assign ? (
        <div className="space-y-2">
          <Form method="post" preventScrollReset className="flex items-end gap-2">
            <input type="hidden" name="intent" value="assign" />
            <SelectField
              label="Assignee"
              id="assignee-select"
              name="assigneeId"
              defaultValue={issue.assignee?.id ?? "unassign"}
              key={issue.assignee?.id ?? "none"}
              className="min-w-0 flex-1"
              error={errorsFor(result, "assign").assigneeId}
            >
              <option value="unassign">Unassigned</option>
              {d.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                  {d.me?.id === m.id ? " (me)" : ""}
                </option>
              ))}
            </SelectField>
            <SubmitButton>
              Set<span className="sr-only"> assignee</span>
            </SubmitButton>
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
