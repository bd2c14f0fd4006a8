/**
 * Form schemas of the member and role admin routes. They live in a `.server` module on purpose: a zod schema built
 * at the top level of a route module runs in the browser too, where `.server` imports (like `fields`) are empty.
 */
import { z } from "zod";
import { fields } from "./forms.server";
import { notFound } from "./errors.server";

/** Role names: 1–50 characters after trimming; inner whitespace collapsed. */
export const roleNameField = z
  .string({ error: "Give the role a name" })
  .trim()
  .min(1, "Give the role a name")
  .max(50, "Keep the name under 50 characters")
  .transform((v) => v.replace(/\s+/g, " "));

/** An HTML checkbox: "on" when ticked, absent otherwise. */
export const checkboxField = z
  .string()
  .max(10)
  .optional()
  .transform((v) => v === "on" || v === "true");

const roleIdField = z.string({ error: "Choose a role" }).trim().min(1, "Choose a role").max(64, "Choose a role");

// --- members ------------------------------------------------------------------------------------------------------

export const inviteSchema = z.object({ intent: z.literal("invite"), email: fields.email, roleId: roleIdField });

/** "Create a new link" and "Withdraw" on a pending invitation. */
export const invitationActionSchema = z.object({ intent: z.enum(["renew-link", "revoke"]), invitationId: fields.id });

export const changeRoleSchema = z.object({ intent: z.literal("change-role"), membershipId: fields.id, roleId: roleIdField });

export const removeMemberSchema = z.object({ intent: z.literal("remove"), membershipId: fields.id });

// --- roles --------------------------------------------------------------------------------------------------------

export const createRoleSchema = z.object({
  intent: z.literal("create"),
  name: roleNameField,
  template: z.enum(["MEMBER", "blank"], { error: "Choose how to start" }),
  isDefault: checkboxField,
});

export const roleSettingsSchema = z.object({ intent: z.literal("settings"), name: roleNameField, isDefault: checkboxField });

export const rolePermissionsSchema = z.object({
  intent: z.literal("permissions"),
  permission: z
    .union([z.string().max(64), z.array(z.string().max(64)).max(100)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
});

export const deleteRoleSchema = z.object({ intent: z.literal("delete"), reassignRoleId: fields.optionalId });

/** The `$roleId` URL parameter, or a 404 when it cannot be an id. */
export function roleIdParam(params: Record<string, string | undefined>): string {
  const parsed = fields.id.safeParse(params.roleId ?? "");
  return parsed.success ? parsed.data : notFound("That role does not exist in this organization.");
}
