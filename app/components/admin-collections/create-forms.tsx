/** The two "new …" forms of /admin/collections: a manual collection (location:edit) and a manual type (organization:manage). */
import { Field, fieldsOf, OptionList, SelectField, TextareaField } from "~/components/form";
import type { FieldErrors } from "~/lib/action-result";

interface FormState {
  busy: boolean;
  /** Field errors and the values typed, when this form was the one that failed. */
  errors: FieldErrors;
  values: Record<string, string>;
}

export function NewCollectionForm({
  manualTypes,
  locations,
  busy,
  errors,
  values,
}: FormState & { manualTypes: { id: string; label: string }[]; locations: { id: string; name: string }[] }) {
  const field = fieldsOf(values, errors);
  return (
    <section className="card space-y-4" aria-labelledby="create-collection-heading">
      <h2 id="create-collection-heading" className="text-lg font-semibold">
        New manual collection
      </h2>
      {manualTypes.length === 0 ? (
        <p className="text-sm text-slate-600">Create a manual collection type first.</p>
      ) : (
        <form method="post" className="grid gap-3 sm:grid-cols-2" noValidate>
          <input type="hidden" name="intent" value="collection-create" />
          <Field label="Name" {...field("name")} required maxLength={50} autoComplete="off" placeholder="Front Room" />
          <SelectField
            label="Type"
            name="typeId"
            required
            error={errors.typeId}
            defaultValue={values.typeId ?? manualTypes[0]?.id}
          >
            <OptionList options={manualTypes.map((t) => ({ id: t.id, name: t.label }))} />
          </SelectField>
          <SelectField
            label="Location"
            name="locationId"
            error={errors.locationId}
            hint="Tie it to a location (rooms), or leave it for the whole organization."
            defaultValue={values.locationId ?? locations[0]?.id ?? ""}
          >
            <option value="">Whole organization</option>
            <OptionList options={locations} />
          </SelectField>
          <TextareaField label="Description (optional)" {...field("description")} rows={2} maxLength={500} />
          <SubmitRow busy={busy}>Create collection</SubmitRow>
        </form>
      )}
    </section>
  );
}

export function NewTypeForm({ busy, errors, values }: FormState) {
  const field = fieldsOf(values, errors);
  return (
    <section className="card space-y-4" aria-labelledby="create-type-heading">
      <h2 id="create-type-heading" className="text-lg font-semibold">
        New manual collection type
      </h2>
      <p className="text-sm text-slate-600">
        For groupings you pick by hand, e.g. “Tournament banks” or “Kids’ corner”.
      </p>
      <form method="post" className="grid gap-3 sm:grid-cols-2" noValidate>
        <input type="hidden" name="intent" value="type-create" />
        <Field label="Type name" {...field("name")} required maxLength={50} autoComplete="off" />
        <Field label="Display name (optional)" {...field("displayName")} maxLength={50} />
        <TextareaField
          label="Description (optional)"
          {...field("description")}
          rows={2}
          maxLength={500}
          className="sm:col-span-2"
        />
        <SubmitRow busy={busy}>Create type</SubmitRow>
      </form>
    </section>
  );
}

/** The full-width row under both forms' fields with their submit button. */
function SubmitRow({ busy, children }: { busy: boolean; children: string }) {
  return (
    <div className="sm:col-span-2">
      <button type="submit" className="btn-primary" disabled={busy}>
        {children}
      </button>
    </div>
  );
}
