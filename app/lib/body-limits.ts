/**
 * How large a request body may be, decided by the HTTP layer (server/body-limit.ts) before anything reads it: a body
 * over its route's limit is refused with 413. Ordinary forms are small; only the forms that carry a photo get the
 * upload limit (app/lib/uploads.server.ts enforces the per-photo and per-field limits within it). No server imports,
 * so server/ and app/ share it. The README's "Limits" section states these numbers.
 */
export const BODY_LIMITS = {
  /** Any request that is not a photo form (sign-in, comments, admin forms …). */
  formBytes: 64 * 1024,
  /**
   * Forms whose text may legitimately pass 64 kB once URL-encoded: a 10,000-character description in CJK or emoji
   * (/issues/new: up to 12 encoded bytes a character), and a manual collection with up to 1,000 ticked machines.
   */
  longFormBytes: 192 * 1024,
  /** The forms that take a photo: one image (at most 5 MB) plus room for the text fields. */
  uploadBytes: 6 * 1024 * 1024,
} as const;

/**
 * Paths of the routes that read their body with readUploadForm (app/routes/m.$machineId.tsx, the public report and
 * "me too"; app/routes/issues.$issueId.tsx, attachments and every other action of the issue page;
 * app/routes/machines.$machineId.tsx and machines.$machineId_.log.$noteId.tsx, maintenance notes), also as
 * single-fetch `.data` requests. tests/integration/security-http.test.ts fails when a route starts reading uploads
 * without being listed here.
 */
const UPLOAD_PATHS: readonly RegExp[] = [
  /^\/m\/[^/]+?(?:\.data)?\/?$/,
  /^\/issues\/(?!new(?:\.data)?\/?$)[^/]+?(?:\.data)?\/?$/,
  // The member machine page (a maintenance note may carry a photo) and a note's edit page.
  /^\/machines\/(?!new(?:\.data)?\/?$)[^/]+?(?:\.data)?\/?$/,
  /^\/machines\/[^/]+\/log\/[^/]+?(?:\.data)?\/?$/,
];

const LONG_FORM_PATHS: readonly RegExp[] = [
  /^\/issues\/new(?:\.data)?\/?$/,
  /^\/admin\/collections\/[^/]+?(?:\.data)?\/?$/,
];

/** The body limit of a request path (without the query string). */
export function bodyLimitFor(pathname: string): number {
  if (UPLOAD_PATHS.some((re) => re.test(pathname))) return BODY_LIMITS.uploadBytes;
  if (LONG_FORM_PATHS.some((re) => re.test(pathname))) return BODY_LIMITS.longFormBytes;
  return BODY_LIMITS.formBytes;
}
