/**
 * /issues/new — a member reports an issue (issue:create) with their account as reporter. Members who triage can set
 * the priority (issue:edit) and take the issue themselves (issue:assign) in the same transaction as the creation.
 * Guests report from the machine page (/m/<machineId>) instead.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormMessage, IdempotencyKeyField, SelectField, TextareaField } from "~/components/form";
import { requireMember } from "~/lib/access.server";
import { errorsFor, useActionResult, valuesFor } from "~/lib/action-result";
import { runAction, runLoader } from "~/lib/failure.server";
import { parseInput, readFormObject } from "~/lib/forms.server";
import { idParam } from "~/lib/ids";
import { createMemberIssue, loadNewIssuePage, newIssueInput } from "~/use-cases/issues.server";
import { ISSUE_LIMITS } from "../../core/issue-rules";
import { pageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [{ title: "New issue · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireMember(args, "issue:create");
  const params = new URL(args.request.url).searchParams;
  // Large organizations pick a location first (app/lib/machine-picker.server.ts).
  return pageData(
    await runLoader(() =>
      loadNewIssuePage(actor, {
        locationId: idParam(params.get("location")),
        machineId: idParam(params.get("machineId")),
      }),
    ),
  );
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requireMember(args, "issue:create");
  const form = await readFormObject(args.request);
  return runAction({ form }, async () => redirect(await createMemberIssue(actor, parseInput(newIssueInput, form))));
}

export default function NewIssue() {
  const d = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const errors = errorsFor(result);
  const values = valuesFor(result);
  const submitting = useNavigation().state === "submitting";
  const locations = [...new Set(d.machines.map((m) => m.locationName))];
  const defaultPriority = d.priorities.find((p) => p.isDefault)?.id ?? "";

  if (d.machines.length === 0 && d.locations.length === 0) {
    return (
      <div className="mx-auto max-w-xl space-y-4">
        <h1 className="text-2xl font-bold">New issue</h1>
        <div className="card">
          <p>There are no machines yet. Issues always belong to a machine — add one first.</p>
          <p className="mt-2">
            <a href="/machines">Go to machines</a>
          </p>
        </div>
      </div>
    );
  }

  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-bold">New issue</h1>
      <FormMessage error={errors.form} />
      {d.locations.length ? (
        <form method="get" className="card flex flex-wrap items-end gap-2" aria-label="Choose a location">
          {d.machineId ? <input type="hidden" name="machineId" value={d.machineId} /> : null}
          <div className="min-w-0 flex-1">
            <SelectField
              label="Location"
              name="location"
              defaultValue={d.locationId}
              hint={
                d.needsLocation
                  ? "This organization has many machines: choose where the machine stands to list them."
                  : undefined
              }
            >
              <option value="">Choose a location…</option>
              {d.locations.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </SelectField>
          </div>
          <button type="submit" className="btn-secondary">
            Show its machines
          </button>
        </form>
      ) : null}
      <form method="post" className="card space-y-4" noValidate>
        <IdempotencyKeyField value={d.idempotencyKey} />
        <SelectField
          key={d.locationId}
          label="Machine"
          name="machineId"
          defaultValue={values.machineId ?? d.machineId}
          required
          error={errors.machineId}
        >
          <option value="">{d.machines.length ? "Choose a machine…" : "Choose a location first"}</option>
          {locations.map((loc) => (
            <optgroup key={loc} label={loc}>
              {d.machines
                .filter((m) => m.locationName === loc)
                .map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
            </optgroup>
          ))}
        </SelectField>
        <Field
          label="What’s wrong?"
          name="title"
          required
          maxLength={ISSUE_LIMITS.title}
          placeholder="e.g. Right flipper is weak"
          defaultValue={values.title ?? ""}
          error={errors.title}
          autoComplete="off"
        />
        <TextareaField
          label="Details (optional)"
          name="description"
          rows={5}
          maxLength={ISSUE_LIMITS.description}
          hint="What happens, how often, what you already tried."
          defaultValue={values.description ?? ""}
          error={errors.description}
        />
        {d.priorities.length ? (
          <SelectField label="Priority" name="priorityId" defaultValue={defaultPriority} error={errors.priorityId}>
            {d.priorities.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {p.isDefault ? " (default)" : ""}
              </option>
            ))}
          </SelectField>
        ) : null}
        {d.canAssign ? (
          <div className="flex items-center gap-2">
            <input id="assign-to-me" type="checkbox" name="assignToMe" className="h-5 w-5" />
            <label htmlFor="assign-to-me" className="text-sm font-medium">
              Assign to me
            </label>
          </div>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <button type="submit" className="btn-primary" disabled={submitting}>
            {submitting ? "Saving…" : "Create issue"}
          </button>
          <a href="/issues" className="btn-secondary">
            Cancel
          </a>
        </div>
      </form>
    </div>
  );
}
