/** Shared zod field rules (every string bounded). Server-only: validation never ships to browsers. */
import { z } from "zod";

/** Shared field rules: every string is bounded. */
export const fields = {
  id: z.string().trim().min(1, "Required").max(64, "Too long"),
  optionalId: z
    .string()
    .trim()
    .max(64, "Too long")
    .optional()
    .transform((v) => (v ? v : undefined)),
  email: z.string().trim().toLowerCase().max(254, "Email is too long").email("Enter a valid email address"),
  optionalEmail: z
    .string()
    .trim()
    .max(254, "Email is too long")
    .optional()
    .transform((v) => (v ? v.toLowerCase() : undefined))
    .pipe(z.string().email("Enter a valid email address").optional()),
  name: z.string().trim().min(1, "Required").max(255, "Keep it under 255 characters"),
  title: z.string().trim().min(1, "Give the problem a short title").max(255, "Keep the title under 255 characters"),
  description: z
    .string()
    .trim()
    .max(10_000, "Keep the description under 10,000 characters")
    .optional()
    .transform((v) => (v ? v : undefined)),
  password: z.string().min(8, "Use at least 8 characters").max(256, "Use at most 256 characters"),
  intent: z.string().max(64),
};
