/**
 * /admin/collections — collection types (organization:manage: enable/disable, order, display name, description,
 * custom manual types, regenerate automatic collections) and collections (location:edit: create manual ones; each
 * links to /admin/collections/<id> for renaming, deleting and picking machines).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { withTransaction } from "~/lib/db.server";
import { recordAudit } from "../../db/queries/audit.server";
import {
  CollectionError,
  createCollectionType,
  createManualCollection,
  deleteCollectionType,
  listAdminCollections,
  listCollectionTypes,
  refreshAutoCollections,
  updateCollectionType,
  type RefreshResult,
} from "../../db/queries/collections.server";
import { listLocationOptions } from "../../db/queries/locations.server";
import { Field, FormMessage, SelectField, TextareaField } from "~/components/form";
import { PROTECTED_TYPE_NAME, SOURCE_FIELD_LABELS, describeFilterCriteria, isAutoSourceField } from "../../core/collection-rules";
import { requireAnyPermission, requirePermission } from "~/lib/access.server";
import { clientIp } from "~/lib/context.server";
import { notFound } from "~/lib/errors.server";
import { formToObject, parseWith, readForm, validationError } from "~/lib/forms.server";
import { fields } from "~/lib/fields";

export const meta: MetaFunction = () => [{ title: "Collections · Admin · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireAnyPermission(args, ["organization:manage", "location:edit"]);
  const { db, organizationId } = access;
  const [types, collections, locations] = await Promise.all([
    listCollectionTypes(db, organizationId),
    listAdminCollections(db, organizationId),
    listLocationOptions(db, organizationId),
  ]);
  return {
    canManageTypes: access.can("organization:manage"),
    canEditCollections: access.can("location:edit"),
    types: types.map((t) => ({
      ...t,
      sourceLabel: isAutoSourceField(t.sourceField) ? SOURCE_FIELD_LABELS[t.sourceField] : null,
    })),
    collections: collections.map((c) => ({
      id: c.id,
      name: c.name,
      typeId: c.typeId,
      isManual: c.isManual && !c.typeIsAuto,
      locationName: c.locationName,
      machineCount: c.machineCount,
      // "Manufacturer is Bally" next to "Bally" says nothing new; era ranges do.
      criteria: c.filterCriteria && "manufacturer" in c.filterCriteria ? null : describeFilterCriteria(c.filterCriteria),
    })),
    locations,
  };
}

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `Keep the ${label} under ${max} characters`)
    .optional()
    .transform((v) => (v ? v.replace(/\s+/g, " ") : null));

const nameField = z
  .string({ error: "Give it a name" })
  .trim()
  .min(1, "Give it a name")
  .max(50, "Keep the name under 50 characters")
  .transform((v) => v.replace(/\s+/g, " "));

const sortOrderField = z
  .string({ error: "Enter a whole number" })
  .trim()
  .regex(/^[0-9]{1,6}$/, "Enter a whole number, 0 or more")
  .transform(Number)
  .pipe(z.number().max(1000, "Use at most 1000"));

const checkbox = z
  .string()
  .max(10)
  .optional()
  .transform((v) => v === "on" || v === "true");

const typeUpdateSchema = z.object({
  intent: z.literal("type-update"),
  typeId: fields.id,
  displayName: optionalText(50, "display name"),
  description: optionalText(500, "description"),
  sortOrder: sortOrderField,
  isEnabled: checkbox,
});
const typeToggleSchema = z.object({ intent: z.literal("type-toggle"), typeId: fields.id, enabled: z.enum(["true", "false"]) });
const typeCreateSchema = z.object({
  intent: z.literal("type-create"),
  name: nameField,
  displayName: optionalText(50, "display name"),
  description: optionalText(500, "description"),
});
const typeDeleteSchema = z.object({ intent: z.literal("type-delete"), typeId: fields.id });
const collectionCreateSchema = z.object({
  intent: z.literal("collection-create"),
  name: nameField,
  typeId: z.string({ error: "Choose a type" }).trim().min(1, "Choose a type").max(64),
  locationId: fields.optionalId,
  description: optionalText(500, "description"),
});

type ActionResult =
  | { ok: true; intent: string; message: string; refresh?: RefreshResult | null }
  | { ok: false; intent?: string; errors: Record<string, string>; values?: Record<string, unknown> };

function refreshMessage(r: RefreshResult): string {
  return `Automatic collections regenerated: ${r.generated} created, ${r.updated} updated, ${r.removed} removed, ${r.unchanged} unchanged.`;
}

/** Maps CollectionError to a 404 (missing / other organization) or a 400 with the message on its field. */
function collectionFailure(error: unknown, intent: string, values: Record<string, unknown>) {
  if (!(error instanceof CollectionError)) throw error;
  if (error.code === "not_found") notFound(error.message);
  return data<ActionResult>({ ok: false, intent, errors: { [error.field ?? "form"]: error.message }, values }, { status: 400 });
}

export async function action(args: ActionFunctionArgs) {
  const form = formToObject(await readForm(args.request));
  const intent = typeof form.intent === "string" ? form.intent : "";
  const values = { ...form };
  switch (intent) {
    case "type-update":
    case "type-toggle":
    case "type-create":
    case "type-delete":
    case "regenerate": {
      const { db, organizationId, user } = await requirePermission(args, "organization:manage");
      const audit = (tx: typeof db, action: string, targetId: string | null, meta: Record<string, unknown>) =>
        recordAudit(tx, { organizationId, actorId: user?.id ?? null, action, targetType: "CollectionType", targetId, meta, ipAddress: clientIp(args.context) });
      try {
        if (intent === "regenerate") {
          const refresh = await withTransaction(db, async (tx) => {
            const r = await refreshAutoCollections(tx, organizationId);
            await audit(tx, "collections.regenerated", null, { ...r });
            return r;
          });
          return data<ActionResult>({ ok: true, intent, message: refreshMessage(refresh), refresh });
        }
        if (intent === "type-create") {
          const parsed = parseWith(typeCreateSchema, form);
          if (!parsed.ok) return validationError(parsed.errors, { ...values });
          await withTransaction(db, async (tx) => {
            const created = await createCollectionType(tx, organizationId, parsed.data);
            await audit(tx, "collection_type.created", created.id, { name: parsed.data.name });
          });
          return data<ActionResult>({ ok: true, intent, message: `Collection type “${parsed.data.name}” created.` });
        }
        if (intent === "type-delete") {
          const parsed = parseWith(typeDeleteSchema, form);
          if (!parsed.ok) return validationError(parsed.errors, { ...values });
          const deleted = await withTransaction(db, async (tx) => {
            const t = await deleteCollectionType(tx, organizationId, parsed.data.typeId);
            await audit(tx, "collection_type.deleted", t.id, { name: t.name });
            return t;
          });
          return data<ActionResult>({ ok: true, intent, message: `Collection type “${deleted.label}” deleted.` });
        }
        const parsed =
          intent === "type-toggle"
            ? parseWith(typeToggleSchema, form)
            : parseWith(typeUpdateSchema, form);
        if (!parsed.ok) return validationError(parsed.errors, { ...values });
        const patch =
          parsed.data.intent === "type-toggle"
            ? { isEnabled: parsed.data.enabled === "true" }
            : {
                displayName: parsed.data.displayName,
                description: parsed.data.description,
                sortOrder: parsed.data.sortOrder,
                isEnabled: parsed.data.isEnabled,
              };
        const outcome = await withTransaction(db, async (tx) => {
          const r = await updateCollectionType(tx, organizationId, parsed.data.typeId, patch);
          await audit(tx, "collection_type.updated", r.type.id, { name: r.type.name, ...patch });
          return r;
        });
        const label = outcome.type.displayName || outcome.type.name;
        const state = outcome.type.isEnabled ? "enabled" : "disabled";
        return data<ActionResult>({
          ok: true,
          intent,
          message: `“${label}” saved (${state}).${outcome.refresh ? ` ${refreshMessage(outcome.refresh)}` : ""}`,
          refresh: outcome.refresh,
        });
      } catch (error) {
        return collectionFailure(error, intent, values);
      }
    }
    case "collection-create": {
      const { db, organizationId, user } = await requirePermission(args, "location:edit");
      const parsed = parseWith(collectionCreateSchema, form);
      if (!parsed.ok) return validationError(parsed.errors, { ...values });
      try {
        await withTransaction(db, async (tx) => {
          const created = await createManualCollection(tx, organizationId, parsed.data);
          await recordAudit(tx, {
            organizationId,
            actorId: user?.id ?? null,
            action: "collection.created",
            targetType: "Collection",
            targetId: created.id,
            meta: { name: parsed.data.name, typeId: parsed.data.typeId, locationId: parsed.data.locationId ?? null },
            ipAddress: clientIp(args.context),
          });
        });
        return data<ActionResult>({ ok: true, intent, message: `Collection “${parsed.data.name}” created.` });
      } catch (error) {
        return collectionFailure(error, intent, values);
      }
    }
    default:
      await requireAnyPermission(args, ["organization:manage", "location:edit"]);
      return validationError({ form: "Unknown action." });
  }
}

export default function AdminCollections() {
  const { types, collections, locations, canManageTypes, canEditCollections } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const deleted = params.get("deleted");
  const busy = navigation.state === "submitting";
  const failed = result && !result.ok ? result : undefined;
  const failedIntent = failed ? (failed.intent ?? (typeof failed.values?.intent === "string" ? failed.values.intent : undefined)) : undefined;
  /** Field errors of the form that was submitted (matched by intent and, for per-type forms, the type id). */
  const errorsFor = (intent: string, typeId?: string): Record<string, string | undefined> => {
    if (!failed || failedIntent !== intent) return {};
    if (typeId && failed.values?.typeId !== typeId) return {};
    return failed.errors;
  };
  const manualTypes = types.filter((t) => !t.isAutoGenerated);
  const createErrors = errorsFor("collection-create");
  const typeCreateErrors = errorsFor("type-create");
  const formError = failed?.errors.form;

  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm">
          <Link to="/admin">Admin</Link> <span aria-hidden="true">›</span> Collections
        </p>
        <h1 className="text-2xl font-bold">Collections</h1>
        <p className="text-slate-600">
          Group machines for visitors: rooms you arrange by hand, or automatic groups by manufacturer and era.{" "}
          <Link to="/collections">See the public view</Link>.
        </p>
      </div>

      <div aria-live="polite">
        <FormMessage
          error={formError}
          success={result && result.ok ? result.message : !result && deleted ? `The collection “${deleted.slice(0, 60)}” was deleted.` : undefined}
        />
      </div>

      <section aria-labelledby="types-heading" className="space-y-4">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="types-heading" className="text-lg font-semibold">
            Collection types
          </h2>
          {canManageTypes ? (
            <Form method="post">
              <input type="hidden" name="intent" value="regenerate" />
              <button type="submit" className="btn-secondary" disabled={busy}>
                Regenerate automatic collections
              </button>
            </Form>
          ) : null}
        </div>
        {types.length === 0 ? <p className="card text-slate-600">This organization has no collection types.</p> : null}
        <ul className="space-y-4">
          {types.map((t) => {
            const errs = errorsFor("type-update", t.id);
            const ofType = collections.filter((c) => c.typeId === t.id);
            return (
              <li key={t.id} className="card space-y-3">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <h3 className="text-base font-semibold">
                    {t.label}{" "}
                    <span className={`badge ${t.isEnabled ? "bg-green-100 text-green-900" : "bg-slate-100 text-slate-700"}`}>
                      {t.isEnabled ? "Enabled" : "Disabled"}
                    </span>{" "}
                    <span className="badge bg-indigo-50 text-indigo-900">{t.isAutoGenerated ? "Automatic" : "Manual"}</span>
                  </h3>
                  <span className="text-sm text-slate-600">
                    {t.collectionCount} {t.collectionCount === 1 ? "collection" : "collections"}
                  </span>
                </div>
                {t.sourceLabel ? <p className="text-sm text-slate-600">Generated from: {t.sourceLabel}.</p> : null}
                {t.description ? <p className="text-sm text-slate-700">{t.description}</p> : null}

                {canManageTypes ? (
                  <Form method="post" className="grid gap-3 sm:grid-cols-2" aria-label={`Settings of ${t.label}`}>
                    <input type="hidden" name="intent" value="type-update" />
                    <input type="hidden" name="typeId" value={t.id} />
                    <Field
                      label="Display name"
                      name="displayName"
                      maxLength={50}
                      defaultValue={t.displayName ?? ""}
                      placeholder={t.name}
                      error={errs.displayName}
                      id={`type-${t.id}-displayName`}
                    />
                    <Field
                      label="Sort order"
                      name="sortOrder"
                      type="number"
                      inputMode="numeric"
                      min={0}
                      max={1000}
                      required
                      defaultValue={t.sortOrder}
                      error={errs.sortOrder}
                      id={`type-${t.id}-sortOrder`}
                    />
                    <TextareaField
                      label="Description"
                      name="description"
                      rows={2}
                      maxLength={500}
                      defaultValue={t.description ?? ""}
                      error={errs.description}
                      className="sm:col-span-2"
                      id={`type-${t.id}-description`}
                    />
                    <div className="flex items-center gap-2">
                      <input id={`type-${t.id}-enabled`} type="checkbox" name="isEnabled" defaultChecked={t.isEnabled} className="h-4 w-4" />
                      <label htmlFor={`type-${t.id}-enabled`} className="text-sm">
                        Show {t.label} collections to visitors
                        {t.isAutoGenerated ? " (enabling generates them)" : ""}
                      </label>
                    </div>
                    <div className="flex flex-wrap justify-end gap-2">
                      <button type="submit" className="btn-primary" disabled={busy}>
                        Save {t.label}
                      </button>
                    </div>
                  </Form>
                ) : null}

                {canManageTypes && !t.isAutoGenerated && t.collectionCount === 0 && t.name !== PROTECTED_TYPE_NAME ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="type-delete" />
                    <input type="hidden" name="typeId" value={t.id} />
                    <button type="submit" className="btn-danger" disabled={busy}>
                      Delete type {t.label}
                    </button>
                  </Form>
                ) : null}

                <div>
                  <h4 className="sr-only">Collections of {t.label}</h4>
                  {ofType.length === 0 ? (
                    <p className="text-sm text-slate-600">
                      {t.isAutoGenerated
                        ? t.isEnabled
                          ? "No collections yet: no machine matches, or regenerate to build them."
                          : "Enable this type to generate its collections."
                        : "No collections of this type yet."}
                    </p>
                  ) : (
                    <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
                      {ofType.map((c) => (
                        <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
                          <span>
                            <Link to={`/admin/collections/${c.id}`} className="font-medium">
                              {c.name}
                            </Link>
                            {c.locationName ? <span className="text-sm text-slate-600"> · {c.locationName}</span> : null}
                            {c.criteria ? <span className="text-sm text-slate-600"> · {c.criteria}</span> : null}
                          </span>
                          <span className="text-sm text-slate-600">
                            {c.machineCount} {c.machineCount === 1 ? "machine" : "machines"}
                          </span>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      </section>

      {canEditCollections ? (
        <section className="card space-y-4" aria-labelledby="create-collection-heading">
          <h2 id="create-collection-heading" className="text-lg font-semibold">
            New manual collection
          </h2>
          {manualTypes.length === 0 ? (
            <p className="text-sm text-slate-600">Create a manual collection type first.</p>
          ) : (
            <Form method="post" className="grid gap-3 sm:grid-cols-2" noValidate>
              <input type="hidden" name="intent" value="collection-create" />
              <Field
                label="Name"
                name="name"
                required
                maxLength={50}
                autoComplete="off"
                placeholder="Front Room"
                defaultValue={failed?.values?.intent === "collection-create" ? String(failed.values.name ?? "") : ""}
                error={createErrors.name}
              />
              <SelectField
                label="Type"
                name="typeId"
                required
                error={createErrors.typeId}
                defaultValue={failed?.values?.intent === "collection-create" ? String(failed.values.typeId ?? "") : manualTypes[0]?.id}
              >
                {manualTypes.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.label}
                  </option>
                ))}
              </SelectField>
              <SelectField
                label="Location"
                name="locationId"
                error={createErrors.locationId}
                hint="Tie it to a location (rooms), or leave it for the whole organization."
                defaultValue={failed?.values?.intent === "collection-create" ? String(failed.values.locationId ?? "") : locations[0]?.id ?? ""}
              >
                <option value="">Whole organization</option>
                {locations.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}
                  </option>
                ))}
              </SelectField>
              <TextareaField
                label="Description (optional)"
                name="description"
                rows={2}
                maxLength={500}
                error={createErrors.description}
                defaultValue={failed?.values?.intent === "collection-create" ? String(failed.values.description ?? "") : ""}
              />
              <div className="sm:col-span-2">
                <button type="submit" className="btn-primary" disabled={busy}>
                  Create collection
                </button>
              </div>
            </Form>
          )}
        </section>
      ) : null}

      {canManageTypes ? (
        <section className="card space-y-4" aria-labelledby="create-type-heading">
          <h2 id="create-type-heading" className="text-lg font-semibold">
            New manual collection type
          </h2>
          <p className="text-sm text-slate-600">For groupings you pick by hand, e.g. “Tournament banks” or “Kids’ corner”.</p>
          <Form method="post" className="grid gap-3 sm:grid-cols-2" noValidate>
            <input type="hidden" name="intent" value="type-create" />
            <Field
              label="Type name"
              name="name"
              required
              maxLength={50}
              autoComplete="off"
              defaultValue={failed?.values?.intent === "type-create" ? String(failed.values.name ?? "") : ""}
              error={typeCreateErrors.name}
            />
            <Field
              label="Display name (optional)"
              name="displayName"
              maxLength={50}
              defaultValue={failed?.values?.intent === "type-create" ? String(failed.values.displayName ?? "") : ""}
              error={typeCreateErrors.displayName}
            />
            <TextareaField
              label="Description (optional)"
              name="description"
              rows={2}
              maxLength={500}
              className="sm:col-span-2"
              defaultValue={failed?.values?.intent === "type-create" ? String(failed.values.description ?? "") : ""}
              error={typeCreateErrors.description}
            />
            <div className="sm:col-span-2">
              <button type="submit" className="btn-primary" disabled={busy}>
                Create type
              </button>
            </div>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
