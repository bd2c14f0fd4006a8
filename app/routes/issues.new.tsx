/**
 * /issues/new — a member reports an issue (issue:create) with their account as reporter. Members who triage can set
 * the priority (issue:edit) and take the issue themselves (issue:assign) in the same transaction as the creation.
 * Guests report from the machine page (/m/<machineId>) instead.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormMessage, IdempotencyKeyField, SelectField, TextareaField } from "~/components/form";
import { requireMember } from "~/lib/access.server";
import { STALE_FORM_MESSAGE, newIdempotencyKey, readIdempotencyKey } from "~/lib/idempotency.server";
import { idParam } from "~/lib/ids";
import { loadMachinePicker } from "~/lib/machine-picker.server";
import { formToObject, parseWith, readForm, validationError } from "~/lib/forms.server";
import { fields } from "~/lib/fields";
import { ISSUE_LIMITS } from "../../core/issue-rules";
import { runOnce } from "../../db/queries/idempotency.server";
import { isFailure } from "../../core/failure";
import { reportIssue } from "~/use-cases/issues.server";
import { changeIssueAssignee } from "../../db/queries/issues.server";
import { listLocationOptions } from "../../db/queries/locations.server";
import { listPriorities } from "../../db/queries/priorities.server";

export const meta: MetaFunction = () => [{ title: "New issue · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, organizationId, can } = await requireMember(args, "issue:create");
  const params = new URL(args.request.url).searchParams;
  const locationId = idParam(params.get("location"));
  const wanted = idParam(params.get("machineId"));
  const [picker, priorities] = await Promise.all([
    loadMachinePicker(db, organizationId, { locationId, machineId: wanted }),
    can("issue:edit") ? listPriorities(db, organizationId) : Promise.resolve([]),
  ]);
  // Large organizations pick a location first (app/lib/machine-picker.server.ts).
  const locations = picker.needsLocation || locationId ? await listLocationOptions(db, organizationId) : [];
  return {
    machines: picker.machines,
    needsLocation: picker.needsLocation,
    locations,
    locationId: locationId ?? "",
    priorities: priorities.map((p) => ({ id: p.id, name: p.name, isDefault: p.isDefault })),
    canAssign: can("issue:assign"),
    machineId: wanted && picker.machines.some((m) => m.id === wanted) ? wanted : "",
    idempotencyKey: newIdempotencyKey(),
  };
}

/** Built on demand: `fields` lives in a .server module, which is empty in the browser bundle. */
const newIssueSchema = () =>
  z.object({
  machineId: z.string({ error: "Pick a machine" }).trim().min(1, "Pick a machine").max(64, "Pick a machine"),
  title: fields.title,
  description: fields.description,
  priorityId: fields.optionalId,
  assignToMe: z.literal("on").optional(),
  });

export async function action(args: ActionFunctionArgs) {
  const access = await requireMember(args, "issue:create");
  const { db, organizationId, user, can } = access;
  const raw = formToObject(await readForm(args.request));
  const keep = {
    machineId: typeof raw.machineId === "string" ? raw.machineId.slice(0, 64) : "",
    title: typeof raw.title === "string" ? raw.title.slice(0, 300) : "",
    description: typeof raw.description === "string" ? raw.description.slice(0, 10_000) : "",
  };
  const parsed = parseWith(newIssueSchema(), raw);
  if (!parsed.ok) return validationError(parsed.errors, keep);
  const claimKey = readIdempotencyKey(raw.idempotencyKey);
  if (!claimKey.ok) return validationError({ form: STALE_FORM_MESSAGE }, keep);
  const input = parsed.data;
  const claim = claimKey.key ? { organizationId, scope: `issue-new:${user.id}`, key: claimKey.key } : null;
  try {
    // A repeat of this submit (same key) gets the first issue's page and creates nothing.
    const { result } = await runOnce(db, claim, async (tx) => {
      const created = await reportIssue({ ...access, db: tx }, {
        machineId: input.machineId,
        title: input.title,
        description: input.description ?? null,
        reporter: { userId: user.id },
        // Only triagers choose a priority; everyone else gets the organization's default.
        priorityId: can("issue:edit") ? (input.priorityId ?? null) : null,
      });
      if (input.assignToMe && can("issue:assign")) {
        const assigned = await changeIssueAssignee(tx, { organizationId, issueId: created.id, assigneeId: user.id, actor: user });
        if (!assigned.ok) throw new Error(`assign on create failed: ${assigned.message}`);
      }
      return { location: `/issues/${created.id}` };
    });
    return redirect(result.location);
  } catch (error) {
    if (isFailure(error)) return validationError(error.fields, keep);
    throw error;
  }
}

export default function NewIssue() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = (result && "errors" in result ? result.errors : {}) as Record<string, string | undefined>;
  const values = (result && "values" in result ? result.values : {}) as Record<string, string | undefined>;
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
            <Link to="/machines">Go to machines</Link>
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
        <Form method="get" className="card flex flex-wrap items-end gap-2" aria-label="Choose a location">
          {d.machineId ? <input type="hidden" name="machineId" value={d.machineId} /> : null}
          <div className="min-w-0 flex-1">
            <SelectField
              label="Location"
              name="location"
              defaultValue={d.locationId}
              hint={d.needsLocation ? "This organization has many machines: choose where the machine stands to list them." : undefined}
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
        </Form>
      ) : null}
      <Form method="post" className="card space-y-4" noValidate>
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
          <Link to="/issues" className="btn-secondary">
            Cancel
          </Link>
        </div>
      </Form>
    </div>
  );
}
