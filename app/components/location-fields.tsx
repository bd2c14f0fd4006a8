import type { LocationDetails } from "../../core/locations";
import { Field, TextareaField } from "./form";

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
  const v = (k: keyof LocationFieldValues) => (values[k] == null ? "" : String(values[k]));
  return (
    <div className="space-y-4">
      <Field label="Name" name="name" required maxLength={255} defaultValue={v("name")} error={errors.name} />
      <Field
        label="Street"
        name="street"
        maxLength={255}
        autoComplete="street-address"
        defaultValue={v("street")}
        error={errors.street}
      />
      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          label="City"
          name="city"
          maxLength={100}
          autoComplete="address-level2"
          defaultValue={v("city")}
          error={errors.city}
        />
        <Field
          label="State"
          name="state"
          maxLength={100}
          autoComplete="address-level1"
          defaultValue={v("state")}
          error={errors.state}
        />
        <Field
          label="ZIP code"
          name="zip"
          maxLength={20}
          autoComplete="postal-code"
          defaultValue={v("zip")}
          error={errors.zip}
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Phone"
          name="phone"
          type="tel"
          maxLength={50}
          autoComplete="tel"
          defaultValue={v("phone")}
          error={errors.phone}
        />
        <Field
          label="Website"
          name="website"
          type="url"
          inputMode="url"
          maxLength={500}
          placeholder="https://"
          defaultValue={v("website")}
          error={errors.website}
        />
      </div>
      <TextareaField
        label="Description"
        name="description"
        rows={3}
        maxLength={2000}
        defaultValue={v("description")}
        error={errors.description}
      />
      <Field
        label="Pinball Map location id"
        name="pinballMapId"
        inputMode="numeric"
        maxLength={12}
        hint="Optional. The number in the location's pinballmap.com address."
        defaultValue={v("pinballMapId")}
        error={errors.pinballMapId}
      />
    </div>
  );
}
