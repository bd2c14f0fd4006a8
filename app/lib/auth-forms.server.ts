/**
 * Form schemas of sign-up and account pages. In a `.server` module because zod schemas built at the top level of a
 * route module also run in the browser, where `.server` imports (like `fields`) are empty.
 */
import { z } from "zod";
import { fields } from "./forms.server";
import { isCommonPassword } from "../../core/password-policy";

const newPassword = fields.password.refine((p) => !isCommonPassword(p), "That password is too common; choose another");

export const signupSchema = z
  .object({
    name: z.string().trim().min(1, "Tell us your name").max(100, "Keep your name under 100 characters"),
    email: fields.email,
    password: newPassword,
    confirm: z.string().max(256),
    website: z.string().max(200).optional(),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match" });

/** Creating an account on an invitation page: the e-mail is the invited one, not a field. */
export const invitationAccountSchema = z
  .object({
    intent: z.literal("create-account"),
    name: z.string().trim().min(1, "Tell us your name").max(100, "Keep your name under 100 characters"),
    password: newPassword,
    confirm: z.string().max(256),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match" });

export const profileSchema = z.object({
  intent: z.literal("profile"),
  name: z.string().trim().min(1, "Tell us your name").max(100, "Keep your name under 100 characters"),
  bio: z
    .string()
    .trim()
    .max(500, "Keep your bio under 500 characters")
    .optional()
    .transform((v) => v || null),
});

export const passwordChangeSchema = z
  .object({
    intent: z.literal("password"),
    current: z.string().min(1, "Enter your current password").max(256),
    password: newPassword,
    confirm: z.string().max(256),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match" });
