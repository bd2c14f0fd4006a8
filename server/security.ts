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

/** `scheme://host[:port]` of a URL (default ports dropped, lower case), or null when it is not an http(s) URL. */
function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

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
 * `host` is the host the client addressed (the Host header, or X-Forwarded-Host behind a trusted proxy) and
 * `scheme` the protocol it used ("https" behind a TLS proxy that says so): an origin is ours only when scheme, host
 * and port all match (an http page may not post to the https site, nor the reverse). Without `scheme` only host
 * and port are compared. `allowedOrigins` are extra origins that count as ours (PUBLIC_URL when a proxy rewrites the
 * host), compared in full.
 */
export function isCrossSiteRequest(req: {
  method: string;
  headers: IncomingHttpHeaders;
  host: string;
  scheme?: string;
  allowedOrigins?: readonly string[];
}): boolean {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return false;
  const ourOrigins = new Set<string>();
  for (const o of req.allowedOrigins ?? []) {
    const origin = originOf(o);
    if (origin) ourOrigins.add(origin);
  }
  const scheme = req.scheme?.replace(/:$/, "").toLowerCase();
  const ownOrigin = scheme && req.host ? originOf(`${scheme}://${req.host}`) : null;
  if (ownOrigin) ourOrigins.add(ownOrigin);
  const ourHost = !scheme && req.host ? hostOf(`http://${req.host}`) : null;
  const isOurs = (value: string) => {
    const origin = originOf(value);
    if (origin === null) return false;
    if (ourOrigins.has(origin)) return true;
    return ourHost !== null && hostOf(value) === ourHost;
  };
  const origin = req.headers.origin;
  if (typeof origin === "string") {
    if (origin.trim() === "" || origin === "null") return true;
    return !isOurs(origin);
  }
  const referer = req.headers.referer;
  if (typeof referer === "string") return !isOurs(referer);
  const site = req.headers["sec-fetch-site"];
  if (typeof site === "string") return site !== "same-origin" && site !== "none";
  return false;
}

/**
 * The only paths a cross-site POST may reach: the one-click unsubscribe links (RFC 8058) of the reporter's e-mails
 * (`/unsubscribe/<token>`) and of members' notification e-mails (`/notifications/unsubscribe/<token>`). Mail clients
 * POST the body `List-Unsubscribe=One-Click` from their own origin, or with none. The server lets such a POST through
 * marked `crossSite` in the load context, and both routes then accept nothing but exactly that body from it
 * (app/lib/one-click.server.ts).
 */
export const ONE_CLICK_UNSUBSCRIBE_PATH = /^\/(?:notifications\/)?unsubscribe\/[A-Za-z0-9._-]{1,300}$/;
