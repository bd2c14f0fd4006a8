import { Field, fieldsOf, OptionList, SelectField } from "./form";

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
  const field = fieldsOf(values, errors);
  return (
    <div className="space-y-4">
      <SelectField label="Model" {...field("modelId")} required>
        <option value="">Choose a model…</option>
        {custom.length ? (
          <optgroup label="Your custom models">
            <OptionList options={custom.map((m) => ({ id: m.id, name: modelLabel(m) }))} />
          </optgroup>
        ) : null}
        {catalogue.length ? (
          <optgroup label="Catalogue">
            <OptionList options={catalogue.map((m) => ({ id: m.id, name: modelLabel(m) }))} />
          </optgroup>
        ) : null}
      </SelectField>
      <Field label="Name" {...field("name")} maxLength={255} hint={nameHint} />
      <SelectField label="Location" {...field("locationId")} required>
        <option value="">Choose a location…</option>
        <OptionList options={locations} />
      </SelectField>
      <SelectField
        label="Owner"
        {...field("ownerId")}
        hint="Optional. A member who looks after this machine and hears about its problems."
      >
        <option value="">No owner</option>
        <OptionList options={owners} />
      </SelectField>
    </div>
  );
}
