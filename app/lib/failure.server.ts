/**
 * The one place where a Failure (core/failure.ts) becomes an HTTP answer: a status per code, and either the form's
 * error shape (actions) or an error response for the route's error boundary (loaders, and failures no form shows).
 */
import { data } from "@remix-run/node";
import { Failure, isFailure, type FailureCode, type FieldErrors } from "../../core/failure";
import type { ActionFailure, ActionSuccess, FormValues } from "./action-result";

const STATUS: Readonly<Record<FailureCode, number>> = {
  invalid: 400,
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  gone: 410,
  rate_limited: 429,
  too_large: 413,
};

export function failureStatus(code: FailureCode): number {
  return STATUS[code];
}

function failureHeaders(failure: Failure): HeadersInit | undefined {
  return failure.retryAfterSeconds ? { "Retry-After": String(failure.retryAfterSeconds) } : undefined;
}

// Never echoed back into a page: secrets and one-time values.
const UNECHOED = /password|confirm|token|secret/i;

/** What a failed form keeps: its text values, without secrets and files. */
export function echoValues(form: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const [key, value] of Object.entries(form)) {
    if (UNECHOED.test(key)) continue;
    if (typeof value === "string") values[key] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === "string")) values[key] = value as string[];
  }
  return values;
}

/** A failure as the answer of a form action: status by code, `{ ok: false, intent, errors, values }`. */
export function failureResult(failure: Failure, extras: { intent?: string; form?: Record<string, unknown> } = {}) {
  const body: ActionFailure = {
    ok: false,
    intent: extras.intent,
    errors: failure.fields,
    values: extras.form ? echoValues(extras.form) : undefined,
  };
  return data(body, { status: failureStatus(failure.code), headers: failureHeaders(failure) });
}

/** A failure as an error response (the route's error boundary shows `message`). */
export function failureResponse(failure: Failure) {
  return data({ message: failure.message }, { status: failureStatus(failure.code), headers: failureHeaders(failure) });
}

/**
 * Runs one action's work. A Failure becomes the form's answer (with the intent and the values typed); a returned
 * success or response (redirect) passes through; anything else is a bug and propagates (500 page, logged).
 */
export async function runAction<T extends ActionSuccess | Response>(
  extras: { intent?: string; form?: Record<string, unknown> },
  work: () => Promise<T>,
) {
  try {
    return await work();
  } catch (error) {
    if (isFailure(error)) return failureResult(error, extras);
    throw error;
  }
}

/** Runs a loader's work: a Failure becomes the matching error response for the error boundary. */
export async function runLoader<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isFailure(error)) throw failureResponse(error);
    throw error;
  }
}

/** Field errors of an invalid form as a Failure (validation is a failure like any other). */
export function invalidInput(fields: FieldErrors): Failure {
  return new Failure("invalid", fields.form ?? "Please correct the marked fields.", { fields });
}

// Shorthands for routes that answer straight away (a malformed id in the URL, a missing permission).
export function notFound(message = "Not found"): never {
  throw failureResponse(new Failure("not_found", message));
}

export function badRequest(message: string): never {
  throw failureResponse(new Failure("invalid", message));
}

export function forbidden(message = "You do not have permission to do that."): never {
  throw failureResponse(new Failure("forbidden", message));
}
