/** Reading forms: the body as a plain object (bad body → 400), which form it is, and validation with zod. */
import type { z } from "zod";
import { setOwn } from "./own";
import type { FieldErrors } from "../../core/failure";
import { badRequest, invalidInput } from "./failure.server";

export type { FieldErrors };

export type ParseResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * The form as a plain object; a repeated field becomes an array. Field names are input: "__proto__", "constructor"
 * or "toString" are stored as ordinary fields and never merged with (or replace) the object's prototype.
 */
export function formToObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (Object.hasOwn(out, key)) {
      const prev = out[key];
      setOwn(out, key, Array.isArray(prev) ? [...prev, value] : [prev, value]);
    } else {
      setOwn(out, key, value);
    }
  }
  return out;
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown): ParseResult<z.infer<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "form";
    if (!Object.hasOwn(errors, key)) setOwn(errors, key, issue.message);
  }
  return { ok: false, errors };
}

/**
 * Reads the request body as form data. A body that is not a form (or is cut off) is a 400 with a message, not a
 * 500: bad input never reaches the database.
 */
export async function readForm(request: Request): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    badRequest("The form could not be read. Please submit it again.");
  }
  if (hasNulValue(form)) badRequest(NUL_MESSAGE);
  return form;
}

export const NUL_MESSAGE =
  "The form contains a character that cannot be saved (NUL). Please remove it and submit again.";

/** PostgreSQL text cannot hold U+0000: a value containing it would fail in the query (22021) instead of validating. */
export function hasNulValue(form: FormData): boolean {
  for (const [, value] of form) if (typeof value === "string" && value.includes("\u0000")) return true;
  return false;
}

/** The request's form as a plain object (a repeated field becomes an array). A bad body is a 400. */
export async function readFormObject(request: Request): Promise<Record<string, unknown>> {
  return formToObject(await readForm(request));
}

/** The form's `intent` (which of a page's forms was sent), or "" when it names none. */
export function intentOf(form: Record<string, unknown>): string {
  return typeof form.intent === "string" ? form.intent.slice(0, 64) : "";
}

/** Validates input against a use case's schema: the typed data, or a Failure("invalid") with a message per field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = parseWith(schema, input);
  if (!result.ok) throw invalidInput(result.errors);
  return result.data;
}
