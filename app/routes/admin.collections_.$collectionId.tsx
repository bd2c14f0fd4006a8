/**
 * /admin/collections/<id> — one collection. Manual collections (location:edit): rename, describe, delete, and pick
 * machines with checkboxes (only machines at the collection's location when it is tied to one). Automatic
 * collections are read-only here: their machines come from the model fields.
 *
 * (File name `admin.collections_.$collectionId.tsx`: the trailing underscore keeps this page from nesting inside the
 * list page `admin.collections.tsx`; the URL is still /admin/collections/<id>.)
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { withTransaction } from "~/lib/db.server";
import { recordAudit } from "../../db/queries/audit.server";
import {
  CollectionError,
  MAX_MACHINE_IDS,
  deleteManualCollection,
  getCollection,
  listMachineOptions,
  updateCollectionMembership,
  updateManualCollection,
} from "../../db/queries/collections.server";
import { Field, FormMessage, TextareaField } from "~/components/form";
import { requireAnyPermission, requirePermission } from "~/lib/access.server";
import { describeFilterCriteria } from "../../core/collection-rules";
import { clientIp } from "~/lib/context.server";
import { notFound } from "~/lib/errors.server";
import { formToObject, parseWith, readForm, validationError } from "~/lib/forms.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.collection.name} · Collections · Admin · PinPoint` : "Collection · Admin · PinPoint" },
];

const idParam = z.string().trim().min(1).max(64);

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireAnyPermission(args, ["organization:manage", "location:edit"]);
  const id = idParam.safeParse(args.params.collectionId);
  if (!id.success) notFound("That collection does not exist.");
  const collection = (await getCollection(access.db, access.organizationId, id.data)) ?? notFound("That collection does not exist.");
  const isManual = collection.isManual && !collection.typeIsAuto;
  const options = await listMachineOptions(access.db, access.organizationId, {
    locationId: collection.locationId,
    collectionId: collection.id,
  });
  return {
    collection: {
      id: collection.id,
      name: collection.name,
      description: collection.description,
      typeLabel: collection.typeLabel,
      typeIsEnabled: collection.typeIsEnabled,
      locationName: collection.locationName,
      machineCount: collection.machineCount,
      criteria: describeFilterCriteria(collection.filterCriteria),
      isManual,
    },
    canEdit: isManual && access.can("location:edit"),
    // Automatic collections only list their members; manual ones list every candidate with a checkbox.
    machines: isManual ? options : options.filter((o) => o.inCollection),
  };
}

const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string().trim().min(1).max(64)).max(MAX_MACHINE_IDS, `Choose at most ${MAX_MACHINE_IDS} machines at a time`));

const renameSchema = z.object({
  intent: z.literal("rename"),
  name: z
    .string({ error: "Give it a name" })
    .trim()
    .min(1, "Give it a name")
    .max(50, "Keep the name under 50 characters")
    .transform((v) => v.replace(/\s+/g, " ")),
  description: z
    .string()
    .trim()
    .max(500, "Keep the description under 500 characters")
    .optional()
    .transform((v) => v || null),
});
const machinesSchema = z.object({ intent: z.literal("machines"), machineIds: idList, shownIds: idList });

type ActionResult = { ok: true; message: string } | { ok: false; errors: Record<string, string>; values?: Record<string, unknown> };

export async function action(args: ActionFunctionArgs) {
  const { db, organizationId, user } = await requirePermission(args, "location:edit");
  const id = idParam.safeParse(args.params.collectionId);
  if (!id.success) notFound("That collection does not exist.");
  const collectionId = id.data;
  const form = formToObject(await readForm(args.request));
  const audit = (tx: typeof db, action: string, meta: Record<string, unknown>) =>
    recordAudit(tx, {
      organizationId,
      actorId: user?.id ?? null,
      action,
      targetType: "Collection",
      targetId: collectionId,
      meta,
      ipAddress: clientIp(args.context),
    });
  try {
    switch (form.intent) {
      case "rename": {
        const parsed = parseWith(renameSchema, form);
        if (!parsed.ok) return validationError(parsed.errors, { name: form.name, description: form.description });
        await withTransaction(db, async (tx) => {
          await updateManualCollection(tx, organizationId, collectionId, parsed.data);
          await audit(tx, "collection.updated", { name: parsed.data.name });
        });
        return data<ActionResult>({ ok: true, message: "Collection saved." });
      }
      case "delete": {
        const deleted = await withTransaction(db, async (tx) => {
          const c = await deleteManualCollection(tx, organizationId, collectionId);
          await audit(tx, "collection.deleted", { name: c.name });
          return c;
        });
        return redirect(`/admin/collections?deleted=${encodeURIComponent(deleted.name)}`);
      }
      case "machines": {
        const parsed = parseWith(machinesSchema, form);
        if (!parsed.ok) return validationError({ machineIds: Object.values(parsed.errors)[0] ?? "Invalid selection" });
        const checked = new Set(parsed.data.machineIds);
        const remove = parsed.data.shownIds.filter((m) => !checked.has(m));
        const result = await withTransaction(db, async (tx) => {
          const r = await updateCollectionMembership(tx, organizationId, collectionId, { add: [...checked], remove });
          if (r.added || r.removed) await audit(tx, "collection.machines_changed", { ...r });
          return r;
        });
        return data<ActionResult>({
          ok: true,
          message:
            result.added || result.removed
              ? `Machines saved: ${result.added} added, ${result.removed} removed.`
              : "No changes: the collection already had exactly these machines.",
        });
      }
      default:
        return validationError({ form: "Unknown action." });
    }
  } catch (error) {
    if (!(error instanceof CollectionError)) throw error;
    if (error.code === "not_found") notFound(error.message);
    return data<ActionResult>({ ok: false, errors: { [error.field ?? "form"]: error.message } }, { status: 400 });
  }
}

export default function AdminCollection() {
  const { collection, canEdit, machines } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const errors = (result && !result.ok ? result.errors : {}) as Record<string, string | undefined>;
  const values = result && !result.ok ? result.values : undefined;
  const checkedCount = machines.filter((m) => m.inCollection).length;

  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm">
          <Link to="/admin">Admin</Link> <span aria-hidden="true">›</span> <Link to="/admin/collections">Collections</Link>{" "}
          <span aria-hidden="true">›</span> {collection.name}
        </p>
        <h1 className="text-2xl font-bold">{collection.name}</h1>
        <p className="text-slate-600">
          {collection.typeLabel} · {collection.isManual ? "picked by hand" : "generated automatically"}
          {collection.locationName ? ` · ${collection.locationName}` : " · whole organization"} · {collection.machineCount}{" "}
          {collection.machineCount === 1 ? "machine" : "machines"}
          {collection.typeIsEnabled ? (
            <>
              {" "}
              · <Link to={`/collections/${collection.id}`}>public page</Link>
            </>
          ) : (
            " · hidden from visitors (type disabled)"
          )}
        </p>
      </div>

      <div aria-live="polite">
        <FormMessage error={errors.form ?? errors.machineIds} success={result && result.ok ? result.message : undefined} />
      </div>

      {!collection.isManual ? (
        <p className="card text-sm text-slate-700">
          {collection.criteria ? `${collection.criteria}. ` : ""}This collection follows the machines’ models and is rebuilt
          when machines change or when you regenerate automatic collections.
        </p>
      ) : null}

      {canEdit ? (
        <section className="card space-y-4" aria-labelledby="details-heading">
          <h2 id="details-heading" className="text-lg font-semibold">
            Details
          </h2>
          <Form method="post" className="space-y-3" noValidate>
            <input type="hidden" name="intent" value="rename" />
            <Field
              label="Name"
              name="name"
              required
              maxLength={50}
              defaultValue={(values?.name as string | undefined) ?? collection.name}
              error={errors.name}
            />
            <TextareaField
              label="Description (optional)"
              name="description"
              rows={2}
              maxLength={500}
              defaultValue={(values?.description as string | undefined) ?? collection.description ?? ""}
              error={errors.description}
            />
            <button type="submit" className="btn-primary" disabled={busy}>
              Save details
            </button>
          </Form>
        </section>
      ) : null}

      <section className="space-y-3" aria-labelledby="machines-heading">
        <h2 id="machines-heading" className="text-lg font-semibold">
          Machines
        </h2>
        {machines.length === 0 ? (
          <p className="card text-slate-600">
            {collection.isManual
              ? collection.locationName
                ? `There are no machines at ${collection.locationName} yet.`
                : "This organization has no machines yet."
              : "No machine matches this collection right now."}
          </p>
        ) : canEdit ? (
          <Form method="post" className="space-y-3">
            <input type="hidden" name="intent" value="machines" />
            <fieldset className="card">
              <legend className="px-1 text-sm font-medium">
                Tick the machines that belong in {collection.name} ({checkedCount} of {machines.length} now)
              </legend>
              <ul className="mt-2 grid gap-1 sm:grid-cols-2">
                {machines.map((m) => (
                  <li key={m.id} className="flex items-start gap-2 py-1">
                    <input type="hidden" name="shownIds" value={m.id} />
                    <input
                      id={`machine-${m.id}`}
                      type="checkbox"
                      name="machineIds"
                      value={m.id}
                      defaultChecked={m.inCollection}
                      className="mt-1 h-4 w-4"
                    />
                    <label htmlFor={`machine-${m.id}`} className="text-sm">
                      <span className="font-medium">{m.name}</span>
                      {m.name !== m.modelName ? <span className="text-slate-600"> · {m.modelName}</span> : null}
                      <span className="block text-xs text-slate-600">
                        {[m.manufacturer, m.year, collection.locationName ? null : m.locationName].filter(Boolean).join(" · ")}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
            <button type="submit" className="btn-primary" disabled={busy}>
              Save machines
            </button>
          </Form>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
            {machines.map((m) => (
              <li key={m.id} className="px-4 py-2 text-sm">
                <Link to={`/m/${m.id}`} className="font-medium">
                  {m.name}
                </Link>
                <span className="text-slate-600"> · {[m.manufacturer, m.year, m.locationName].filter(Boolean).join(" · ")}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {canEdit ? (
        <section className="card space-y-3 border-red-200" aria-labelledby="delete-heading">
          <h2 id="delete-heading" className="text-lg font-semibold">
            Delete collection
          </h2>
          <p className="text-sm text-slate-600">The machines stay; only this grouping is removed.</p>
          <Form method="post">
            <input type="hidden" name="intent" value="delete" />
            <button type="submit" className="btn-danger" disabled={busy}>
              Delete {collection.name}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
