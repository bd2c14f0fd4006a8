/**
 * /admin/statuses — the workflow states of this organization (organization:manage): add, rename, change category
 * (Open / In progress / Closed), reorder, choose the default for new issues (always an Open status; switched in one
 * transaction), delete. A status in use can only be deleted by moving its issues to another status (same
 * transaction; one SYSTEM history row per moved issue). The default and the last status of a category cannot be
 * deleted.
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
import { CATEGORY_LABELS, ISSUE_LIMITS, STATUS_CATEGORIES, type StatusCategory } from "~/lib/issue-rules";
import {
  createStatus,
  deleteStatus,
  listStatusesWithUsage,
  moveStatus,
  setDefaultStatus,
  updateStatus,
  type AdminResult,
} from "../../db/queries/statuses";

export const meta: MetaFunction = () => [{ title: "Statuses · Admin · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(args, "organization:manage");
  return { statuses: await listStatusesWithUsage(db, organizationId) };
}

const name = z
  .string()
  .trim()
  .min(1, "Give the status a name")
  .max(ISSUE_LIMITS.statusName, `Keep the name under ${ISSUE_LIMITS.statusName} characters`);
const category = z.enum(STATUS_CATEGORIES, { error: "Choose Open, In progress or Closed" });

/** Built on demand: `fields` lives in a .server module, which is empty in the browser bundle. */
const schemaSet = () => ({
  create: z.object({ name, category }),
  update: z.object({ statusId: fields.id, name, category }),
  default: z.object({ statusId: fields.id }),
  move: z.object({ statusId: fields.id, direction: z.enum(["up", "down"]) }),
  delete: z.object({ statusId: fields.id, targetId: fields.optionalId }),
});

function respond(result: AdminResult | { ok: false; status: 400 | 404; field: string; message: string }, intent: string, statusId?: string) {
  if (result.ok) return data({ ok: true as const, message: result.message });
  if (result.status === 404) notFound(result.message);
  return validationError({ [result.field]: result.message }, { intent, statusId });
}

export async function action(args: ActionFunctionArgs) {
  const { db, organizationId, user } = await requireMember(args, "organization:manage");
  const actorId = user.id;
  const values = formToObject(await readForm(args.request));
  const intent = typeof values.intent === "string" ? values.intent : "";
  const schemas = schemaSet();
  const base = { organizationId, actorId };
  switch (intent) {
    case "create": {
      const p = parseWith(schemas.create, values);
      if (!p.ok) return validationError(p.errors, { intent, name: values.name, category: values.category });
      return respond(await createStatus(db, { ...base, ...p.data }), intent);
    }
    case "update": {
      const p = parseWith(schemas.update, values);
      if (!p.ok) return validationError(p.errors, { intent, statusId: values.statusId });
      return respond(await updateStatus(db, { ...base, ...p.data }), intent, p.data.statusId);
    }
    case "default": {
      const p = parseWith(schemas.default, values);
      if (!p.ok) return validationError(p.errors, { intent });
      return respond(await setDefaultStatus(db, { ...base, ...p.data }), intent, p.data.statusId);
    }
    case "move": {
      const p = parseWith(schemas.move, values);
      if (!p.ok) return validationError(p.errors, { intent });
      return respond(await moveStatus(db, { ...base, ...p.data }), intent, p.data.statusId);
    }
    case "delete": {
      const p = parseWith(schemas.delete, values);
      if (!p.ok) return validationError(p.errors, { intent, statusId: values.statusId });
      return respond(await deleteStatus(db, { ...base, statusId: p.data.statusId, targetId: p.data.targetId }), intent, p.data.statusId);
    }
    default:
      return validationError({ form: "Unknown action." }, { intent });
  }
}

type ActionData = { ok: true; message: string } | { ok: false; errors: Record<string, string>; values?: Record<string, unknown> };

export default function AdminStatuses() {
  const { statuses } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const errors = result && !result.ok ? result.errors : {};
  const vals = result && !result.ok ? (result.values ?? {}) : {};
  const rowErrorFor = (id: string) => (vals.statusId === id ? errors : {});
  const busy = useNavigation().state === "submitting";

  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link to="/admin">← Admin</Link>
      </nav>
      <div>
        <h1 className="text-2xl font-bold">Statuses</h1>
        <p className="mt-1 text-slate-600">
          Every status belongs to a category: <strong>{CATEGORY_LABELS.NEW}</strong> (reported, not started),{" "}
          <strong>{CATEGORY_LABELS.IN_PROGRESS}</strong> (someone is on it) or <strong>{CATEGORY_LABELS.RESOLVED}</strong> (done —
          closing stamps the resolved time). New issues start in the default status.
        </p>
      </div>
      {result?.ok ? <FormMessage success={result.message} /> : null}
      {errors.form && !vals.statusId ? <FormMessage error={errors.form} /> : null}

      <ol className="space-y-3">
        {statuses.map((s, i) => {
          const rowErrors = rowErrorFor(s.id);
          const others = statuses.filter((o) => o.id !== s.id);
          return (
            <li key={s.id} className="card space-y-3">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-semibold">{s.name}</span>
                  <span className="badge bg-slate-100 text-slate-800">{CATEGORY_LABELS[s.category]}</span>
                  {s.isDefault ? <span className="badge bg-indigo-100 text-indigo-900">Default for new issues</span> : null}
                  <span className="text-sm text-slate-600">
                    {s.issueCount} {s.issueCount === 1 ? "issue" : "issues"}
                  </span>
                </div>
                <div className="flex gap-1">
                  <Form method="post">
                    <input type="hidden" name="intent" value="move" />
                    <input type="hidden" name="statusId" value={s.id} />
                    <input type="hidden" name="direction" value="up" />
                    <button type="submit" className="btn-secondary px-3" disabled={i === 0 || busy} aria-label={`Move ${s.name} up`}>
                      ↑
                    </button>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="intent" value="move" />
                    <input type="hidden" name="statusId" value={s.id} />
                    <input type="hidden" name="direction" value="down" />
                    <button
                      type="submit"
                      className="btn-secondary px-3"
                      disabled={i === statuses.length - 1 || busy}
                      aria-label={`Move ${s.name} down`}
                    >
                      ↓
                    </button>
                  </Form>
                  {!s.isDefault && s.category === "NEW" ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="default" />
                      <input type="hidden" name="statusId" value={s.id} />
                      <button type="submit" className="btn-secondary" disabled={busy}>
                        Make default
                      </button>
                    </Form>
                  ) : null}
                </div>
              </div>
              {rowErrors.form ? <FormMessage error={rowErrors.form} /> : null}
              <details open={rowErrors.name || rowErrors.category ? true : undefined}>
                <summary className="cursor-pointer text-sm font-medium text-indigo-700">Rename or change category</summary>
                <Form method="post" className="mt-3 grid gap-3 sm:grid-cols-[1fr,1fr,auto] sm:items-end">
                  <input type="hidden" name="intent" value="update" />
                  <input type="hidden" name="statusId" value={s.id} />
                  <Field label="Name" name="name" defaultValue={s.name} required maxLength={ISSUE_LIMITS.statusName} error={rowErrors.name} />
                  <SelectField label="Category" name="category" defaultValue={s.category} error={rowErrors.category}>
                    {STATUS_CATEGORIES.map((c) => (
                      <option key={c} value={c}>
                        {CATEGORY_LABELS[c as StatusCategory]}
                      </option>
                    ))}
                  </SelectField>
                  <button type="submit" className="btn-primary" disabled={busy}>
                    Save
                  </button>
                </Form>
              </details>
              {!s.isDefault ? (
                <details open={rowErrors.targetId ? true : undefined}>
                  <summary className="cursor-pointer text-sm font-medium text-red-700">Delete…</summary>
                  <Form method="post" className="mt-3 grid gap-3 sm:grid-cols-[1fr,auto] sm:items-end">
                    <input type="hidden" name="intent" value="delete" />
                    <input type="hidden" name="statusId" value={s.id} />
                    {s.issueCount > 0 ? (
                      <SelectField
                        label={`Move its ${s.issueCount} ${s.issueCount === 1 ? "issue" : "issues"} to`}
                        name="targetId"
                        defaultValue=""
                        required
                        error={rowErrors.targetId}
                      >
                        <option value="">Choose a status…</option>
                        {others.map((o) => (
                          <option key={o.id} value={o.id}>
                            {o.name} ({CATEGORY_LABELS[o.category]})
                          </option>
                        ))}
                      </SelectField>
                    ) : (
                      <p className="text-sm text-slate-600">No issues use this status.</p>
                    )}
                    <button type="submit" className="btn-danger" disabled={busy}>
                      Delete {s.name}
                    </button>
                  </Form>
                </details>
              ) : null}
            </li>
          );
        })}
      </ol>

      <section className="card space-y-3" aria-labelledby="add-status">
        <h2 id="add-status" className="text-lg font-semibold">
          Add a status
        </h2>
        <Form method="post" className="grid gap-3 sm:grid-cols-[1fr,1fr,auto] sm:items-end">
          <input type="hidden" name="intent" value="create" />
          <Field
            label="Name"
            name="name"
            required
            maxLength={ISSUE_LIMITS.statusName}
            placeholder="e.g. Waiting for owner"
            error={vals.intent === "create" ? errors.name : undefined}
          />
          <SelectField label="Category" name="category" defaultValue="IN_PROGRESS" error={vals.intent === "create" ? errors.category : undefined}>
            {STATUS_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABELS[c as StatusCategory]}
              </option>
            ))}
          </SelectField>
          <button type="submit" className="btn-primary" disabled={busy}>
            Add status
          </button>
        </Form>
      </section>
    </div>
  );
}
