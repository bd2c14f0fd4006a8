/** The two "new …" forms of /admin/collections: a manual collection (location:edit) and a manual type (organization:manage). */
import { Form } from "@remix-run/react";
import { Field, SelectField, TextareaField } from "~/components/form";
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
  return (
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
            defaultValue={values.name ?? ""}
            error={errors.name}
          />
          <SelectField
            label="Type"
            name="typeId"
            required
            error={errors.typeId}
            defaultValue={values.typeId ?? manualTypes[0]?.id}
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
            error={errors.locationId}
            hint="Tie it to a location (rooms), or leave it for the whole organization."
            defaultValue={values.locationId ?? locations[0]?.id ?? ""}
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
            error={errors.description}
            defaultValue={values.description ?? ""}
          />
          <div className="sm:col-span-2">
            <button type="submit" className="btn-primary" disabled={busy}>
              Create collection
            </button>
          </div>
        </Form>
      )}
    </section>
  );
}

export function NewTypeForm({ busy, errors, values }: FormState) {
  return (
    <section className="card space-y-4" aria-labelledby="create-type-heading">
      <h2 id="create-type-heading" className="text-lg font-semibold">
        New manual collection type
      </h2>
      <p className="text-sm text-slate-600">
        For groupings you pick by hand, e.g. “Tournament banks” or “Kids’ corner”.
      </p>
      <Form method="post" className="grid gap-3 sm:grid-cols-2" noValidate>
        <input type="hidden" name="intent" value="type-create" />
        <Field
          label="Type name"
          name="name"
          required
          maxLength={50}
          autoComplete="off"
          defaultValue={values.name ?? ""}
          error={errors.name}
        />
        <Field
          label="Display name (optional)"
          name="displayName"
          maxLength={50}
          defaultValue={values.displayName ?? ""}
          error={errors.displayName}
        />
        <TextareaField
          label="Description (optional)"
          name="description"
          rows={2}
          maxLength={500}
          className="sm:col-span-2"
          defaultValue={values.description ?? ""}
          error={errors.description}
        />
        <div className="sm:col-span-2">
          <button type="submit" className="btn-primary" disabled={busy}>
            Create type
          </button>
        </div>
      </Form>
    </section>
  );
}
