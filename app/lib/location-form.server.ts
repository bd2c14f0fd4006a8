/** The location form's rules (create and edit share them). */
import { z } from "zod";
import { fields } from "./forms.server";

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `Keep the ${label} under ${max} characters`)
    .optional()
    .transform((v) => v || null);

export const locationSchema = z.object({
  name: fields.name,
  street: optionalText(255, "street"),
  city: optionalText(100, "city"),
  state: optionalText(100, "state"),
  zip: optionalText(20, "ZIP code"),
  phone: z
    .string()
    .trim()
    .max(50, "Keep the phone number under 50 characters")
    .regex(/^[0-9+()./\s-]*$/, "Use digits, spaces and + ( ) - only")
    .optional()
    .transform((v) => v || null),
  website: z
    .string()
    .trim()
    .max(500, "Keep the address under 500 characters")
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(v) ? v : `https://${v}`;
      try {
        const url = new URL(withScheme);
        if ((url.protocol === "http:" || url.protocol === "https:") && url.hostname.includes(".")) return url.toString();
      } catch {
        // fall through
      }
      ctx.addIssue({ code: "custom", message: "Enter a web address like https://example.com" });
      return z.NEVER;
    }),
  description: optionalText(2000, "description"),
  pinballMapId: z
    .string()
    .trim()
    .max(12, "Enter the number from the Pinball Map address")
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 2_000_000_000) {
        ctx.addIssue({ code: "custom", message: "Enter the number from the Pinball Map address (a positive whole number)" });
        return z.NEVER;
      }
      return Number(v);
    }),
});

export type LocationFormValues = Partial<Record<keyof z.infer<typeof locationSchema>, string>>;

export function locationFormValues(form: Record<string, unknown>): LocationFormValues {
  const out: LocationFormValues = {};
  for (const key of Object.keys(locationSchema.shape) as (keyof LocationFormValues)[]) {
    const v = form[key];
    if (typeof v === "string") out[key] = v.slice(0, 2100);
  }
  return out;
}
