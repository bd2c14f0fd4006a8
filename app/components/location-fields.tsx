import type { LocationDetails } from "../../core/locations";
import { Field, fieldsOf, TextareaField } from "./form";

export interface LocationFieldValues extends LocationDetails {
  name?: string | null;
  pinballMapId?: string | number | null;
}

/** The inputs of a location (create and edit). */
export function LocationFields({
  values,
  errors,
}: {
  values: LocationFieldValues;
  errors: Record<string, string | undefined>;
}) {
  const field = fieldsOf(values, errors);
  return (
    <div className="space-y-4">
      <Field label="Name" {...field("name")} required maxLength={255} />
      <Field label="Street" {...field("street")} maxLength={255} autoComplete="street-address" />
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="City" {...field("city")} maxLength={100} autoComplete="address-level2" />
        <Field label="State" {...field("state")} maxLength={100} autoComplete="address-level1" />
        <Field label="ZIP code" {...field("zip")} maxLength={20} autoComplete="postal-code" />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Phone" {...field("phone")} type="tel" maxLength={50} autoComplete="tel" />
        <Field
          label="Website"
          {...field("website")}
          type="url"
          inputMode="url"
          maxLength={500}
          placeholder="https://"
        />
      </div>
      <TextareaField label="Description" {...field("description")} rows={3} maxLength={2000} />
      <Field
        label="Pinball Map location id"
        {...field("pinballMapId")}
        inputMode="numeric"
        maxLength={12}
        hint="Optional. The number in the location's pinballmap.com address."
      />
    </div>
  );
}
