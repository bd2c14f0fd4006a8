/**
 * /admin/priorities — how urgent issues are (organization:manage): add, rename, set the severity rank (higher = more
 * urgent; the issue list's "Priority" sort uses it), reorder the display, choose the default for new issues (switched
 * in one transaction), delete. A priority in use can only be deleted by moving its issues to another priority (same
 * transaction; one SYSTEM history row per moved issue). The default and the last priority cannot be deleted.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormMessage, SelectField } from "~/components/form";
import { requireMember, requirePermission } from "~/lib/access.server";
import { notFound } from "~/lib/errors.server";
import { formToObject, parseWith, readForm, validationError } from "~/lib/forms.server";
import { fields } from "~/lib/fields";
import { ISSUE_LIMITS } from "~/lib/issue-rules";
import {
  createPriority,
  deletePriority,
  listPrioritiesWithUsage,
  movePriority,
  setDefaultPriority,
  updatePriority,
} from "../../db/queries/priorities";
import type { AdminResult } from "../../db/queries/statuses";

export const meta: MetaFunction = () => [{ title: "Priorities · Admin · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(args, "organization:manage");
  return { priorities: await listPrioritiesWithUsage(db, organizationId) };
}

const name = z
  .string()
  .trim()
  .min(1, "Give the priority a name")
  .max(ISSUE_LIMITS.priorityName, `Keep the name under ${ISSUE_LIMITS.priorityName} characters`);
const rank = z.coerce
  .number({ error: "Enter a whole number" })
  .int("Enter a whole number")
  .min(0, "Use 0 to 1000")
  .max(1000, "Use 0 to 1000");

/** Built on demand: `fields` lives in a .server module, which is empty in the browser bundle. */
const schemaSet = () => ({
  create: z.object({
    name,
    order: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), rank.optional()),
  }),
  update: z.object({ priorityId: fields.id, name, order: rank }),
  default: z.object({ priorityId: fields.id }),
  move: z.object({ priorityId: fields.id, direction: z.enum(["up", "down"]) }),
  delete: z.object({ priorityId: fields.id, targetId: fields.optionalId }),
});

function respond(result: AdminResult | { ok: false; status: 400 | 404; field: string; message: string }, intent: string, priorityId?: string) {
  if (result.ok) return data({ ok: true as const, message: result.message });
  if (result.status === 404) notFound(result.message);
  return validationError({ [result.field]: result.message }, { intent, priorityId });
}

export async function action(args: ActionFunctionArgs) {
  const { db, organizationId, user } = await requireMember(args, "organization:manage");
  const values = formToObject(await readForm(args.request));
  const intent = typeof values.intent === "string" ? values.intent : "";
  const schemas = schemaSet();
  const base = { organizationId, actorId: user.id };
  switch (intent) {
    case "create": {
      const p = parseWith(schemas.create, values);
      if (!p.ok) return validationError(p.errors, { intent });
      return respond(await createPriority(db, { ...base, name: p.data.name, order: p.data.order }), intent);
    }
    case "update": {
      const p = parseWith(schemas.update, values);
      if (!p.ok) return validationError(p.errors, { intent, priorityId: values.priorityId });
      return respond(await updatePriority(db, { ...base, ...p.data }), intent, p.data.priorityId);
    }
    case "default": {
      const p = parseWith(schemas.default, values);
      if (!p.ok) return validationError(p.errors, { intent });
      return respond(await setDefaultPriority(db, { ...base, ...p.data }), intent, p.data.priorityId);
    }
    case "move": {
      const p = parseWith(schemas.move, values);
      if (!p.ok) return validationError(p.errors, { intent });
      return respond(await movePriority(db, { ...base, ...p.data }), intent, p.data.priorityId);
    }
    case "delete": {
      const p = parseWith(schemas.delete, values);
      if (!p.ok) return validationError(p.errors, { intent, priorityId: values.priorityId });
      return respond(await deletePriority(db, { ...base, priorityId: p.data.priorityId, targetId: p.data.targetId }), intent, p.data.priorityId);
    }
    default:
      return validationError({ form: "Unknown action." }, { intent });
  }
}

type ActionData = { ok: true; message: string } | { ok: false; errors: Record<string, string>; values?: Record<string, unknown> };

export default function AdminPriorities() {
  const { priorities } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const errors = result && !result.ok ? result.errors : {};
  const vals = result && !result.ok ? (result.values ?? {}) : {};
  const rowErrorFor = (id: string) => (vals.priorityId === id ? errors : {});
  const busy = useNavigation().state === "submitting";

  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link to="/admin">← Admin</Link>
      </nav>
      <div>
        <h1 className="text-2xl font-bold">Priorities</h1>
        <p className="mt-1 text-slate-600">
          The severity rank decides what “most urgent first” means in the issue list (higher = more urgent). The arrows only
          change the order of the pickers. New issues get the default priority.
        </p>
      </div>
      {result?.ok ? <FormMessage success={result.message} /> : null}
      {errors.form && !vals.priorityId ? <FormMessage error={errors.form} /> : null}

      <ol className="space-y-3">
        {priorities.map((p, i) => {
          const rowErrors = rowErrorFor(p.id);
          const others = priorities.filter((o) => o.id !== p.id);
          return (
            <li key={p.id} className="card space-y-3">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-semibold">{p.name}</span>
                  <span className="badge bg-slate-100 text-slate-800">Rank {p.order}</span>
                  {p.isDefault ? <span className="badge bg-indigo-100 text-indigo-900">Default for new issues</span> : null}
                  <span className="text-sm text-slate-600">
                    {p.issueCount} {p.issueCount === 1 ? "issue" : "issues"}
                  </span>
                </div>
                <div className="flex gap-1">
                  <Form method="post">
                    <input type="hidden" name="intent" value="move" />
                    <input type="hidden" name="priorityId" value={p.id} />
                    <input type="hidden" name="direction" value="up" />
                    <button type="submit" className="btn-secondary px-3" disabled={i === 0 || busy} aria-label={`Move ${p.name} up`}>
                      ↑
                    </button>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="intent" value="move" />
                    <input type="hidden" name="priorityId" value={p.id} />
                    <input type="hidden" name="direction" value="down" />
                    <button
                      type="submit"
                      className="btn-secondary px-3"
                      disabled={i === priorities.length - 1 || busy}
                      aria-label={`Move ${p.name} down`}
                    >
                      ↓
                    </button>
                  </Form>
                  {!p.isDefault ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="default" />
                      <input type="hidden" name="priorityId" value={p.id} />
                      <button type="submit" className="btn-secondary" disabled={busy}>
                        Make default
                      </button>
                    </Form>
                  ) : null}
                </div>
              </div>
              {rowErrors.form ? <FormMessage error={rowErrors.form} /> : null}
              <details open={rowErrors.name || rowErrors.order ? true : undefined}>
                <summary className="cursor-pointer text-sm font-medium text-indigo-700">Rename or change rank</summary>
                <Form method="post" className="mt-3 grid gap-3 sm:grid-cols-[1fr,10rem,auto] sm:items-end">
                  <input type="hidden" name="intent" value="update" />
                  <input type="hidden" name="priorityId" value={p.id} />
                  <Field label="Name" name="name" defaultValue={p.name} required maxLength={ISSUE_LIMITS.priorityName} error={rowErrors.name} />
                  <Field label="Severity rank" name="order" type="number" inputMode="numeric" min={0} max={1000} defaultValue={p.order} required error={rowErrors.order} />
                  <button type="submit" className="btn-primary" disabled={busy}>
                    Save
                  </button>
                </Form>
              </details>
              {!p.isDefault ? (
                <details open={rowErrors.targetId ? true : undefined}>
                  <summary className="cursor-pointer text-sm font-medium text-red-700">Delete…</summary>
                  <Form method="post" className="mt-3 grid gap-3 sm:grid-cols-[1fr,auto] sm:items-end">
                    <input type="hidden" name="intent" value="delete" />
                    <input type="hidden" name="priorityId" value={p.id} />
                    {p.issueCount > 0 ? (
                      <SelectField
                        label={`Move its ${p.issueCount} ${p.issueCount === 1 ? "issue" : "issues"} to`}
                        name="targetId"
                        defaultValue=""
                        required
                        error={rowErrors.targetId}
                      >
                        <option value="">Choose a priority…</option>
                        {others.map((o) => (
                          <option key={o.id} value={o.id}>
                            {o.name}
                          </option>
                        ))}
                      </SelectField>
                    ) : (
                      <p className="text-sm text-slate-600">No issues use this priority.</p>
                    )}
                    <button type="submit" className="btn-danger" disabled={busy}>
                      Delete {p.name}
                    </button>
                  </Form>
                </details>
              ) : null}
            </li>
          );
        })}
      </ol>

      <section className="card space-y-3" aria-labelledby="add-priority">
        <h2 id="add-priority" className="text-lg font-semibold">
          Add a priority
        </h2>
        <Form method="post" className="grid gap-3 sm:grid-cols-[1fr,10rem,auto] sm:items-end">
          <input type="hidden" name="intent" value="create" />
          <Field
            label="Name"
            name="name"
            required
            maxLength={ISSUE_LIMITS.priorityName}
            placeholder="e.g. Urgent"
            error={vals.intent === "create" ? errors.name : undefined}
          />
          <Field
            label="Severity rank"
            name="order"
            type="number"
            inputMode="numeric"
            min={0}
            max={1000}
            hint="Optional; defaults to the most urgent."
            error={vals.intent === "create" ? errors.order : undefined}
          />
          <button type="submit" className="btn-primary" disabled={busy}>
            Add priority
          </button>
        </Form>
      </section>
    </div>
  );
}
