/** Vocabulary of locations, shared by the location form (app/components/location-fields.tsx) and its queries. */

/** The optional text fields of a location, as the form shows them and the queries store them. */
export interface LocationDetails {
  street?: string | null;
  city?: string | null;
  state?: string | null;
  zip?: string | null;
  phone?: string | null;
  website?: string | null;
  description?: string | null;
}
