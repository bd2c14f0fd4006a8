/**
 * How large a request body may be, decided by the HTTP layer (server/body-limit.ts) before anything reads it: a body
 * over its route's limit is refused with 413. Ordinary forms are small; only the forms that carry a photo get the
 * upload limit (app/lib/uploads.server.ts enforces the per-photo and per-field limits within it). No server imports,
 * so server/ and app/ share it. The README's "Limits" section states these numbers.
 */
export const BODY_LIMITS = {
  /** Any request that is not a photo form (sign-in, comments, admin forms …). */
  formBytes: 64 * 1024,
  /** The forms that take a photo: one image (at most 5 MB) plus room for the text fields. */
  uploadBytes: 6 * 1024 * 1024,
} as const;

/**
 * Paths of the routes that read their body with readUploadForm (app/routes/m.$machineId.tsx, the public report and
 * "me too"; app/routes/issues.$issueId.tsx, attachments and every other action of the issue page), also as
 * single-fetch `.data` requests. tests/integration/security-http.test.ts fails when a route starts reading uploads
 * without being listed here.
 */
const UPLOAD_PATHS: readonly RegExp[] = [/^\/m\/[^/]+?(?:\.data)?\/?$/, /^\/issues\/(?!new(?:\.data)?\/?$)[^/]+?(?:\.data)?\/?$/];

/** The body limit of a request path (without the query string). */
export function bodyLimitFor(pathname: string): number {
  return UPLOAD_PATHS.some((re) => re.test(pathname)) ? BODY_LIMITS.uploadBytes : BODY_LIMITS.formBytes;
}
