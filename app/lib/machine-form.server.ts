/** The machine form's rules (create and edit share them). References are checked against the organization by the query helpers. */
import { z } from "zod";
import { fields } from "./forms.server";

export const machineSchema = z.object({
  name: z
    .string()
    .trim()
    .max(255, "Keep the name under 255 characters")
    .optional()
    .transform((v) => v || null),
  modelId: z.string({ error: "Choose a model" }).trim().min(1, "Choose a model").max(64, "Choose a model from the list"),
  locationId: z.string({ error: "Choose a location" }).trim().min(1, "Choose a location").max(64, "Choose a location from the list"),
  ownerId: fields.optionalId.transform((v) => v ?? null),
});

export const ownerNotificationSchema = z.object({
  ownerNotificationsEnabled: z.literal("on").optional().transform(Boolean),
  notifyOnNewIssues: z.literal("on").optional().transform(Boolean),
  notifyOnStatusChanges: z.literal("on").optional().transform(Boolean),
  notifyOnComments: z.literal("on").optional().transform(Boolean),
});

export type MachineFormValues = { name: string; modelId: string; locationId: string; ownerId: string };

/** The submitted machine fields, bounded, to re-fill the form after a refusal (create and edit share it). */
export function machineFormValues(form: Record<string, unknown>): MachineFormValues {
  const text = (key: keyof MachineFormValues, max: number) => {
    const v = form[key];
    return typeof v === "string" ? v.slice(0, max) : "";
  };
  return { name: text("name", 300), modelId: text("modelId", 64), locationId: text("locationId", 64), ownerId: text("ownerId", 64) };
}
