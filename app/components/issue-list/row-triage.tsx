/**
 * Triage in place on a row of the issue list: status and priority (issue:edit), assignee (issue:assign), with the
 * issue page's rules (app/components/issue-page/triage-panel.tsx). Without JavaScript the row is one form with a
 * "Save" (intent "triage", app/use-cases/issue-triage.server.ts); with JavaScript each control saves on change through
 * its own fetcher. The list is not loaded again after such a change (shouldRevalidate in app/routes/issues._index.tsx),
 * so the row stays where it is with the focus in it: the row keeps what was saved (useSavedTriage) until the next
 * load of the list. A control shows the value being saved while its request runs, then the saved one (the old one
 * after a refusal, whose message is shown under it).
 */
import { useFetcher } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { SelectField } from "~/components/form";
import { NameOptions, StatusOptionGroups } from "~/components/options";
import { errorsFor, messageFor, valuesFor, type ActionResult } from "~/lib/action-result";
import { useIndexRouteAction } from "~/lib/delegated-navigation";
import { useHydrated } from "~/lib/use-hydrated";
import type { IssueListOptions, IssueListRow, IssueListTriage } from "./types";

/**
 * Above this many members a row's assignee control lists only "Unassigned", the actor and the current assignee
 * (25 rows × every member made the page heavy); the issue page lists everyone (docs/decisions/043-list-triage.md).
 */
export const ROW_ASSIGNEE_LIMIT = 30;

export interface SavedTriage {
  statusId: string;
  priorityId: string;
  /** A member id, or "unassign". */
  assigneeId: string;
}

const fromRow = (row: IssueListRow): SavedTriage => ({
  statusId: row.status.id,
  priorityId: row.priority.id,
  assigneeId: row.assignee?.id ?? "unassign",
});

/** What the server has for this row: the list's values, then each change saved in place. */
export function useSavedTriage(row: IssueListRow) {
  const [saved, setSaved] = useState(() => fromRow(row));
  // A new list from the server (a navigation, a revalidation) is the truth again.
  useEffect(() => setSaved(fromRow(row)), [row]);
  const update = useCallback(
    (name: keyof SavedTriage, value: string) => setSaved((s) => ({ ...s, [name]: value })),
    [],
  );
  return [saved, update] as const;
}

/** Escape leaves the control for the row's title, from where j / k move on (./shortcuts.tsx). */
function backToRow(e: KeyboardEvent<HTMLSelectElement>) {
  if (e.key !== "Escape") return;
  const link = e.currentTarget.closest("[data-issue-row]")?.querySelector<HTMLElement>("[data-issue-link]");
  if (link) link.focus();
  else e.currentTarget.blur();
}

function RowSelect({
  issueId,
  intent,
  name,
  label,
  title,
  saved,
  onSaved,
  formError,
  children,
}: {
  issueId: string;
  intent: "status" | "priority" | "assign";
  name: keyof SavedTriage;
  label: string;
  title: string;
  saved: string;
  onSaved: (name: keyof SavedTriage, value: string) => void;
  /** The no-JavaScript "Save" answer's error for this field of this row. */
  formError: string | undefined;
  children: ReactNode;
}) {
  const fetcher = useFetcher<ActionResult>();
  // The value last sent: once the answer says it was saved, the row keeps it.
  const sent = useRef<string | null>(null);
  const answeredOk = fetcher.state === "idle" && fetcher.data?.ok === true && sent.current !== null;
  useEffect(() => {
    if (fetcher.state !== "idle" || sent.current === null) return;
    if (fetcher.data?.ok) onSaved(name, sent.current);
    sent.current = null;
  }, [fetcher.state, fetcher.data, name, onSaved]);
  const pending = fetcher.formData?.get(name);
  const value = typeof pending === "string" ? pending : answeredOk ? (sent.current ?? saved) : saved;
  const errors = errorsFor(fetcher.data, intent);
  const done = fetcher.state === "idle" ? messageFor(fetcher.data, intent) : undefined;
  return (
    <div>
      <SelectField
        label={
          <>
            {label}
            <span className="sr-only"> of “{title}”</span>
          </>
        }
        id={`${name}-${issueId}`}
        name={name}
        value={value}
        data-triage={name}
        onChange={(e) => {
          sent.current = e.currentTarget.value;
          fetcher.submit(
            { intent, issueId, [name]: e.currentTarget.value },
            { method: "post", preventScrollReset: true },
          );
        }}
        onKeyDown={backToRow}
        aria-busy={fetcher.state !== "idle"}
        error={errors[name] ?? errors.form ?? formError}
      >
        {children}
      </SelectField>
      {done ? (
        <p role="status" className="mt-1 text-xs text-green-800">
          {done}
        </p>
      ) : null}
    </div>
  );
}

/** The assignee choices of one row: every member, or in large organizations the short list (ROW_ASSIGNEE_LIMIT). */
function AssigneeOptions({
  members,
  me,
  assigneeId,
  assigneeName,
}: {
  members: IssueListOptions["members"];
  me: string;
  assigneeId: string;
  assigneeName: string | undefined;
}) {
  const listed =
    members.length > ROW_ASSIGNEE_LIMIT ? members.filter((m) => m.id === me || m.id === assigneeId) : members;
  // Someone who has left the organization stays shown as the assignee rather than a wrong "Unassigned".
  const gone = assigneeId !== "unassign" && !members.some((m) => m.id === assigneeId);
  return (
    <>
      <option value="unassign">Unassigned</option>
      {gone ? <option value={assigneeId}>{assigneeName ?? "Former member"}</option> : null}
      {listed.map((m) => (
        <option key={m.id} value={m.id}>
          {m.name}
          {m.id === me ? " (me)" : ""}
        </option>
      ))}
    </>
  );
}

export function RowTriage({
  row,
  saved,
  onSaved,
  options,
  triage,
  result,
}: {
  row: IssueListRow;
  saved: SavedTriage;
  onSaved: (name: keyof SavedTriage, value: string) => void;
  options: IssueListOptions;
  triage: IssueListTriage;
  /** The answer of the last no-JavaScript "Save" (any row). */
  result: ActionResult | undefined;
}) {
  const hydrated = useHydrated();
  const action = useIndexRouteAction();
  if (!triage.edit && !triage.assign) return null;
  // A failed "Save" names its row by the values it echoes.
  const mine = valuesFor(result, "triage").issueId === row.id;
  const formErrors = mine ? errorsFor(result, "triage") : {};
  const common = { issueId: row.id, title: row.title, onSaved };
  return (
    <form
      method="post"
      action={action}
      data-keep-scroll
      className="mt-2 flex flex-wrap items-end gap-x-3 gap-y-2 text-sm"
    >
      <input type="hidden" name="intent" value="triage" />
      <input type="hidden" name="issueId" value={row.id} />
      {triage.edit ? (
        <RowSelect
          {...common}
          intent="status"
          name="statusId"
          label="Status"
          saved={saved.statusId}
          formError={formErrors.statusId ?? formErrors.form}
        >
          <StatusOptionGroups statuses={options.statuses} />
        </RowSelect>
      ) : null}
      {triage.edit ? (
        <RowSelect
          {...common}
          intent="priority"
          name="priorityId"
          label="Priority"
          saved={saved.priorityId}
          formError={formErrors.priorityId}
        >
          <NameOptions items={options.priorities} />
        </RowSelect>
      ) : null}
      {triage.assign ? (
        <RowSelect
          {...common}
          intent="assign"
          name="assigneeId"
          label="Assignee"
          saved={saved.assigneeId}
          formError={formErrors.assigneeId ?? (triage.edit ? undefined : formErrors.form)}
        >
          <AssigneeOptions
            members={options.members}
            me={triage.me}
            assigneeId={saved.assigneeId}
            assigneeName={row.assignee?.name}
          />
        </RowSelect>
      ) : null}
      {/* With JavaScript every control saves on change: the button is for browsers without it. */}
      {hydrated ? null : (
        <button type="submit" className="btn-secondary">
          Save<span className="sr-only"> “{row.title}”</span>
        </button>
      )}
    </form>
  );
}
