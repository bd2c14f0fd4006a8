/**
 * The one failure type of the application. Use cases and rules throw a `Failure` when a request cannot be done as
 * asked (bad input, a missing row, a rule that refuses); anything else that is thrown is a bug. Codes say what went
 * wrong, not how HTTP answers it: app/lib/failure.server.ts maps codes to statuses and to the form's error shape.
 */

export type FailureCode =
  /** The input breaks a rule (a field is out of range, a name is reserved, a state change is not allowed). */
  | "invalid"
  /** The row does not exist here (or belongs to another organization: both look the same from outside). */
  | "not_found"
  /** The actor may not do this. */
  | "forbidden"
  /** It clashes with the current state (a duplicate name, the last admin, a concurrent change). */
  | "conflict"
  /** It existed once and is no longer usable (a used, expired or revoked link). */
  | "gone"
  /** Too many attempts; `retryAfterSeconds` says when to try again. */
  | "rate_limited"
  /** The request body or a file is larger than allowed. */
  | "too_large";

/** Messages for people, keyed by form field (`form` for the form as a whole). */
export type FieldErrors = Record<string, string>;

export interface FailureOptions {
  /** The form field the message belongs to; default `form`. */
  field?: string;
  /** Several field messages at once (validation); `message` is then the summary. */
  fields?: FieldErrors;
  retryAfterSeconds?: number;
}

const BRAND = Symbol.for("pinpoint.failure");

export class Failure extends Error {
  readonly code: FailureCode;
  readonly fields: FieldErrors;
  readonly retryAfterSeconds?: number;
  readonly [BRAND] = true;

  constructor(code: FailureCode, message: string, options: FailureOptions = {}) {
    super(message);
    this.name = "Failure";
    this.code = code;
    this.fields = options.fields ?? { [options.field ?? "form"]: message };
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** True for a Failure, also one created by another copy of this module (the server bundle and test sources). */
export function isFailure(error: unknown): error is Failure {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

/** Shorthands, so a rule reads `throw fail.notFound("That role does not exist.")`. */
export const fail = {
  invalid: (message: string, field?: string) => new Failure("invalid", message, { field }),
  notFound: (message: string, field?: string) => new Failure("not_found", message, { field }),
  forbidden: (message = "You do not have permission to do that.") => new Failure("forbidden", message),
  conflict: (message: string, field?: string) => new Failure("conflict", message, { field }),
  gone: (message: string) => new Failure("gone", message),
};
