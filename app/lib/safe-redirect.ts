/**
 * Redirect targets that come from input (`redirectTo` after sign-in, stored notification links) must stay on this
 * site: an open redirect after sign-in is a phishing aid. Browsers drop tabs and newlines from URLs, read `\` as `/`
 * and resolve `/..//host` to `//host`, so the check works on what a browser would make of the value, and the result
 * is re-serialised (percent-encoded ASCII) so it is also a valid Location header: CR/LF or characters above U+00FF
 * can no longer make the redirect itself fail with a 500. Pure (no server imports): unit-tested on its own.
 */

/** Longer targets are not worth keeping (the sign-in form echoes them). */
const MAX_TARGET_LENGTH = 2048;
const BASE = "http://pinpoint.invalid";

/**
 * A same-site path (`/…`, with its query and fragment) for a redirect, or null when `to` is anything else: not a
 * string, empty, absolute (`https://…`, `javascript:`), scheme-relative (`//host`, `/\host`), a backslash path, or a
 * path a browser would turn into one of those once control characters are removed.
 */
export function sameSitePath(to: unknown): string | null {
  if (typeof to !== "string" || to.length > MAX_TARGET_LENGTH) return null;
  // Control characters (C0, DEL, C1): browsers remove tab/CR/LF inside URLs and refuse the rest in headers.
  const cleaned = to.replace(/\p{Cc}/gu, "");
  if (!cleaned.startsWith("/") || cleaned.startsWith("//") || cleaned.includes("\\")) return null;
  let url: URL;
  try {
    url = new URL(cleaned, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  const path = url.pathname + url.search + url.hash;
  // "/..//host" normalises to "//host": check the serialised form again.
  if (!path.startsWith("/") || path.startsWith("//") || path.includes("\\")) return null;
  return path;
}

/** `sameSitePath(to)`, or `fallback` (the home page) when `to` is not a safe same-site path. */
export function safeRedirect(to: unknown, fallback = "/"): string {
  return sameSitePath(to) ?? fallback;
}
