import { Field, SelectField } from "./form";

export interface ModelOptionView {
  id: string;
  name: string;
  manufacturer: string | null;
  year: number | null;
  isCustom: boolean;
}

function modelLabel(m: ModelOptionView): string {
  const extra = [m.manufacturer, m.year].filter(Boolean).join(" ");
  return extra ? `${m.name} (${extra})` : m.name;
}

/** Name, model, location and owner inputs (create and edit). */
export function MachineFields({
  values,
  errors,
  models,
  locations,
  owners,
  nameHint,
}: {
  values: { name?: string | null; modelId?: string | null; locationId?: string | null; ownerId?: string | null };
  errors: Record<string, string | undefined>;
  models: ModelOptionView[];
  locations: { id: string; name: string }[];
  owners: { id: string; name: string }[];
  nameHint?: string;
}) {
  const custom = models.filter((m) => m.isCustom);
  const catalogue = models.filter((m) => !m.isCustom);
  return (
    <div className="space-y-4">
      <SelectField label="Model" name="modelId" required defaultValue={values.modelId ?? ""} error={errors.modelId}>
        <option value="">Choose a model…</option>
        {custom.length ? (
          <optgroup label="Your custom models">
            {custom.map((m) => (
              <option key={m.id} value={m.id}>
                {modelLabel(m)}
              </option>
            ))}
          </optgroup>
        ) : null}
        {catalogue.length ? (
          <optgroup label="Catalogue">
            {catalogue.map((m) => (
              <option key={m.id} value={m.id}>
                {modelLabel(m)}
              </option>
            ))}
          </optgroup>
        ) : null}
      </SelectField>
      <Field
        label="Name"
        name="name"
        maxLength={255}
        defaultValue={values.name ?? ""}
        hint={nameHint}
        error={errors.name}
      />
      <SelectField
        label="Location"
        name="locationId"
        required
        defaultValue={values.locationId ?? ""}
        error={errors.locationId}
      >
        <option value="">Choose a location…</option>
        {locations.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Owner"
        name="ownerId"
        defaultValue={values.ownerId ?? ""}
        hint="Optional. A member who looks after this machine and hears about its problems."
        error={errors.ownerId}
      >
        <option value="">No owner</option>
        {owners.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
