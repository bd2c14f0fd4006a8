/**
 * Idempotency keys of forms (see db/queries/idempotency.server.ts): the loader renders a fresh random key into a hidden
 * field (IdempotencyKeyField in app/components/form.tsx, named "idempotencyKey"), and the action passes it on as a
 * claim. A form without the field (a page loaded before keys existed) still works, without de-duplication.
 */
import crypto from "node:crypto";

const KEY = /^[A-Za-z0-9_-]{16,100}$/;

export const STALE_FORM_MESSAGE = "This form is out of date. Please reload the page and send it again.";

export function newIdempotencyKey(): string {
  return crypto.randomBytes(16).toString("base64url");
}

/** The submitted key: `key` null when the form had none; `ok: false` for anything that is not a key we hand out. */
export function readIdempotencyKey(value: unknown): { ok: true; key: string | null } | { ok: false } {
  if (value === undefined || value === null || value === "") return { ok: true, key: null };
  return typeof value === "string" && KEY.test(value) ? { ok: true, key: value } : { ok: false };
}
