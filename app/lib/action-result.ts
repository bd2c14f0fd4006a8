/**
 * The one answer shape of every form action, and the hook that reads it. Browser-safe (no server imports): the page
 * component and the action share the type, so no route declares its own result type or casts useActionData().
 */
import { useActionData } from "@remix-run/react";
import type { FieldErrors } from "../../core/failure";

export type { FieldErrors };

/** Values echoed back so a form that failed keeps what the person typed. */
export type FormValues = Record<string, string | string[] | undefined>;

/**
 * "Is it one of these?" (the public report form's duplicate guard, app/use-cases/reports.server.ts): the open issues
 * the report resembles, and the form's values to send again with "No, it's something new".
 */
export interface SimilarChoice {
  issues: { id: string; title: string; status: string; upvoteCount: number }[];
  values: Record<string, string>;
}

export type ActionSuccess = {
  ok: true;
  intent?: string;
  message?: string;
  details?: string[];
  similar?: SimilarChoice;
};
export type ActionFailure = { ok: false; intent?: string; errors: FieldErrors; values?: FormValues };
export type ActionResult = ActionSuccess | ActionFailure;

/** The action's answer for this page, if the last submission was answered with data (not a redirect). */
export function useActionResult(): ActionResult | undefined {
  return useActionData() as ActionResult | undefined;
}

/** Field errors of the last answer when it failed for `intent` (pages with several forms), else none. */
export function errorsFor(result: ActionResult | undefined, intent?: string): FieldErrors {
  if (!result || result.ok) return {};
  if (intent !== undefined && result.intent !== intent) return {};
  return result.errors;
}

/** The values echoed by a failed answer for `intent`, as strings (for defaultValue). */
export function valuesFor(result: ActionResult | undefined, intent?: string): Record<string, string> {
  if (!result || result.ok || !result.values) return {};
  if (intent !== undefined && result.intent !== intent) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(result.values)) {
    if (typeof value === "string") out[key] = value;
  }
  return out;
}

/** The success message of the last answer for `intent`, if any. */
export function messageFor(result: ActionResult | undefined, intent?: string): string | undefined {
  if (!result?.ok) return undefined;
  if (intent !== undefined && result.intent !== intent) return undefined;
  return result.message;
}
