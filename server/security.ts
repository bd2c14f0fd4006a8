/** Security headers and the cross-site request check, kept pure so unit tests can cover them. */
import type { IncomingHttpHeaders } from "node:http";

export function buildSecurityHeaders(opts: { nonce: string; dev: boolean; https: boolean }): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'nonce-${opts.nonce}' 'strict-dynamic'`,
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // The development live-reload socket runs on another port.
    `connect-src 'self'${opts.dev ? " ws://localhost:* ws://127.0.0.1:*" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");
  const headers: Record<string, string> = {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    // Not no-referrer: that makes same-origin form posts carry `Origin: null`, which we must treat as foreign.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
  };
  if (opts.https) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return headers;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function hostOf(value: string): string | null {
  try {
    return new URL(value).host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * True when a state-changing request was started by another site. Browsers send `Origin` on every POST;
 * `Origin: null` (sandboxed frames, some redirects, `Referrer-Policy: no-referrer` pages) counts as foreign.
 * Without Origin we fall back to Referer, then to Sec-Fetch-Site. Requests with none of them come from non-browser
 * clients, which cannot carry a victim's cookies, so they pass.
 *
 * `host` is the host the client addressed (the Host header, or X-Forwarded-Host behind a trusted proxy);
 * `allowedOrigins` are extra origins that count as ours (PUBLIC_URL when a proxy rewrites the host).
 */
export function isCrossSiteRequest(req: {
  method: string;
  headers: IncomingHttpHeaders;
  host: string;
  allowedOrigins?: readonly string[];
}): boolean {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return false;
  const ours = new Set<string>();
  if (req.host) ours.add(req.host.toLowerCase());
  for (const o of req.allowedOrigins ?? []) {
    const h = hostOf(o);
    if (h) ours.add(h);
  }
  const origin = req.headers.origin;
  if (typeof origin === "string") {
    if (origin.trim() === "" || origin === "null") return true;
    const h = hostOf(origin);
    return h === null || !ours.has(h);
  }
  const referer = req.headers.referer;
  if (typeof referer === "string") {
    const h = hostOf(referer);
    return h === null || !ours.has(h);
  }
  const site = req.headers["sec-fetch-site"];
  if (typeof site === "string") return site !== "same-origin" && site !== "none";
  return false;
}
