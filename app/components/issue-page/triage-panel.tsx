/**
 * The issue page's triage: status and priority (issue:edit), assignee and "assign to me" (issue:assign). One form:
 * without JavaScript its "Save" sends every control at once (intent "triage", app/use-cases/issue-triage.server.ts);
 * with JavaScript each control saves on change through its own fetcher (no page change). A control always shows the
 * saved value: the value being saved while its request runs, the server's value after (also after a refusal, whose
 * message is shown under it).
 */
import { useFetcher } from "@remix-run/react";
import type { ReactNode } from "react";
import { SelectField } from "~/components/form";
import { NameOptions, StatusOptionGroups } from "~/components/options";
import { errorsFor, messageFor, type ActionResult } from "~/lib/action-result";
import { useHydrated } from "~/lib/use-hydrated";
import { SubmitButton } from "./submit-button";
import type { IssuePageData } from "./types";

/** One control saved on change with JavaScript; a plain field of the "Save" form without. */
function TriageSelect({
  intent,
  label,
  id,
  name,
  saved,
  result,
  children,
}: {
  intent: string;
  label: string;
  id: string;
  name: string;
  /** The value the server has. */
  saved: string;
  /** The no-JavaScript "Save" answer. */
  result: ActionResult | undefined;
  children: ReactNode;
}) {
  const fetcher = useFetcher<ActionResult>({ key: `triage-${intent}` });
  const pending = fetcher.formData?.get(name);
  const value = typeof pending === "string" ? pending : saved;
  const error = errorsFor(fetcher.data, intent)[name] ?? errorsFor(fetcher.data, intent).form;
  const done = fetcher.state === "idle" ? messageFor(fetcher.data, intent) : undefined;
  return (
    <div className="space-y-1">
      <SelectField
        label={label}
        id={id}
        name={name}
        value={value}
        onChange={(e) =>
          fetcher.submit({ intent, [name]: e.currentTarget.value }, { method: "post", preventScrollReset: true })
        }
        // Escape leaves the control, so that the page's single-key shortcuts work again (app/lib/shortcuts.ts).
        onKeyDown={(e) => {
          if (e.key === "Escape") e.currentTarget.blur();
        }}
        aria-busy={fetcher.state !== "idle"}
        error={error ?? errorsFor(result, "triage")[name]}
      >
        {children}
      </SelectField>
      {done ? (
        <p role="status" className="text-sm text-green-800">
          {done}
        </p>
      ) : null}
    </div>
  );
}

export function TriagePanel({ d, result }: { d: IssuePageData; result: ActionResult | undefined }) {
  const { issue, perms } = d;
  const hydrated = useHydrated();
  if (!perms.edit && !perms.assign) return null;
  return (
    <section className="card space-y-4" aria-labelledby="triage-heading">
      <h2 id="triage-heading" className="font-semibold">
        Triage
      </h2>
      <form method="post" data-keep-scroll className="space-y-3">
        <input type="hidden" name="intent" value="triage" />
        {perms.edit ? (
          <TriageSelect
            intent="status"
            label="Status"
            id="status-select"
            name="statusId"
            saved={issue.status.id}
            result={result}
          >
            <StatusOptionGroups statuses={d.statuses} />
          </TriageSelect>
        ) : null}
        {perms.edit ? (
          <TriageSelect
            intent="priority"
            label="Priority"
            id="priority-select"
            name="priorityId"
            saved={issue.priority.id}
            result={result}
          >
            <NameOptions items={d.priorities} />
          </TriageSelect>
        ) : null}
        {perms.assign ? (
          <TriageSelect
            intent="assign"
            label="Assignee"
            id="assignee-select"
            name="assigneeId"
            saved={issue.assignee?.id ?? "unassign"}
            result={result}
          >
            <option value="unassign">Unassigned</option>
            {d.members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
                {d.me?.id === m.id ? " (me)" : ""}
              </option>
            ))}
          </TriageSelect>
        ) : null}
        {/* With JavaScript every control saves on change: the button is for browsers without it. */}
        {hydrated ? null : <SubmitButton className="btn-primary w-full">Save</SubmitButton>}
      </form>
      {perms.assign && d.me && issue.assignee?.id !== d.me.id ? (
        <form method="post" data-keep-scroll>
          <input type="hidden" name="intent" value="assign" />
          <input type="hidden" name="assigneeId" value="me" />
          <SubmitButton className="btn-secondary w-full">Assign to me</SubmitButton>
        </form>
      ) : null}
    </section>
  );
}
